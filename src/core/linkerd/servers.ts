import { hash53, type Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { readLabelSelector, selectorSelects } from '../inventory/label-selector.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';
import type { Inventory, K8sObject, LabelSelector, Workload } from '../inventory/model.ts';
import { apiGroup, formatRef } from '../source.ts';
import { asPortNumber, asStringMap, getIn } from '../values.ts';
import type { MigrationOptions } from '../options.ts';
import { destinationMatches, readAccessModel, type AccessModel } from '../osm/access-model.ts';
import { exposedPorts, type ExposedPort } from '../osm/exposed-ports.ts';
import { backendPorts, readIngressBackends } from '../osm/ingress-backends.ts';
import { httpPortsBehind, readSettingLimits, resolveUpstreamTrafficSettings, workloadLimit } from '../osm/upstream-traffic-settings.ts';
import { buildServer, type ProxyProtocol, type ServerSpec } from './build.ts';
import { resourceName } from './names.ts';
import { GENERATED_BY_LABEL, type LinkerdResource } from './resources.ts';
import { narrowSelector, serverPortApplies, serverPortNumbers, type NarrowedSelector } from './server-selection.ts';
import { features } from './versions.ts';
import { generatedNamespace } from '../inventory/model.ts';

/**
 * Which Linkerd Servers the migration generates: one per workload pod port that some OSM object needs a Server for,
 * never two (two Servers selecting one pod port conflict, linkerd-semantics §4). The rules that emit Servers or
 * attach to them (traffic-target, ingress-backend, upstream-traffic-setting) and default-policy, which reports the
 * ports left without one, all ask this plan instead of guessing each other's decisions.
 *
 * A port needs a Server, in this fixed order:
 *  1. `traffic-target`: the workload runs as the destination of a TrafficTarget OSM honoured, and the port is exposed
 *     by a Service with a protocol OSM could program (not in permissive mode before 2.16: no Server accessPolicy);
 *  2. `ingress-backend`: an applied IngressBackend's backend reaches the port (`port.number` = a targetPort of it);
 *  3. `upstream-traffic-setting`: an applied UpstreamTrafficSetting sets a local HTTP limit that every request to the
 *     port met (2.17+: HTTPLocalRateLimitPolicy targets a Server).
 * The first need owns the Server: only that rule emits it, from its object (which decides the file and whether the
 * namespace is written), with its access policy (traffic-target and upstream-traffic-setting Servers in permissive
 * mode: `all-authenticated`, or `audit` for traffic-target when the option asks for it; else the default, deny). Later needs
 * attach their routes and policies to it by name.
 *
 * Every Server's podSelector is the workload's selector (matchLabels and matchExpressions), narrowed until no other
 * pod template of the namespace falls under it (server-selection.ts). When nothing tells another ServiceAccount's
 * pods apart, the Server is withheld: its authorizations would reach pods OSM protected as another identity
 * (osm-semantics §2.1.4), so the port keeps the default policy and an error finding says why. Two Servers still
 * governing one pod port are an error too (Linkerd then honours the older one only).
 */

export type ServerNeed = 'traffic-target' | 'ingress-backend' | 'upstream-traffic-setting';

/** The order needs are ranked in: the first need of a port emits its Server. */
export const SERVER_NEEDS: readonly ServerNeed[] = ['traffic-target', 'ingress-backend', 'upstream-traffic-setting'];

export interface PlannedServer {
  /** `<workload>-<port name or number>`, unique in the namespace (a hash suffix when two different Servers would clash). */
  readonly name: string;
  readonly workload: Workload;
  readonly port: ExposedPort;
  readonly proxyProtocol: ProxyProtocol;
  readonly accessPolicy?: ServerSpec['accessPolicy'];
  /** Every rule that needs the Server, in SERVER_NEEDS order. */
  readonly needs: readonly ServerNeed[];
  /** The rule that emits it: `needs[0]`. */
  readonly owner: ServerNeed;
  /** The Server's podSelector: the workload's selector, narrowed to keep other pod templates off it. */
  readonly podSelector: LabelSelector;
  /** The Server exactly as the owner emits it, and the object it is generated from. */
  readonly resource: LinkerdResource;
  readonly origin: K8sObject;
}

export interface ServerPlan {
  /** In the order needs were found: traffic-target's, then ingress-backend's, then upstream-traffic-setting's. */
  readonly servers: readonly PlannedServer[];
  /** The Server of a workload's pod port, if it gets one. */
  at(workload: Workload, port: number): PlannedServer | undefined;
  /** A pod port some rule needed a Server for that is withheld: it would select another ServiceAccount's pods. */
  withheld(workload: Workload, port: number): boolean;
  /** What selection decided: selectors narrowed, Servers withheld, pod ports two Servers claim. */
  readonly findings: readonly Finding[];
}

export interface ServerPlanInput {
  readonly inventory: Inventory;
  readonly options: Pick<MigrationOptions, 'linkerdVersion' | 'permissiveAccess'>;
  readonly meshMode: MeshMode;
}

/** The readable name of a pod port's Server; `PlannedServer.name` is the one to use for Servers that exist. */
export function serverName(workload: Workload, port: ExposedPort): string {
  return resourceName(workload.name, port.name ?? port.port);
}

/**
 * The Server protocol of a pod port: opaque for OSM's TCP protocols, HTTP/2 for gRPC, HTTP/1 when the Service
 * declares HTTP; else `unknown`, which detects HTTP/1.1 or HTTP/2 as Envoy's codec detection did for OSM's undeclared
 * default and still applies HTTPRoutes (linkerd-reference §3.2).
 */
export function proxyProtocolOf(port: ExposedPort): ProxyProtocol {
  if (port.protocol === 'tcp' || port.protocol === 'tcp-server-first') return 'opaque';
  if (port.protocol === 'grpc') return 'HTTP/2';
  return port.declared && port.protocol === 'http' ? 'HTTP/1' : 'unknown';
}

/** The paths of a workload's HTTP probes on a pod port, sorted: what Linkerd's default probe route answers. */
export function httpProbePaths(workload: Workload, port: number): string[] {
  return [...new Set(workload.probes.filter((p) => p.type === 'http' && p.port === port).map((p) => p.path ?? '/'))].sort();
}

/** The object a need comes from and the namespace written on what it generates (none where kustomize sets it). */
interface Source {
  readonly object: K8sObject;
  readonly namespace: string | undefined;
}

interface Draft {
  server: PlannedServer;
  readonly needs: ServerNeed[];
  readonly selection: NarrowedSelector;
}

/** Pure: the same inventory, version and mode always give the same plan (so four rules share one). */
export function planServers(input: ServerPlanInput): ServerPlan {
  const key = `${input.options.linkerdVersion}|${input.meshMode.mode}|${input.options.permissiveAccess}`;
  const byKey = plans.get(input.inventory) ?? new Map<string, ServerPlan>();
  plans.set(input.inventory, byKey);
  const known = byKey.get(key);
  if (known) return known;
  const plan = buildPlan(input);
  byKey.set(key, plan);
  return plan;
}

const plans = new WeakMap<Inventory, Map<string, ServerPlan>>();

function buildPlan(input: ServerPlanInput): ServerPlan {
  const planner = new Planner(input);
  const model = readAccessModel(input.inventory);
  trafficTargetNeeds(input, model, planner);
  ingressBackendNeeds(input, planner);
  rateLimitNeeds(input, model, planner);
  return planner.plan();
}

function trafficTargetNeeds({ inventory, options, meshMode }: ServerPlanInput, model: AccessModel, planner: Planner): void {
  // Before 2.16 a Server cannot admit meshed clients by itself: the namespace default (all-authenticated) does it.
  if (meshMode.mode === 'permissive' && !features(options.linkerdVersion).serverAccessPolicy) return;
  const destinations = new Set<string>();
  for (const p of model.policies) {
    const key = `${p.namespace ?? ''}/${p.destination}`;
    if (destinations.has(key)) continue;
    destinations.add(key);
    // The first TrafficTarget naming the destination is where its generated resources go.
    const source = { object: p.target, namespace: generatedNamespace(p.target, p.namespace) };
    for (const workload of inventory.workloadsRunningAs(p.namespace, p.destination)) {
      for (const port of exposedPorts(inventory, workload)) {
        if (port.protocol !== 'unsupported') planner.need('traffic-target', workload, port, source);
      }
    }
  }
}

function ingressBackendNeeds({ inventory }: ServerPlanInput, planner: Planner): void {
  for (const policy of readIngressBackends(inventory.osm('IngressBackend'), inventory).applied) {
    const source = { object: policy.object, namespace: policy.outNamespace };
    for (const backend of policy.backends) {
      for (const { workload, port } of backendPorts(inventory, policy, backend).ports) planner.need('ingress-backend', workload, port, source);
    }
  }
}

function rateLimitNeeds({ inventory, options, meshMode }: ServerPlanInput, model: AccessModel, planner: Planner): void {
  if (!features(options.linkerdVersion).localRateLimit) return;
  const permissive = meshMode.mode === 'permissive';
  for (const { setting, target } of resolveUpstreamTrafficSettings(inventory)) {
    if (target.kind !== 'service') continue;
    const service = inventory.findService(target.namespace, target.name);
    if (!service) continue;
    const limits = readSettingLimits(setting);
    const ports = httpPortsBehind(inventory, service);
    const source = { object: setting, namespace: generatedNamespace(setting, setting.ref.namespace) };
    for (const workload of new Set(ports.map((p) => p.workload))) {
      const matches = destinationMatches(model.policies, workload.namespace, workload.serviceAccount);
      if (!workloadLimit(limits, matches, permissive).effective) continue;
      for (const p of ports.filter((x) => x.workload === workload)) planner.need('upstream-traffic-setting', workload, p.port, source);
    }
  }
}

/** What the owner's Server admits by itself; omitted = the CRD default, deny. */
function accessPolicyOf(owner: ServerNeed, input: ServerPlanInput): ServerSpec['accessPolicy'] {
  if (input.meshMode.mode !== 'permissive') return undefined;
  // OSM enforced no TrafficTarget in permissive mode; `audit` (chosen explicitly) also admits plaintext clients.
  if (owner === 'traffic-target' && input.options.permissiveAccess === 'audit') return 'audit';
  // Permissive mode let every meshed client in, and no plaintext one (osm-semantics §6.1-6.2).
  if (owner === 'traffic-target' || owner === 'upstream-traffic-setting') return 'all-authenticated';
  // ingress-backend admits every meshed identity with an AuthorizationPolicy of its own.
  return undefined;
}

class Planner {
  private readonly input: ServerPlanInput;
  private readonly drafts: Draft[] = [];
  private readonly byWorkload = new Map<Workload, Map<number, Draft>>();
  /** Servers by namespace and name, to keep two different Servers from sharing a name. */
  private readonly byName = new Map<string, LinkerdResource>();

  constructor(input: ServerPlanInput) {
    this.input = input;
  }

  need(need: ServerNeed, workload: Workload, port: ExposedPort, source: Source): void {
    const ports = this.byWorkload.get(workload) ?? new Map<number, Draft>();
    this.byWorkload.set(workload, ports);
    const existing = ports.get(port.port);
    if (existing) {
      if (!existing.needs.includes(need)) existing.needs.push(need);
      return;
    }
    const selection = narrowSelector(this.input.inventory, workload, port.name ?? port.port);
    const draft: Draft = { server: this.build(need, workload, port, source, selection.selector), needs: [need], selection };
    ports.set(port.port, draft);
    this.drafts.push(draft);
  }

  /** The Server as its owner writes it, under a name no different Server of the namespace has. */
  private build(owner: ServerNeed, workload: Workload, port: ExposedPort, source: Source, podSelector: LabelSelector): PlannedServer {
    const accessPolicy = accessPolicyOf(owner, this.input);
    const proxyProtocol = proxyProtocolOf(port);
    const resource = (name: string) => buildServer(this.input.options.linkerdVersion, {
      name, namespace: source.namespace, podLabels: podSelector.matchLabels, matchExpressions: podSelector.matchExpressions,
      port: port.name ?? port.port, proxyProtocol, ...(accessPolicy ? { accessPolicy } : {}),
    });
    // As the Emitter does within one rule: the same Server twice keeps its name, another one gets a content hash.
    let built = resource(serverName(workload, port));
    for (let clash = this.clash(workload, built); clash; clash = this.clash(workload, built)) {
      built = resource(resourceName(built.metadata.name, hash53(JSON.stringify(built.spec)).slice(0, 5)));
    }
    const server: PlannedServer = {
      name: built.metadata.name, workload, port, proxyProtocol, ...(accessPolicy ? { accessPolicy } : {}), needs: [owner], owner, podSelector, resource: built, origin: source.object,
    };
    this.byName.set(`${workload.namespace ?? ''}/${server.name}`, built);
    return server;
  }

  private clash(workload: Workload, resource: LinkerdResource): boolean {
    const taken = this.byName.get(`${workload.namespace ?? ''}/${resource.metadata.name}`);
    return taken !== undefined && JSON.stringify(taken) !== JSON.stringify(resource);
  }

  plan(): ServerPlan {
    const findings: Finding[] = [];
    const withheld = new Set<Draft>();
    for (const d of this.drafts) {
      const foreign = d.selection.unresolved.filter((w) => w.serviceAccount !== d.server.workload.serviceAccount);
      if (d.selection.added.length > 0) findings.push(narrowedFinding(d));
      if (foreign.length === 0) continue;
      findings.push(withheldFinding(d, foreign));
      withheld.add(d);
    }
    const kept = this.drafts.filter((d) => !withheld.has(d));
    const servers = kept.map((d) => ({ ...d.server, needs: [...d.needs].sort((a, b) => SERVER_NEEDS.indexOf(a) - SERVER_NEEDS.indexOf(b)) }));
    findings.push(...portConflicts(this.input.inventory, servers));
    const index = new Map<Workload, Map<number, PlannedServer>>();
    for (const s of servers) index.set(s.workload, (index.get(s.workload) ?? new Map<number, PlannedServer>()).set(s.port.port, s));
    const isWithheld = (workload: Workload, port: number) => [...withheld].some((d) => d.server.workload === workload && d.server.port.port === port);
    return { servers, at: (workload, port) => index.get(workload)?.get(port), withheld: isWithheld, findings };
  }
}

function portLabel(server: PlannedServer): string {
  return `${server.workload.name}:${server.port.name ?? server.port.port}`;
}

function workloadList(workloads: readonly Workload[]): string {
  return workloads.map((w) => `${w.kind} ${w.name} (ServiceAccount ${w.serviceAccount})`).join(', ');
}

function narrowedFinding({ server, selection }: Draft): Finding {
  return finding('server-selection/narrowed', server.workload.object.locate(['spec', 'selector']), {
    resource: formatRef(server.workload.object.ref),
    message: `The selector of ${formatRef(server.workload.object.ref)} also selects the pods of ${workloadList(selection.excluded)} on port ${server.port.name ?? server.port.port}: Server ${server.name} adds ${selection.added.join(', ')} (labels that tell the pod templates apart) so it governs ${server.workload.name}'s pods only.`,
  });
}

function withheldFinding({ server, selection }: Draft, foreign: readonly Workload[]): Finding {
  const workload = server.workload;
  return finding('server-selection/selects-other-identity', workload.object.locate(['spec', 'selector']), {
    resource: formatRef(workload.object.ref),
    message: [
      `A Server for ${portLabel(server)} would select the pods of ${workloadList(foreign)} too, and no label of ${workload.name}'s pod template tells them apart.`,
      `Its authorizations would let ${workload.serviceAccount}'s clients reach those pods, which OSM refused (identity is per pod ServiceAccount), so Server ${server.name} and everything attached to it is not generated:`,
      `port ${server.port.port} of ${workload.name} keeps the namespace's default inbound policy.`,
      ...(selection.excluded.length > 0 ? [`(${workloadList(selection.excluded)} could be told apart.)`] : []),
    ].join(' '),
    affects: [{ namespace: workload.namespace ?? '', serviceAccount: workload.serviceAccount, port: server.port.port }],
  });
}

/** A Server that governs pod ports: one the migration generates, or one already in the repository. */
interface Claim {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly selector: LabelSelector;
  readonly port: number | string;
  readonly generated: boolean;
}

/**
 * Linkerd Servers already in the repository (a migration done partly by hand). Our own output from an earlier run
 * carries the managed-by label and is replaced, not added to.
 */
function repositoryServers(inventory: Inventory): Claim[] {
  return inventory.objects.flatMap((o): Claim[] => {
    if (o.ref.kind !== 'Server' || apiGroup(o.ref.apiVersion) !== 'policy.linkerd.io') return [];
    const labels = asStringMap(getIn(o.body, ['metadata', 'labels']));
    if (Object.entries(GENERATED_BY_LABEL).every(([k, v]) => labels[k] === v)) return [];
    const raw = getIn(o.body, ['spec', 'port']);
    const port = typeof raw === 'string' && !/^\d+$/.test(raw) ? raw : asPortNumber(raw);
    if (port === undefined) return [];
    return [{ name: o.ref.name, namespace: o.ref.namespace, selector: readLabelSelector(getIn(o.body, ['spec', 'podSelector'])), port, generated: false }];
  });
}

/**
 * Pod ports that two Servers govern (selector and port), found over every pod template of the inventory: two
 * generated ones, or a generated one and one the repository already has.
 */
function portConflicts(inventory: Inventory, servers: readonly PlannedServer[]): Finding[] {
  const generated: Claim[] = servers.map((s) => ({ name: s.name, namespace: s.workload.namespace, selector: s.podSelector, port: s.port.name ?? s.port.port, generated: true }));
  const byNamespace = new Map<string | undefined, Claim[]>();
  for (const c of [...generated, ...repositoryServers(inventory)]) {
    const list = byNamespace.get(c.namespace);
    if (list) list.push(c);
    else byNamespace.set(c.namespace, [c]);
  }
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const pod of inventory.workloads) {
    const claims = new Map<number, Claim[]>();
    for (const c of byNamespace.get(pod.namespace) ?? []) {
      if (!selectorSelects(c.selector, pod.podLabels) || !serverPortApplies(c.port, pod)) continue;
      for (const n of serverPortNumbers(c.port, pod)) claims.set(n, [...(claims.get(n) ?? []), c]);
    }
    for (const [port, claimants] of claims) {
      if (claimants.length < 2 || !claimants.some((c) => c.generated)) continue;
      const names = claimants.map((c) => (c.generated ? c.name : `${c.name} (already in the repository)`)).sort();
      const key = `${pod.namespace ?? ''}/${names.join(',')}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.push(finding('traffic-target/server-conflict', pod.object.locate(['spec', 'selector']), {
        resource: formatRef(pod.object.ref),
        message: `Servers ${names.join(' and ')} all select port ${port} of ${formatRef(pod.object.ref)}'s pods: Linkerd honours only one of them (the oldest from 2.18, either before), so the others' authorizations do not apply there.`,
        affects: [{ namespace: pod.namespace ?? '', serviceAccount: pod.serviceAccount, port }],
      }));
    }
  }
  return findings;
}
