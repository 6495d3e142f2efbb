import type { Finding } from '../findings/finding.ts';
import { buildInventory } from '../inventory/inventory.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';
import type { Inventory, Workload } from '../inventory/model.ts';
import { loadRepository, type LoadResult } from '../load/load.ts';
import type { LinkerdVersion } from '../options.ts';
import type { RepositoryFiles } from '../source.ts';
import { asRecord } from '../values.ts';
import { authorizedIdentities, linkerdAllows, routeSamples } from './linkerd-allows.ts';
import { linkerdInjection, osmEvidence, osmInjected, podPorts } from './mesh-membership.ts';
import { osmAllows, type OsmWorld } from './osm-allows.ts';
import { readOsmAccess } from './osm-access.ts';
import { ingressSources, readOsmIngress } from './osm-ingress.ts';
import { requestsFor, sourceIdentities } from './requests.ts';
import type { AccessRequest, Decision, Difference } from './types.ts';
import { counterparts, coveringFindings, linkerdWorlds, memo } from './verify.ts';

/**
 * A cluster in the middle of a phased migration, read from one phase's tree alone: which pods each mesh injects
 * (OSM's labels and annotations, Linkerd's), OSM's mode and egress from the MeshConfig, Linkerd's policy from the
 * generated resources. It does not ask the plan which namespaces moved.
 *
 * Cross-mesh rules (migration-strategies.md): an OSM server refuses every client outside OSM (a Linkerd caller is one)
 * unless an IngressBackend admits its address; an OSM caller reaches a destination OSM does not inject only through
 * the egress passthrough, and arrives there unauthenticated (plaintext); each mesh applies its own rules to its pods.
 */
export interface PhaseVerifyInput {
  /** The repository before the migration and OSM's mode then: the reference every phase is held to. */
  readonly before: Inventory;
  readonly meshMode: MeshMode;
  readonly tree: RepositoryFiles;
  readonly linkerdVersion: LinkerdVersion;
  readonly findings: readonly Finding[];
  /** Parses a tree (load.ts `reloader`: files unchanged since an earlier load are not parsed again); default loadRepository. */
  readonly load?: (files: RepositoryFiles) => LoadResult;
}

export interface PhaseVerification {
  readonly requests: number;
  /** Requests OSM allowed before the migration that this phase's cluster denies: an outage unless a finding says so. */
  readonly outages: readonly Difference[];
  /** Requests OSM denied before that this phase's cluster allows (the temporary widening of a phased plan). */
  readonly wider: number;
}

type Mesh = 'osm' | 'linkerd' | 'none';

const CALLER_IP = '10.1.0.10';

export function verifyPhase(input: PhaseVerifyInput): PhaseVerification {
  const before = input.before;
  const { access, evidence, ingress, everyone } = beforeOf(before);
  const beforeWorld: OsmWorld = { inventory: before, access, meshMode: input.meshMode, ingress };
  const now = buildInventory((input.load ?? loadRepository)(input.tree)).inventory;
  const nowAccess = readOsmAccess(now);
  const nowEvidence = osmEvidence(now, nowAccess);
  const osm = osmSettings(now);
  const nowWorld: OsmWorld = { inventory: now, access: nowAccess, meshMode: { mode: osm.permissive ? 'permissive' : 'smi', source: 'meshconfig' }, ingress: readOsmIngress(now) };
  const worlds = linkerdWorlds(now, input.linkerdVersion);
  const counterpart = counterparts(now);
  const meshOf = (w: Workload): Mesh => {
    const moved = counterpart(w);
    if (linkerdInjection(now, moved).injection === 'enabled') return 'linkerd';
    return osmInjected(now, moved, nowEvidence) ? 'osm' : 'none';
  };
  const namespaceMesh = memo((namespace: string): Mesh => {
    const running = before.workloads.filter((w) => w.namespace === namespace);
    return running.length > 0 ? meshOf(running[0] as Workload) : 'osm';
  });
  // The pods calling as an identity: each mesh they run in is tried (a caller split across meshes must work from both).
  const callerMeshes = (namespace: string, serviceAccount: string): Set<Mesh> => {
    const running = before.workloadsRunningAs(namespace, serviceAccount);
    return new Set(running.length > 0 ? running.map(meshOf) : [namespaceMesh(namespace)]);
  };
  const outages: Difference[] = [];
  let requests = 0;
  let wider = 0;
  for (const workload of before.workloads) {
    const namespace = workload.namespace;
    if (namespace === undefined) continue;
    const wasMeshed = osmInjected(before, workload, evidence);
    const callee = meshOf(workload);
    if (!wasMeshed && callee === 'none') continue;
    const moved = counterpart(workload);
    const world = worlds(namespace);
    const ports = podPorts(before, workload);
    const grants = access.grantsTo(namespace, workload.serviceAccount);
    const matrix = requestsFor({
      workload,
      ports,
      osmMatches: wasMeshed ? grants.flatMap((g) => g.matches) : [],
      linkerdSamples: memo((port: number) => routeSamples(world, namespace, port, moved)),
      identities: sourceIdentities(grants.flatMap((g) => g.sources), ports.flatMap(({ port }) => authorizedIdentities(world, namespace, port, moved)), everyone, namespace),
      extraSources: wasMeshed ? ingressSources(ingress, before, workload, () => undefined) : [],
    });
    const decideIn = (caller: Mesh, request: AccessRequest): Decision => {
      if (callee === 'none') return { allowed: true, reason: 'no proxy' };
      const plaintext: AccessRequest = { ...request, source: { kind: 'unmeshed', ip: CALLER_IP } };
      if (callee === 'osm') {
        return caller === 'linkerd'
          ? relabel(osmAllows(nowWorld, plaintext, workload, ports), 'Linkerd caller at an OSM server')
          : osmAllows(nowWorld, request, workload, ports);
      }
      if (caller !== 'osm') return linkerdAllows(world, request, moved);
      if (!osm.egress) return { allowed: false, reason: 'OSM caller: egress to a destination OSM does not inject is off' };
      return relabel(linkerdAllows(world, plaintext, moved), 'OSM caller through the egress passthrough (unauthenticated)');
    };
    for (const request of matrix) {
      requests++;
      const then = wasMeshed ? osmAllows(beforeWorld, request, workload, ports) : { allowed: true, reason: 'no OSM sidecar' };
      const callers: Set<Mesh> = request.source.kind === 'meshed' ? callerMeshes(request.source.namespace, request.source.serviceAccount) : new Set(['none']);
      const decisions = [...callers].map((c) => decideIn(c, request));
      const during = decisions.find((d) => !d.allowed) ?? decisions[0] ?? { allowed: true, reason: 'no caller' };
      if (then.allowed && !during.allowed) outages.push({ request, osm: then, linkerd: during, coveredBy: coveringFindings(input.findings, request) });
      else if (!then.allowed && during.allowed) wider++;
    }
  }
  return { requests, outages, wider };
}

interface BeforeReading {
  readonly access: ReturnType<typeof readOsmAccess>;
  readonly evidence: ReadonlySet<string>;
  readonly ingress: ReturnType<typeof readOsmIngress>;
  readonly everyone: ReadonlySet<string>;
}

/** What OSM enforced before the migration: the same for every phase of a plan, so read once per inventory. */
const beforeReadings = new WeakMap<Inventory, BeforeReading>();

function beforeOf(before: Inventory): BeforeReading {
  const known = beforeReadings.get(before);
  if (known) return known;
  const access = readOsmAccess(before);
  const everyone = new Set(access.identities);
  for (const w of before.workloads) if (w.namespace) everyone.add(`${w.serviceAccount}.${w.namespace}`);
  const reading = { access, evidence: osmEvidence(before, access), ingress: readOsmIngress(before), everyone };
  beforeReadings.set(before, reading);
  return reading;
}

function relabel(decision: Decision, how: string): Decision {
  return { allowed: decision.allowed, reason: `${how}: ${decision.reason}` };
}

/**
 * OSM's switches in this tree: its MeshConfig's, or, with none in the repository, the bridge the phased plan's
 * checklist has the user apply by hand (permissive with the egress passthrough).
 */
function osmSettings(inventory: Inventory): { readonly permissive: boolean; readonly egress: boolean } {
  const config = inventory.osm('MeshConfig')[0];
  if (!config) return { permissive: true, egress: true };
  const traffic = asRecord(asRecord(config.body['spec'])['traffic']);
  return { permissive: traffic['enablePermissiveTrafficPolicyMode'] === true, egress: traffic['enableEgress'] === true };
}
