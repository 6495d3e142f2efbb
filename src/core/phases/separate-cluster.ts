import type { Finding } from '../findings/finding.ts';
import type { Inventory } from '../inventory/model.ts';
import { isManifestCandidate } from '../load/candidates.ts';
import { atLeast, type MigrationOptions } from '../options.ts';
import type { FileChange, MigrationPhase } from '../plan/types.ts';
import { asArray, asRecord, asString } from '../values.ts';
import { treeChanges } from '../plan/tree-changes.ts';

/**
 * Strategy `separate-cluster` (migration-strategies.md, "Separate clusters"): the forklift translation is written as a
 * copy under `options.clusterPath` for a new cluster that runs Linkerd, and nothing the old cluster deploys changes;
 * traffic then moves at the edge, host by host.
 */
export function separateClusterPhases(
  /** The whole repository, the copy of an earlier run included (it is compared, never translated). */
  original: ReadonlyMap<string, string>,
  forklift: ReadonlyMap<string, string>,
  inventory: Inventory,
  options: MigrationOptions,
  findings: readonly Finding[],
): MigrationPhase[] {
  const root = options.clusterPath;
  // The copy is rebuilt whole: a file gone from the old cluster's tree leaves the copy too.
  const copy = new Map([...original].filter(([path]) => !path.startsWith(`${root}/`)));
  for (const [path, text] of forklift) {
    if (isManifestCandidate(path) && !path.startsWith('.github/')) copy.set(`${root}/${path}`, text);
  }
  const files: FileChange[] = treeChanges(original, copy);
  return [
    {
      index: 0,
      id: '01-new-cluster',
      title: `A new cluster with Linkerd, deployed from ${root}/`,
      namespaces: [],
      files,
      // The translation's findings are about what the new cluster runs.
      findings,
      checklist: newClusterSteps(inventory, options),
    },
    { index: 1, id: '02-cut-over', title: 'Move traffic to the new cluster at the edge', namespaces: [], files: [], findings: [], checklist: cutOverSteps(inventory) },
    {
      index: 2,
      id: '03-retire',
      title: 'Retire the OSM cluster',
      namespaces: [],
      files: [],
      findings: [],
      checklist: [
        'Keep the old cluster running, without traffic, for as long as you may want to roll back (the DNS TTL at least).',
        `Then delete it, and make ${root}/ the repository's only copy: remove the OSM manifests it was translated from.`,
      ],
    },
  ];
}

function newClusterSteps(inventory: Inventory, options: MigrationOptions): string[] {
  const root = options.clusterPath;
  const entries = gitOpsEntries(inventory);
  return [
    `Create the new cluster. ${atLeast(options.linkerdVersion, '2.19') ? 'Install the Gateway API CRDs (Linkerd 2.19+ no longer installs them), then ' : ''}install Linkerd ${options.linkerdVersion}: \`linkerd install --crds | kubectl apply -f -\`, \`linkerd install | kubectl apply -f -\`, \`linkerd check\`.`,
    entries.length > 0
      ? `Point the new cluster's GitOps entries at the copy: ${entries.map((e) => `${e.kind} ${e.name} (\`${e.path}\` → \`${root}/${e.path.replace(/^\.\//, '')}\`)`).join(', ')}.`
      : `Apply the copy to the new cluster the way the old one is deployed, from \`${root}/\` (e.g. \`kubectl apply -k ${root}/\`).`,
    'Check the new cluster before it takes traffic: `linkerd viz authz -n <namespace> deploy` for each namespace, and your own smoke tests against its ingress address.',
  ];
}

interface GitOpsEntry {
  readonly kind: string;
  readonly name: string;
  readonly path: string;
}

/** Flux Kustomizations and Argo CD Applications that deploy a folder of this repository. */
function gitOpsEntries(inventory: Inventory): GitOpsEntry[] {
  return inventory.objects.flatMap((o): GitOpsEntry[] => {
    const spec = asRecord(o.body['spec']);
    const path = o.ref.kind === 'Kustomization' && o.ref.apiVersion.startsWith('kustomize.toolkit.fluxcd.io')
      ? asString(spec['path'])
      : o.ref.kind === 'Application' && o.ref.apiVersion.startsWith('argoproj.io') ? asString(asRecord(spec['source'])['path']) : undefined;
    return path ? [{ kind: o.ref.kind, name: o.ref.name, path }] : [];
  });
}

/** The article's three ways, fitted to the hosts the repository's Ingresses and LoadBalancer Services serve. */
function cutOverSteps(inventory: Inventory): string[] {
  const hosts = [...new Set(inventory.objects.filter((o) => o.ref.kind === 'Ingress').flatMap((o) => asArray(asRecord(o.body['spec'])['rules']).map((r) => asString(asRecord(r)['host'])).filter((h): h is string => !!h)))].sort();
  const balancers = inventory.services.filter((s) => asRecord(s.object.body['spec'])['type'] === 'LoadBalancer').map((s) => `${s.namespace ?? '?'}/${s.name}`).sort();
  const where = hosts.length > 0 ? `the hosts ${hosts.map((h) => `\`${h}\``).join(', ')}` : 'your public hosts (no Ingress in the repository names one)';
  return [
    `Lower the DNS TTL of ${where} a day ahead, so each step takes effect quickly and can be undone.`,
    `Shift a fraction of the requests, then more, with one of: an HTTP redirect (not a proxy) from the old cluster's ingress to the new one for a share of requests on path prefix \`/\`; a CDN splitting between the two origins; or DNS round robin, adding the new ingress address as one more A record and replacing the old records one at a time (10 records → 10 % steps).`,
    ...(balancers.length > 0 ? [`LoadBalancer Services get new addresses in the new cluster: ${balancers.join(', ')}; move their DNS names the same way.`] : []),
    'Watch error rates on both clusters at every step; when the old cluster receives no more requests, the cut-over is done.',
  ];
}
