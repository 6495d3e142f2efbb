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

function groups(changes: readonly AccessChange[]): ChangeGroup[] {
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

function pair(c: AccessChange): string {
  const requests = cutsTraffic(c) ? c.narrower : c.wider;
  const example = c.example.request.http ? `${c.example.request.http.method} ${c.example.request.http.path}` : 'TCP';
  return `${inlineCode(c.source)} → ${inlineCode(`${c.namespace}/${c.workload}:${c.port}`)} (${requests} request${requests === 1 ? '' : 's'}, e.g. ${inlineCode(example)})`;
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

export function beforeYouMergeSteps(plan: MigrationPlan): string[] {
  const with_ = (id: FindingId): Finding[] => plan.findings.filter((f) => f.id === id);
  const steps: string[] = [];
  const errors = plan.findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) steps.push(`Resolve the ${errors} error findings: each names what Linkerd would do differently.`);
  if (plan.verification.uncovered.length > 0) steps.push(`Do not merge: ${plan.verification.uncovered.length} requests change verdict and no finding explains why (see "Access changes").`);
  const controllers = [...new Set(plan.verification.accessChanges.filter((c) => c.source.startsWith('ingress:service/')).map((c) => c.source.slice('ingress:service/'.length)))].sort();
  if (with_('ingress-backend/mesh-controller').length > 0) {
    const which = controllers.length > 0 ? ` behind ${controllers.map((c) => inlineCode(`Service/${c}`)).join(', ')}` : '';
    steps.push(`Mesh the ingress controller${which}: add \`linkerd.io/inject: ingress\` to its pod template (not its namespace), restart it, and have it strip incoming \`l5d-dst-override\` headers. Until then Linkerd refuses its requests.`);
  }
  for (const f of with_('ingress-backend/source-service-not-found')) {
    const snippet = /```yaml\n([\s\S]*?)\n```/.exec(f.message)?.[1];
    const where = f.file ? ` (${escapeMarkdown(`${f.file}:${f.line}`)})` : '';
    steps.push(`Create the missing identity for ${inlineCode(f.resource || 'the IngressBackend')}${where}, in a file of its own, with the controller's ServiceAccount; until it exists Linkerd refuses the controller.${snippet ? `\n${fencedBlock('yaml', snippet)}` : ''}`);
  }
  if (with_('probes/open-to-all-networks').length > 0) steps.push('Set the node network CIDRs for kubelet probes (`probeNetworks`, CLI `--probe-networks`): until then the probe paths are open to every network.');
  const outsideGit = [...new Set(with_('injection/namespace-inject-outside-git').map((f) => f.resource.split('/')[1] ?? '').filter(Boolean))].sort();
  if (outsideGit.length > 0) steps.push(`Annotate the namespaces meshed outside Git: ${outsideGit.map((ns) => inlineCode(`kubectl annotate namespace ${ns} linkerd.io/inject=enabled`)).join(', ')}; without it their pods run without a proxy and every policy is inert.`);
  else if (with_('injection/namespace-inject-outside-git').length > 0) steps.push('Annotate the namespaces meshed outside Git with `linkerd.io/inject=enabled` (see the `injection/namespace-inject-outside-git` findings).');
  if (with_('injection/namespace-not-monitored').length > 0) steps.push('Check that the namespaces without `openservicemesh.io/monitored-by` in Git were meshed by OSM on the cluster (`injection/namespace-not-monitored`); if not, disable injection there.');
  if (with_('mesh-mode/assumed-smi').length > 0) steps.push('Confirm OSM\'s traffic policy mode (`/osm2linkerd mode smi|permissive`): the translation assumed one.');
  const namespaces = [...new Set(plan.resources.map((r) => r.resource.metadata.namespace).filter((n): n is string => !!n))].sort();
  const restart = namespaces.length > 0
    ? namespaces.map((ns) => inlineCode(`kubectl rollout restart deployment,statefulset,daemonset -n ${ns}`)).join(', ')
    : '`kubectl rollout restart deployment,statefulset,daemonset -n <namespace>` in every meshed namespace';
  steps.push(`Plan the restart right after merging, of every kind of workload (Deployments, StatefulSets and DaemonSets): ${restart}. Pods keep OSM's sidecar, and no Linkerd policy applies to them, until they restart.`);
  return steps;
}
