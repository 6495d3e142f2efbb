import { catalogue } from '../findings/catalogue.ts';
import type { FindingId } from '../findings/catalogue.ts';
import type { Finding } from '../findings/finding.ts';
import type { MigrationPlan } from '../plan/types.ts';
import type { AccessChange } from '../verify/types.ts';
import { escapeMarkdown, fencedBlock, inlineCode } from './markdown.ts';

/**
 * What a reader of the pull request must see first: the (source → destination workload:port) pairs whose verdict
 * changes, grouped by what explains them, and the steps that prevent an outage (a pair denied after merging) or a
 * hole (a pair allowed after merging) before anyone merges.
 */

/** A pair OSM allowed and Linkerd denies for some requests: merging as is cuts that traffic. */
export function cutsTraffic(change: AccessChange): boolean {
  return change.narrower > 0;
}

interface ChangeGroup {
  readonly direction: 'denied' | 'allowed';
  readonly explainedBy: readonly FindingId[];
  readonly changes: AccessChange[];
}

export function groups(changes: readonly AccessChange[]): ChangeGroup[] {
  const byKey = new Map<string, ChangeGroup>();
  for (const c of changes) {
    // A pair both wider and narrower is listed with the outages: that half is what breaks production.
    const direction = cutsTraffic(c) ? 'denied' : 'allowed';
    const explainedBy = c.uncovered > 0 ? [] : [...c.coveredBy].sort();
    const key = `${direction} ${explainedBy.join(',')}`;
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { direction, explainedBy, changes: [] }));
    group.changes.push(c);
  }
  return [...byKey.values()].sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'denied' ? -1 : 1));
}

export function pair(c: AccessChange, code: (text: string) => string = inlineCode): string {
  const requests = cutsTraffic(c) ? c.narrower : c.wider;
  const example = c.example.request.http ? `${c.example.request.http.method} ${c.example.request.http.path}` : 'TCP';
  return `${code(c.source)} → ${code(`${c.namespace}/${c.workload}:${c.port}`)} (${requests} request${requests === 1 ? '' : 's'}, e.g. ${code(example)})`;
}

/** The terminal's version of the section (`osm2linkerd translate`): same groups, no Markdown. */
export function accessChangesText(plan: MigrationPlan, strong: (text: string) => string): string[] {
  const changes = plan.verification.accessChanges;
  if (changes.length === 0) return ['ACCESS CHANGES: none (Linkerd allows exactly what OSM allowed)'];
  const denied = changes.filter(cutsTraffic).length;
  const lines = [`ACCESS CHANGES: ${changes.length} (source → destination workload:port) pairs; ${denied} denied after merging that OSM allowed, ${changes.length - denied} allowed that OSM denied`];
  for (const g of groups(changes)) {
    const verdict = g.direction === 'denied' ? strong('ALLOWED BEFORE, DENIED AFTER') : strong('DENIED BEFORE, ALLOWED AFTER');
    const why = g.explainedBy.length === 0 ? 'NOT EXPLAINED by any finding (a translation bug: report it)' : g.explainedBy.map((id) => `${catalogue[id].title} [${id}]`).join('; ');
    lines.push(`  ${verdict}: ${why}`);
    const todo = g.explainedBy.map((id) => WHAT_TO_DO[id]?.replace(/`/g, '') ?? catalogue[id].remediation);
    if (todo.length > 0) lines.push(`    what to do: ${todo.join(' ')}`);
    lines.push(...g.changes.map((c) => `    ${pair(c, (t) => t)}`));
  }
  return lines;
}

/** The "Access changes" section of the pull request. */
export function accessChangesMarkdown(plan: MigrationPlan): string {
  const changes = plan.verification.accessChanges;
  if (changes.length === 0) {
    return '### Access changes\n\nNone: every request OSM allowed is allowed after this pull request, and nothing OSM denied becomes allowed.';
  }
  const parts = ['### Access changes', ''];
  const denied = changes.filter(cutsTraffic).length;
  parts.push(`${changes.length} (source → destination workload:port) pairs change verdict: **${denied} denied after merging** that OSM allowed, ${changes.length - denied} allowed after merging that OSM denied.`);
  for (const g of groups(changes)) {
    const verdict = g.direction === 'denied' ? '🛑 **Allowed before, denied after**' : '⚠️ **Denied before, allowed after**';
    const why = g.explainedBy.length === 0
      ? '**not explained by any finding**: report it, this is a translation bug'
      : g.explainedBy.map((id) => `${escapeMarkdown(catalogue[id].title)} (${inlineCode(id)})`).join('; ');
    parts.push('', `${verdict}: ${why}`);
    const todo = g.explainedBy.map((id) => WHAT_TO_DO[id] ?? escapeMarkdown(catalogue[id].remediation));
    if (todo.length > 0) parts.push(`What to do: ${todo.join(' ')}`);
    parts.push('', ...g.changes.map((c) => `- ${pair(c)}`));
  }
  return parts.join('\n');
}

/** The short action for the findings that explain an access change; the catalogue's remediation otherwise. */
const WHAT_TO_DO: Partial<Record<FindingId, string>> = {
  'ingress-backend/source-service-not-found': 'mesh the controller and create its MeshTLSAuthentication (both in "Before you merge").',
  'ingress-backend/mesh-controller': 'mesh the ingress controller (`linkerd.io/inject: ingress` on its pod template) and restart it.',
  'probes/open-to-all-networks': 'set `probeNetworks` (`--probe-networks`) to the node CIDRs, so only the kubelet reaches the probe paths.',
};

/** The "Before you merge" checklist: only what prevents an outage or a hole, from the findings present. */
export function beforeYouMergeMarkdown(plan: MigrationPlan): string {
  const steps = beforeYouMergeSteps(plan);
  return ['### Before you merge', '', ...steps.map((s) => `- [ ] ${s.replace(/\n/g, '\n  ')}`)].join('\n');
}

/** How a step writes code and snippets: Markdown for GitHub, plain text for the terminal. */
export interface StepFormat {
  readonly code: (text: string) => string;
  readonly block: (info: string, text: string) => string;
  readonly prose: (text: string) => string;
}

export const MARKDOWN_STEPS: StepFormat = { code: inlineCode, block: fencedBlock, prose: escapeMarkdown };

/** Plain text: code as it is, a snippet indented under its step. */
export const TEXT_STEPS: StepFormat = { code: (t) => t, block: (_info, t) => t.split('\n').map((l) => `    ${l}`).join('\n'), prose: (t) => t };

export function beforeYouMergeSteps(plan: MigrationPlan, f: StepFormat = MARKDOWN_STEPS): string[] {
  const with_ = (id: FindingId): Finding[] => plan.findings.filter((x) => x.id === id);
  const steps: string[] = [];
  const errors = plan.findings.filter((x) => x.severity === 'error').length;
  if (errors > 0) steps.push(`Resolve the ${errors} error findings: each names what Linkerd would do differently.`);
  if (plan.verification.uncovered.length > 0) steps.push(`Do not merge: ${plan.verification.uncovered.length} requests change verdict and no finding explains why (see "Access changes").`);
  const controllers = [...new Set(plan.verification.accessChanges.filter((c) => c.source.startsWith('ingress:service/')).map((c) => c.source.slice('ingress:service/'.length)))].sort();
  if (with_('ingress-backend/mesh-controller').length > 0) {
    const which = controllers.length > 0 ? ` behind ${controllers.map((c) => f.code(`Service/${c}`)).join(', ')}` : '';
    steps.push(`Mesh the ingress controller${which}: add ${f.code('linkerd.io/inject: ingress')} to its pod template (not its namespace), restart it, and have it strip incoming ${f.code('l5d-dst-override')} headers. Until then Linkerd refuses its requests.`);
  }
  for (const x of with_('ingress-backend/source-service-not-found')) {
    const snippet = /```yaml\n([\s\S]*?)\n```/.exec(x.message)?.[1];
    const where = x.file ? ` (${f.prose(`${x.file}:${x.line}`)})` : '';
    steps.push(`Create the missing identity for ${f.code(x.resource || 'the IngressBackend')}${where}, in a file of its own, with the controller's ServiceAccount; until it exists Linkerd refuses the controller.${snippet ? `\n${f.block('yaml', snippet)}` : ''}`);
  }
  if (with_('probes/open-to-all-networks').length > 0) steps.push(`Set the node network CIDRs for kubelet probes (${f.code('probeNetworks')}, CLI ${f.code('--probe-networks')}): until then the probe paths are open to every network.`);
  const outsideGit = with_('injection/namespace-inject-outside-git');
  const outsideNamespaces = [...new Set(outsideGit.map((x) => x.resource.split('/')[1] ?? '').filter(Boolean))].sort();
  if (outsideNamespaces.length > 0) steps.push(`Annotate the namespaces meshed outside Git: ${outsideNamespaces.map((ns) => f.code(`kubectl annotate namespace ${ns} linkerd.io/inject=enabled`)).join(', ')}; without it their pods run without a proxy and every policy is inert.`);
  else if (outsideGit.length > 0) steps.push(`Annotate the namespaces meshed outside Git with ${f.code('linkerd.io/inject=enabled')} (see the ${f.code('injection/namespace-inject-outside-git')} findings).`);
  if (with_('injection/namespace-not-monitored').length > 0) steps.push(`Check that the namespaces without ${f.code('openservicemesh.io/monitored-by')} in Git were meshed by OSM on the cluster (${f.code('injection/namespace-not-monitored')}); if not, disable injection there.`);
  if (with_('mesh-mode/assumed-smi').length > 0) steps.push(`Confirm OSM's traffic policy mode (${f.code('/osm2linkerd mode smi|permissive')}, CLI ${f.code('--mode')}): the translation assumed one.`);
  const namespaces = [...new Set(plan.resources.map((r) => r.resource.metadata.namespace).filter((n): n is string => !!n))].sort();
  const restart = namespaces.length > 0
    ? namespaces.map((ns) => f.code(`kubectl rollout restart deployment,statefulset,daemonset -n ${ns}`)).join(', ')
    : `${f.code('kubectl rollout restart deployment,statefulset,daemonset -n <namespace>')} in every meshed namespace`;
  steps.push(`Plan the restart right after merging, of every kind of workload (Deployments, StatefulSets and DaemonSets): ${restart}. Pods keep OSM's sidecar, and no Linkerd policy applies to them, until they restart.`);
  return steps;
}
