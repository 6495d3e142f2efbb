import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import type { Inventory, K8sObject } from '../inventory/model.ts';
import { buildAuthorizationPolicy, buildNetworkAuthentication } from '../linkerd/build.ts';
import type { GeneratedResource } from '../linkerd/resources.ts';
import type { LoadResult, LoadedDocument } from '../load/load.ts';
import { atLeast, type MigrationOptions } from '../options.ts';
import type { EditIntent } from '../edits/edit-intent.ts';
import { planFiles } from '../plan/plan.ts';
import type { MigrationPhase } from '../plan/types.ts';
import type { Consumed } from '../rules/rule.ts';
import type { SourceLocation } from '../source.ts';
import { asRecord } from '../values.ts';
import type { CallGraph } from './call-graph.ts';
import type { NamespaceGroup } from './order.ts';
import { applyChanges, treeChanges } from '../plan/tree-changes.ts';
import type { PhaseVerification } from '../verify/phase-verify.ts';
import { describeSource } from '../verify/types.ts';

/**
 * A zero-downtime migration as an ordered list of phases (migration-strategies.md, "Consequences for a phased plan"):
 *  - bridge: OSM switched to permissive mode with the egress passthrough, so OSM callers reach moved callees;
 *  - one phase per namespace group, callees first: its injection and Linkerd policy, with the Servers admitting the
 *    callers still on OSM (they arrive unauthenticated) until the lock-down;
 *  - lock-down: the forklift translation exactly (deny by default, OSM resources removed, bridges gone).
 * Each phase's files are relative to the tree after the phases before it; applying them all gives the forklift tree.
 */
export interface PhasePlanInput {
  readonly load: LoadResult;
  readonly inventory: Inventory;
  readonly options: MigrationOptions;
  readonly resources: readonly GeneratedResource[];
  readonly edits: readonly EditIntent[];
  readonly consumed: readonly Consumed[];
  readonly original: ReadonlyMap<string, string>;
  /** The forklift result: the tree after the last phase. */
  readonly forklift: ReadonlyMap<string, string>;
  readonly graph: CallGraph;
  readonly groups: readonly NamespaceGroup[];
  /** The translation's own findings, each shown in the first phase that changes its file. */
  readonly findings: readonly Finding[];
  /** Judges the cluster a phase leaves (verify/phase-verify.ts: it reads the tree, not this plan). */
  verifyTree(tree: ReadonlyMap<string, string>): PhaseVerification;
}

const DEFAULT_INBOUND_POLICY = 'config.linkerd.io/default-inbound-policy';

export function planPhases(input: PhasePlanInput): MigrationPhase[] {
  const objects = new Map<LoadedDocument, K8sObject>(input.inventory.objects.map((o) => [o.doc, o]));
  const bridge = bridgeIntents(input.inventory);
  const trees: ReadonlyMap<string, string>[] = [input.original, applyTree(input, bridge.intents, [])];
  const moved = new Set<string>();
  for (const group of input.groups) {
    group.namespaces.forEach((ns) => moved.add(ns));
    const step = stepOutputs(input, objects, moved);
    trees.push(applyTree(input, [...bridge.intents, ...step.edits], step.resources));
  }
  trees.push(input.forklift);
  const phases: MigrationPhase[] = [];
  const last = input.groups.length + 1;
  const changes = trees.slice(0, -1).map((tree, i) => treeChanges(tree, trees[i + 1] as ReadonlyMap<string, string>));
  const phaseOfFinding = findingPhases(input, changes);
  for (let i = 0; i <= last; i++) {
    const files = changes[i] ?? [];
    const verify = input.verifyTree(trees[i + 1] as ReadonlyMap<string, string>);
    const own = [...outageFindings(input, verify), ...input.findings.filter((f) => phaseOfFinding.get(f) === i)];
    const group = i === 0 || i === last ? undefined : input.groups[i - 1];
    const base = { index: i, files, verify };
    if (i === 0) phases.push({ ...base, ...bridgePhase(input, bridge), findings: [...bridgeFindings(input, bridge), ...own] });
    else if (group) phases.push({ ...base, ...movePhase(input, group, i), findings: [...moveFindings(input, group), ...own] });
    else phases.push({ ...base, ...lockDownPhase(input, i), findings: own });
  }
  return phases;
}

const MAX_OUTAGE_FINDINGS = 20;

/** A request OSM allowed that a phase's cluster denies, and that no finding explains: the order or a bridge is wrong. */
function outageFindings(input: PhasePlanInput, verify: PhaseVerification): Finding[] {
  const seen = new Map<string, Finding>();
  for (const d of verify.outages) {
    if (d.coveredBy.length > 0 || seen.size >= MAX_OUTAGE_FINDINGS) continue;
    const r = d.request;
    const key = `${describeSource(r.source)}\u0000${r.namespace}/${r.workload}:${r.port}`;
    if (seen.has(key)) continue;
    const workload = input.inventory.workloads.find((w) => w.namespace === r.namespace && w.name === r.workload);
    const what = r.http ? `${r.http.method} ${r.http.path}` : 'a TCP connection';
    seen.set(key, finding('phases/outage', workload?.object.locate(['metadata', 'name']) ?? { file: '', line: 0 }, {
      resource: `${r.namespace}/${r.workload}`,
      message: { describeSource: describeSource(r.source), workload: r.workload, port: r.port, what, reason: d.linkerd.reason, reason2: d.osm.reason },
    }));
  }
  return [...seen.values()];
}

/**
 * A finding belongs to the first phase that changes its file, not before the phase that moves the namespace of its
 * object (a Service's protocol change waits for its callers, so its finding waits too); without a change, to the
 * phase that moves its namespace, else the lock-down.
 */
function findingPhases(input: PhasePlanInput, changes: readonly (readonly { path: string }[])[]): Map<Finding, number> {
  const moveOf = new Map<string, number>();
  input.groups.forEach((g, i) => g.namespaces.forEach((ns) => moveOf.set(ns, i + 1)));
  const changedIn = new Map<string, number[]>();
  changes.forEach((files, i) => files.forEach((f) => changedIn.set(f.path, [...(changedIn.get(f.path) ?? []), i])));
  const last = input.groups.length + 1;
  return new Map(input.findings.map((f) => {
    const ns = resourceNamespaceOf(f.resource);
    const move = ns === undefined ? undefined : moveOf.get(ns);
    const change = (changedIn.get(f.file) ?? []).find((i) => i >= (move ?? 0));
    return [f, change ?? move ?? last];
  }));
}

/** `Namespace/<name>` or `<Kind>/<namespace>/<name>`, as findings name their resource. */
function resourceNamespaceOf(resource: string): string | undefined {
  const parts = resource.split('/');
  if (parts[0] === 'Namespace' && parts.length === 2) return parts[1];
  return parts.length === 3 ? parts[1] : undefined;
}

function applyTree(input: PhasePlanInput, edits: readonly EditIntent[], resources: readonly GeneratedResource[]): Map<string, string> {
  const plan = planFiles({ load: input.load, inventory: input.inventory, resources, edits, consumed: input.consumed, options: input.options, keepOsmDocuments: true });
  return applyChanges(input.original, plan.files);
}

interface Bridge {
  readonly intents: readonly EditIntent[];
  readonly meshConfigs: readonly K8sObject[];
}

/** OSM permissive with egress passthrough: the only way an OSM caller reaches a callee OSM no longer knows. */
function bridgeIntents(inventory: Inventory): Bridge {
  const meshConfigs = inventory.osm('MeshConfig');
  const intents = meshConfigs.flatMap((m): EditIntent[] => {
    const traffic = asRecord(asRecord(m.body['spec'])['traffic']);
    const entries = [
      ...(traffic['enablePermissiveTrafficPolicyMode'] === true ? [] : [{ key: 'enablePermissiveTrafficPolicyMode', value: true }]),
      ...(traffic['enableEgress'] === true ? [] : [{ key: 'enableEgress', value: true }]),
    ];
    return entries.length === 0 ? [] : [{ type: 'set-keys', doc: m.doc, path: ['spec', 'traffic'], entries }];
  });
  return { intents, meshConfigs };
}

interface StepOutputs {
  readonly resources: GeneratedResource[];
  readonly edits: EditIntent[];
}

/**
 * The translation restricted to the namespaces moved so far, opened for the callers still on OSM: Servers admit
 * unauthenticated clients (audit from 2.16, a NetworkAuthentication for every network before), the default inbound
 * policy is audit / all-unauthenticated, and a Service's protocol changes only once every namespace calling it moved.
 */
function stepOutputs(input: PhasePlanInput, objects: ReadonlyMap<LoadedDocument, K8sObject>, moved: ReadonlySet<string>): StepOutputs {
  const audit = atLeast(input.options.linkerdVersion, '2.16');
  const resources = input.resources.filter((r) => isIn(resourceNamespace(r), moved)).flatMap((r) => openResource(r, audit));
  const callersMoved = (ns: string) => input.graph.edges.filter((e) => e.callee === ns).every((e) => moved.has(e.caller));
  const edits = input.edits.flatMap((e): EditIntent[] => {
    const object = objects.get(e.doc);
    const ns = object ? objectNamespace(object) : undefined;
    if (!object || !isIn(ns, moved)) return [];
    if (isProtocolEdit(object, e) && !callersMoved(ns as string)) return [];
    return [openDefaultPolicy(e, audit ? 'audit' : 'all-unauthenticated')];
  });
  return { resources: [...resources, ...(audit ? [] : networkAuthentications(resources))], edits };
}

function isIn(namespace: string | undefined, set: ReadonlySet<string>): boolean {
  return namespace !== undefined && set.has(namespace);
}

function resourceNamespace(r: GeneratedResource): string | undefined {
  return r.resource.metadata.namespace ?? r.origin.ref.namespace;
}

function objectNamespace(o: K8sObject): string | undefined {
  return o.ref.kind === 'Namespace' ? o.ref.name : o.ref.namespace;
}

const PHASE_NETWORKS = 'osm2linkerd-phase-all-networks';

function openResource(r: GeneratedResource, audit: boolean): GeneratedResource[] {
  if (r.resource.kind !== 'Server') return [r];
  if (audit) return [{ ...r, resource: { ...r.resource, spec: { ...r.resource.spec, accessPolicy: 'audit' } } }];
  const policy = buildAuthorizationPolicy(`${r.resource.metadata.name}-phase`, r.resource.metadata.namespace, { kind: 'Server', name: r.resource.metadata.name }, [
    { kind: 'NetworkAuthentication', name: PHASE_NETWORKS },
  ]);
  return [r, { resource: policy, origin: r.origin }];
}

/** One NetworkAuthentication per generated file and namespace for the phase policies before 2.16. */
function networkAuthentications(resources: readonly GeneratedResource[]): GeneratedResource[] {
  const seen = new Map<string, GeneratedResource>();
  for (const r of resources) {
    if (r.resource.kind !== 'Server') continue;
    const key = `${r.origin.doc.file}\u0000${r.resource.metadata.namespace ?? ''}`;
    if (!seen.has(key)) {
      seen.set(key, { resource: buildNetworkAuthentication(PHASE_NETWORKS, r.resource.metadata.namespace, ['0.0.0.0/0', '::/0']), origin: r.origin });
    }
  }
  return [...seen.values()];
}

/** OSM clients pick the protocol of a Service port from appProtocol (osm-semantics §6.5): keep it while they call. */
function isProtocolEdit(object: K8sObject, e: EditIntent): boolean {
  if (object.ref.kind !== 'Service') return false;
  if (e.type === 'set-key' || e.type === 'rename-key' || e.type === 'remove-key') return e.key === 'appProtocol';
  return e.type === 'set-keys' && e.entries.some((entry) => entry.key === 'appProtocol');
}

function openDefaultPolicy(e: EditIntent, value: string): EditIntent {
  if (e.type === 'set-key' && e.key === DEFAULT_INBOUND_POLICY) return { ...e, value };
  if (e.type === 'set-keys' && e.entries.some((x) => x.key === DEFAULT_INBOUND_POLICY)) {
    return { ...e, entries: e.entries.map((x) => (x.key === DEFAULT_INBOUND_POLICY ? { ...x, value } : x)) };
  }
  return e;
}

type PhaseText = Pick<MigrationPhase, 'id' | 'title' | 'namespaces' | 'checklist'>;

const MESH_CONFIG_PATCH =
  `kubectl patch meshconfig osm-mesh-config -n osm-system --type merge -p '{"spec":{"traffic":{"enablePermissiveTrafficPolicyMode":true,"enableEgress":true}}}'`;

function bridgePhase(input: PhasePlanInput, bridge: Bridge): PhaseText {
  const gatewayApi = atLeast(input.options.linkerdVersion, '2.19')
    ? ['Install the Gateway API CRDs the target needs (Linkerd 2.19+ no longer installs them): `kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml`.']
    : [];
  return {
    id: '00-bridge',
    title: 'Bridge: Linkerd beside OSM, OSM in permissive mode with egress passthrough',
    namespaces: [],
    checklist: [
      ...gatewayApi,
      `Install Linkerd ${input.options.linkerdVersion} beside OSM: \`linkerd install --crds | kubectl apply -f -\`, then \`linkerd install | kubectl apply -f -\` and \`linkerd check\`.`,
      bridge.meshConfigs.length > 0
        ? 'Merge this pull request: OSM switches to permissive mode with the egress passthrough.'
        : `No MeshConfig is in the repository: switch OSM by hand: \`${MESH_CONFIG_PATCH}\`.`,
      'Nothing restarts in this phase; check that traffic still flows (`osm proxy get stats` or your dashboards).',
    ],
  };
}

function bridgeFindings(input: PhasePlanInput, bridge: Bridge): Finding[] {
  const at: SourceLocation = bridge.meshConfigs[0]?.locate(['spec', 'traffic']) ?? { file: '', line: 0 };
  const order = input.groups.map((g) => g.namespaces.join(' + ')).join(' → ');
  const evidence = input.graph.edges.length === 0
    ? 'the repository shows no call between meshed namespaces (no TrafficTarget, IngressBackend or Service address crosses them)'
    : input.graph.edges.map((e) => `${e.caller} → ${e.callee} (${e.evidence})`).join('; ');
  return [
    finding('phases/osm-bridge-widens', at, {
      message: 'Until the lock-down phase, OSM runs in permissive mode with the egress passthrough: every OSM-meshed client may call every OSM-meshed server on any route (TrafficTargets are not enforced), and OSM-meshed clients may reach any destination outside the mesh. The lock-down phase removes OSM and enforces the translated policy.',
    }),
    finding('phases/call-order', at, { message: { order: order || 'none', evidence } }),
  ];
}

function movePhase(input: PhasePlanInput, group: NamespaceGroup, index: number): PhaseText {
  const names = group.namespaces.join(', ');
  const restart = group.namespaces.map((ns) => `\`kubectl rollout restart deployment,statefulset,daemonset -n ${ns}\``).join(', ');
  const outside = group.namespaces.filter((ns) => !input.inventory.findNamespace(ns));
  return {
    id: `${String(index).padStart(2, '0')}-${slug(group.namespaces)}`,
    title: `Move ${names} to Linkerd`,
    namespaces: group.namespaces,
    checklist: [
      ...outside.map((ns) => `Namespace ${ns} has no manifest here: \`kubectl label namespace ${ns} openservicemesh.io/monitored-by-\` and \`kubectl annotate namespace ${ns} linkerd.io/inject=enabled\`.`),
      `Merge this pull request, then restart every workload so the pods get Linkerd's proxy: ${restart}.`,
      `Watch for requests Linkerd would deny (\`authz.name=audit\` in the proxy logs, or \`linkerd viz authz -n <ns> deploy\`) before the next phase.`,
    ],
  };
}

function moveFindings(input: PhasePlanInput, group: NamespaceGroup): Finding[] {
  const at = namespaceLocation(input.inventory, group.namespaces[0]);
  const audit = atLeast(input.options.linkerdVersion, '2.16');
  const findings = [
    finding('phases/temporarily-wider', at, {
      message: { namespaces: group.namespaces.join(', '), audit },
    }),
  ];
  if (group.cycleEdges.length > 0) {
    const calls = group.cycleEdges.map((e) => `${e.caller} → ${e.callee} (${e.evidence})`).join('; ');
    findings.push(finding('phases/call-cycle', at, {
      message: { namespaces: group.namespaces.join(', '), calls },
    }));
  }
  return findings;
}

function lockDownPhase(input: PhasePlanInput, index: number): PhaseText {
  const meshed = input.graph.namespaces;
  return {
    id: `${String(index).padStart(2, '0')}-lock-down`,
    title: 'Lock down: the exact translation, OSM removed',
    namespaces: [],
    checklist: [
      'Merge this pull request: Servers enforce the translated policy, OSM resources are removed, and the MeshConfig bridge goes with them.',
      ...(meshed.length > 0 ? [`Restart every workload of ${meshed.join(', ')} so the default inbound policy takes effect (annotations are read when a pod starts).`] : []),
      'Uninstall OSM: `osm uninstall mesh`, then remove its CRDs (`osm uninstall mesh --delete-cluster-wide-resources`).',
    ],
  };
}

function namespaceLocation(inventory: Inventory, namespace: string | undefined): SourceLocation {
  const manifest = namespace === undefined ? undefined : inventory.findNamespace(namespace);
  if (manifest) return manifest.object.locate(['metadata', 'name']);
  const workload = inventory.workloads.find((w) => w.namespace === namespace);
  return workload ? workload.object.locate(['metadata', 'name']) : { file: '', line: 0 };
}

function slug(namespaces: readonly string[]): string {
  const text = namespaces.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return text.length > 40 ? text.slice(0, 40).replace(/-+$/, '') : text || 'namespaces';
}
