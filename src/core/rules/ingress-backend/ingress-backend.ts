import type { DifferenceScope } from '../../findings/finding.ts';
import { finding, raises, type RaisedId } from './findings.ts';
import type { Inventory, Service, Workload } from '../../inventory/model.ts';
import { selects } from '../../inventory/services.ts';
import {
  buildAuthorizationPolicy,
  buildMeshTlsAuthentication,
  buildNetworkAuthentication,
  buildServer,
  buildServerRoute,
  type AuthenticationRef,
} from '../../linkerd/build.ts';
import { resourceName } from '../../linkerd/names.ts';
import type { LinkerdResource } from '../../linkerd/resources.ts';
import { httpProbePaths, planServers, type PlannedServer, type ServerPlan } from '../../linkerd/servers.ts';
import { acceptsEveryRequest, readAccessModel, type AccessModel, type OsmHttpMatch } from '../../osm/access-model.ts';
import type { ExposedPort } from '../../osm/exposed-ports.ts';
import {
  backendPorts,
  readIngressBackends,
  type IngressBackendPolicy,
  type IngressBackendSource,
  type IngressBackendTarget,
} from '../../osm/ingress-backends.ts';
import { injectionValue, SIDECAR_INJECTION } from '../../osm/meshed.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { ingressPrincipalLabel, ingressServiceLabel } from '../../primitives/source-labels.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { meshControllerSnippet, meshTlsSnippet, serverSnippet } from './snippets.ts';

/**
 * IngressBackend (policy.openservicemesh.io/v1alpha1) → the Server of each backend port + AuthorizationPolicies that
 * admit what OSM's ingress filter chain admitted (osm-semantics §3.1, §6.6). OSM left the controller outside the mesh
 * and checked its source IP (http) or an OSM-issued client certificate (https); Linkerd wants the controller meshed
 * (linkerd-blog: "having the ingress controller participate fully in the mesh"), so Service sources become the
 * controller's mesh identity (on https too: the SAN came from MeshConfig certificate.ingressGateway, so the pods
 * behind the Service, not the SAN, say who was admitted), AuthenticatedPrincipals the identity their SAN names for
 * clients admitted from elsewhere, IPRanges NetworkAuthentications.
 * Both traffic modes: OSM applied IngressBackends in permissive mode too (§6.2).
 */
export const ingressBackendRule = defineRule({
  id: 'ingress-backend',
  consumes: ['IngressBackend'],
  fields: {
    IngressBackend: [
      'spec.backends[].name', 'spec.backends[].port.number', 'spec.backends[].port.protocol', 'spec.backends[].tls.skipClientCertValidation',
      'spec.backends[].tls.sniHosts', 'spec.sources[].kind', 'spec.sources[].name', 'spec.sources[].namespace', 'spec.matches',
    ],
  },
  raises,
  translate: translateIngressBackends,
});

export function translateIngressBackends(input: RuleInput): RuleOutput {
  const out = new Emitter();
  const objects = input.inventory.osm('IngressBackend');
  objects.forEach((o) => out.consume(o));
  const { applied, notApplied } = readIngressBackends(objects, input.inventory);
  for (const n of notApplied) {
    out.finding(finding('ingress-backend/rejected-by-osm', n.object.locate(n.path), {
      resource: formatRef(n.object.ref),
      message: `${formatRef(n.object.ref)} never took effect in OSM: ${n.reason}. It allowed nothing, so nothing is generated for it.`,
    }));
  }
  for (const n of applied.flatMap((p) => p.ignoredSources)) {
    out.finding(finding('ingress-backend/source-ignored', n.object.locate(n.path), {
      resource: formatRef(n.object.ref),
      message: `${n.reason}: this source of ${formatRef(n.object.ref)} never took effect in OSM and is not translated.`,
    }));
  }
  const servers = planServers(input);
  const model = readAccessModel(input.inventory);
  for (const policy of applied) new PolicyTranslation(input, out, policy, servers, model).run();
  return out.output();
}

const ALL_NETWORKS = ['0.0.0.0/0', '::/0'];
/** OSM's identities are `<sa>.<namespace>.cluster.local` (its SAN for a ServiceAccount); nothing else maps to one. */
const OSM_IDENTITY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.cluster\.local$/;

interface Account {
  readonly name: string;
  readonly namespace: string;
}

/** The AuthenticatedPrincipal SAN of an OSM identity → the ServiceAccount whose Linkerd identity is the same client. */
/**
 * Whether the migration leaves a workload meshed by Linkerd: `linkerd.io/inject` enabled/ingress, or OSM's
 * sidecar-injection enabled (the injection rule rewrites it on the same line), on the pod template, else on its
 * Namespace manifest.
 */
function meshedAfterMigration(workload: Workload, inventory: Inventory): boolean {
  const decide = (annotations: Readonly<Record<string, string>>): boolean | undefined => {
    const linkerd = annotations['linkerd.io/inject'];
    if (linkerd !== undefined) return linkerd === 'enabled' || linkerd === 'ingress';
    const osm = injectionValue(annotations[SIDECAR_INJECTION]);
    return osm === undefined ? undefined : osm === 'enabled';
  };
  const namespace = workload.namespace !== undefined ? inventory.findNamespace(workload.namespace) : undefined;
  return decide(workload.podAnnotations) ?? (namespace ? decide(namespace.annotations) : undefined) ?? false;
}

export function principalAccount(principal: string): Account | undefined {
  const m = OSM_IDENTITY.exec(principal);
  return m?.[1] !== undefined && m[3] !== undefined ? { name: m[1], namespace: m[3] } : undefined;
}

/**
 * The TrafficTarget match whose route the traffic-target rule attaches to a workload port's Server and that accepts
 * every request (any path, no method, no header: PathPrefix "/" alone). It emits that route when a source of a
 * TrafficTarget carrying the match reaches the port through OSM's L4 RBAC (TCPRoute ports, or any).
 */
function catchAllMatch(model: AccessModel, workload: Workload, port: number): OsmHttpMatch | undefined {
  const policies = model.policies.filter((p) => p.namespace === workload.namespace && p.destination === workload.serviceAccount);
  const l4 = new Set(policies.filter((p) => p.ports === 'any' || p.ports.includes(port)).flatMap((p) => p.sources));
  for (const p of policies) {
    const match = p.httpMatches.find(acceptsEveryRequest);
    if (match && p.sources.some((s) => l4.has(s))) return match;
  }
  return undefined;
}

type ServiceSource = Extract<IngressBackendSource, { kind: 'Service' }>;
type PrincipalSource = Extract<IngressBackendSource, { kind: 'AuthenticatedPrincipal' }>;

/** A Service source: the ingress controller, identified by the ServiceAccounts of the pods it selects. */
interface Controller {
  readonly source: ServiceSource;
  readonly service: Service | undefined;
  readonly workloads: readonly Workload[];
  readonly accounts: readonly Account[];
}

/** Where a backend lands: a workload port and its Server (linkerd/servers.ts), or a Server the user creates. */
interface Target {
  readonly backend: IngressBackendTarget;
  readonly server: string;
  readonly workload?: Workload;
  readonly port?: ExposedPort;
  readonly planned?: PlannedServer;
}

class PolicyTranslation {
  private readonly resource: string;
  private readonly controllers: readonly Controller[];
  private readonly principals: readonly PrincipalSource[];
  private readonly cidrs: readonly string[];
  /** Unresolved Service sources whose placeholder MeshTLSAuthentication some AuthorizationPolicy references. */
  private readonly placeholders = new Map<number, Target[]>();
  private readonly input: RuleInput;
  private readonly out: Emitter;
  private readonly policy: IngressBackendPolicy;
  private readonly servers: ServerPlan;
  private readonly model: AccessModel;

  constructor(input: RuleInput, out: Emitter, policy: IngressBackendPolicy, servers: ServerPlan, model: AccessModel) {
    this.input = input;
    this.model = model;
    this.out = out;
    this.policy = policy;
    this.servers = servers;
    this.resource = formatRef(policy.object.ref);
    this.controllers = policy.sources.flatMap((s) => (s.kind === 'Service' ? [this.controller(s)] : []));
    this.principals = policy.sources.flatMap((s) => (s.kind === 'AuthenticatedPrincipal' ? [s] : []));
    this.cidrs = policy.sources.flatMap((s) => (s.kind === 'IPRange' ? [s.name] : []));
  }

  private controller(source: ServiceSource): Controller {
    const { inventory } = this.input;
    const service = inventory.findService(source.namespace, source.name);
    const workloads = service ? inventory.workloads.filter((w) => w.namespace === service.namespace && selects(service, w)) : [];
    const names = [...new Set(workloads.map((w) => w.serviceAccount))].sort();
    return { source, service, workloads, accounts: names.map((name) => ({ name, namespace: source.namespace })) };
  }

  private at(path: NodePath) {
    return this.policy.object.locate(path);
  }

  private note(id: RaisedId, path: NodePath, message: string, affects?: readonly DifferenceScope[]): void {
    this.out.finding(finding(id, this.at(path), { resource: this.resource, message, ...(affects && affects.length > 0 ? { affects } : {}) }));
  }

  run(): void {
    if (this.policy.hasMatches) {
      this.note('ingress-backend/matches-not-implemented', ['spec', 'matches'],
        `${this.resource} sets spec.matches, which OSM never implemented ("TODO(#3779)"): its ingress route was a wildcard, so every path and method was allowed. The translation allows all routes too.`);
    }
    for (const s of this.policy.sources) {
      if (s.kind !== 'other') continue;
      this.note('ingress-backend/source-ignored', ['spec', 'sources', s.index, 'kind'],
        `Source ${s.name} of ${this.resource} has kind ${JSON.stringify(s.written)}: OSM only knows Service, AuthenticatedPrincipal and IPRange, so it ignored this source. It is not translated.`);
    }
    const targets = this.policy.backends.flatMap((b) => this.targets(b));
    for (const backend of this.policy.backends) {
      const mine = targets.filter((t) => t.backend === backend);
      if (mine.length === 0) continue;
      for (const t of mine) this.translateTarget(t);
      this.reportBackend(backend, mine);
    }
    // An IngressBackend whose backends all matched nothing needs no controller.
    if (targets.length > 0) this.reportControllers(targets);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Backends → workload ports

  private targets(backend: IngressBackendTarget): Target[] {
    const { service, workloads, ports } = backendPorts(this.input.inventory, this.policy, backend);
    if (!service || workloads.length === 0) return [this.missingBackend(backend, service)];
    // Every reached port has a Server in the plan (this rule's need); it may be traffic-target's.
    const targets = ports.flatMap(({ workload, port }): Target[] => {
      const planned = this.servers.at(workload, port.port);
      return planned ? [{ backend, workload, port, server: planned.name, planned }] : [];
    });
    // A withheld Server (it would select another ServiceAccount's pods) is explained by server-selection.
    if (targets.length === 0 && !ports.some(({ workload, port }) => this.servers.withheld(workload, port.port))) {
      const ports = service.ports.map((sp) => `${sp.port}→${String(sp.targetPort)}`).join(', ');
      this.note('ingress-backend/port-not-target-port', ['spec', 'backends', backend.index, 'port', 'number'],
        `Backend ${backend.name} port.number ${backend.port} is not the targetPort of any port of Service ${backend.name} (port→targetPort: ${ports || 'none'}) on its pods: OSM matched nothing, so this backend allowed nothing. Nothing is generated for it; port.number must be the targetPort.`);
    }
    return targets;
  }

  /** No pods to select in the repository: authorizations go to a Server the user creates from the snippet. */
  private missingBackend(backend: IngressBackendTarget, service: Service | undefined): Target {
    const server = resourceName(backend.name, backend.port);
    const ns = this.policy.namespace ?? '<namespace>';
    const selector = service?.selector
      ? `{${Object.entries(service.selector).map(([k, v]) => `${k}: ${v}`).join(', ')}}`
      : `{app: <label of the pods behind Service ${backend.name}>}`;
    const apiVersion = buildServer(this.input.options.linkerdVersion, { name: server, namespace: ns, podLabels: {}, port: 0, proxyProtocol: 'unknown' }).apiVersion;
    const why = service ? `Service ${backend.name} selects no workload in the repository` : `Service ${backend.name} is not in the repository (namespace ${ns})`;
    this.note('ingress-backend/backend-not-found', ['spec', 'backends', backend.index, 'name'], [
      `${why}, so the pods behind backend ${backend.name}:${backend.port} are unknown. The AuthorizationPolicies were generated for a Server named ${server}; create it:`,
      serverSnippet(apiVersion, server, ns, selector, backend.port),
      'One Server per pod port: if another Server already selects these pods on this port, attach the policies to that one instead.',
    ].join('\n'));
    return { backend, server };
  }

  private translateTarget(t: Target): void {
    const { options, meshMode } = this.input;
    const version = options.linkerdVersion;
    const ns = this.policy.outNamespace;
    const permissive = meshMode.mode === 'permissive';
    let ownServer = true;
    if (t.workload && t.port && t.planned) {
      // One Server per pod port: emitted here unless an earlier need (a TrafficTarget) owns it (linkerd/servers.ts).
      ownServer = t.planned.owner === 'ingress-backend';
      if (ownServer) {
        this.out.resource(t.planned.resource, t.planned.origin);
        this.reportProbeRoute(t.planned);
      } else if (!permissive && t.planned.proxyProtocol !== 'opaque') {
        // (In permissive mode the traffic-target rule gives its Server a catch-all route of its own.)
        const covering = catchAllMatch(this.model, t.workload, t.port.port);
        if (covering) {
          // A TrafficTarget route on this Server already matches every request (PathPrefix "/", no method, no
          // header): a catch-all of ours would tie with it, and Linkerd breaks that tie by creation time before the
          // name (linkerd-semantics §2.7), so the older one would take every request. None is needed: the
          // server-level ingress AuthorizationPolicies count on every route of the Server, that one included.
          this.note('ingress-backend/shared-server', ['spec', 'backends', t.backend.index],
            `Server ${t.server} (${t.workload.name}:${t.port.port}) is the one the traffic-target rule generates: the ingress AuthorizationPolicies attach to it and, being server-level, count on each of its routes. Match ${covering.group}/${covering.name} already gives it a route for every request, so the controller reaches every path through it and no catch-all route is added.`);
        } else {
          // The TrafficTarget routes on this Server answer 404 to every other request; OSM's ingress route was a
          // wildcard. A catch-all route lets the controller reach every path. No TrafficTarget route matches every
          // request here, so every request a TrafficTarget route matches picks that route (longer path, a method
          // or a header ranks higher): nothing ties with the catch-all.
          const route = this.out.resource(buildServerRoute(version, resourceName(t.server, 'zz-ingress'), ns, t.server, [
            { matches: [{ path: { type: 'PathPrefix', value: '/' } }] },
          ]), this.policy.object);
          this.note('ingress-backend/shared-server', ['spec', 'backends', t.backend.index],
            `Server ${t.server} (${t.workload.name}:${t.port.port}) is the one the traffic-target rule generates: the ingress AuthorizationPolicies attach to it, and catch-all route ${route} lets the controller reach paths no TrafficTarget route matches (other clients get 403 there instead of 404).`);
        }
      }
    }
    if (permissive && ownServer) this.admitAllMeshed(t);
    this.authorize(t);
  }

  /**
   * A Server without routes keeps Linkerd's default probe route: GET on each HTTP probe path, for any client in the
   * install's probeNetworks (linkerd-semantics §2.4, §2.6). OSM answered probes on its own listeners only.
   */
  private reportProbeRoute({ workload, port, name, proxyProtocol }: PlannedServer): void {
    if (proxyProtocol === 'opaque') return;
    const paths = httpProbePaths(workload, port.port);
    if (paths.length === 0) return;
    this.out.finding(finding('probes/open-to-all-networks', workload.object.locate(['kind']), {
      resource: formatRef(workload.object.ref),
      message: `Port ${port.port} of ${workload.name} gets Server ${name} for its IngressBackend, with no route: Linkerd answers GET ${paths.join(', ')} with its default probe route, for any client in the install's policyController.probeNetworks (default: every network).`,
      affects: [{ namespace: workload.namespace ?? '', serviceAccount: workload.serviceAccount, port: port.port, paths, methods: ['GET'] }],
    }));
  }

  /**
   * In permissive mode OSM let every mesh client reach the port (§6.2); the Server this rule adds would deny them, so
   * an AuthorizationPolicy admits every meshed identity.
   */
  private admitAllMeshed(t: Target): void {
    const ns = this.policy.outNamespace;
    const any = this.anyMeshed();
    this.out.resource(buildAuthorizationPolicy(resourceName(t.server, 'all-meshed'), ns, { kind: 'Server', name: t.server }, [
      { kind: 'MeshTLSAuthentication', name: any },
    ]), this.policy.object);
    this.note('ingress-backend/permissive-mesh-clients', ['spec', 'backends', t.backend.index],
      `OSM ran in permissive mode, so every mesh client reached ${t.workload?.name ?? t.backend.name}:${t.backend.port}. The Server ${t.server} needed for the ingress would deny them: AuthorizationPolicy ${resourceName(t.server, 'all-meshed')} admits every meshed identity (MeshTLSAuthentication ${any}, identities: ["*"]).`);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Authorizations (osm-semantics §3.1 "Source kinds")

  /** http, or https without client certificate validation: OSM checked the source IP only (principal wildcarded). */
  private ipOnly(b: IngressBackendTarget): boolean {
    return b.protocol === 'http' || b.skipClientCertValidation;
  }

  private authorize(t: Target): void {
    const b = t.backend;
    const policies: { what: string; refs: AuthenticationRef[] }[] = [];
    if (this.ipOnly(b) || this.principals.length === 0) {
      // Clients are told apart by where they come from: the controller behind each Service, or an IPRange.
      const resolved = this.controllers.flatMap((c) => c.accounts);
      if (resolved.length > 0) policies.push({ what: 'controllers', refs: [this.meshTls('controllers', resolved)] });
      for (const c of this.controllers.filter((x) => x.accounts.length === 0)) {
        policies.push({ what: c.source.name, refs: [{ kind: 'MeshTLSAuthentication', name: this.placeholderName(c) }] });
        this.placeholders.set(c.source.index, [...(this.placeholders.get(c.source.index) ?? []), t]);
      }
      if (this.cidrs.length > 0) {
        const networks = this.networks('networks', this.cidrs);
        // On https (validated) the client still needed an OSM certificate: any mesh identity is the equivalent.
        policies.push({ what: 'networks', refs: this.ipOnly(b) ? [networks] : [{ kind: 'MeshTLSAuthentication', name: this.anyMeshed() }, networks] });
      }
      if (this.controllers.length === 0 && this.cidrs.length === 0) {
        policies.push(this.ipOnly(b)
          ? { what: 'all-networks', refs: [this.networks('all-networks', ALL_NETWORKS)] }
          : { what: 'any-meshed', refs: [{ kind: 'MeshTLSAuthentication', name: this.anyMeshed() }] });
      }
    } else {
      // Validated client certificates: OSM required a listed SAN AND a source IP of the Service endpoints or an
      // IPRange. The SAN came from MeshConfig certificate.ingressGateway (osm-semantics §3.1, §4.1), not from the
      // controller's ServiceAccount: the controller pods the repository has are what OSM admitted, so their
      // ServiceAccounts are authorized, whatever the SAN spells.
      const resolved = this.resolvedAccounts();
      if (resolved.length > 0) policies.push({ what: 'controllers', refs: [this.meshTls('controllers', resolved)] });
      // OSM SANs map to Linkerd identities for the clients admitted from elsewhere (IPRanges, a Service whose pods
      // are unknown, or anywhere when no source narrowed the IPs).
      const accounts = this.principalsAuthorized() ? this.principalAccounts() : [];
      if (accounts.length > 0) {
        const refs: AuthenticationRef[] = [this.meshTls('principals', accounts)];
        // IPRanges can be kept (AND); endpoints of a Service whose pods are unknown cannot.
        if (this.cidrs.length > 0 && !this.hasUnresolvedController()) refs.push(this.networks('networks', this.cidrs));
        policies.push({ what: 'principals', refs });
      }
    }
    for (const p of policies) {
      this.out.resource(buildAuthorizationPolicy(resourceName(t.server, 'ingress', p.what), this.policy.outNamespace, { kind: 'Server', name: t.server }, p.refs), this.policy.object);
    }
  }

  /** The ServiceAccounts of the controller pods behind the Service sources the repository resolves. */
  private resolvedAccounts(): Account[] {
    return this.controllers.flatMap((c) => c.accounts);
  }

  private hasUnresolvedController(): boolean {
    return this.controllers.some((c) => c.accounts.length === 0);
  }

  /** The ServiceAccounts the AuthenticatedPrincipals spell (`<sa>.<ns>.cluster.local`). */
  private principalAccounts(): Account[] {
    return this.principals.flatMap((p) => principalAccount(p.name) ?? []);
  }

  /**
   * On a validated https backend, whether the principals' ServiceAccounts are authorized: OSM admitted a client
   * presenting the SAN from an IPRange, from a Service whose pods the repository lacks, or from anywhere when no
   * source narrowed the IPs. From resolved controller pods only, their own ServiceAccounts stand for it.
   */
  private principalsAuthorized(): boolean {
    return this.controllers.length === 0 || this.cidrs.length > 0 || this.hasUnresolvedController();
  }

  /** `<sa>.<ns>` of every identity the AuthorizationPolicies of a backend admit by ServiceAccount. */
  private authorizedIdentities(b: IngressBackendTarget): string[] {
    const accounts = this.ipOnly(b) || this.principals.length === 0
      ? this.resolvedAccounts()
      : [...this.resolvedAccounts(), ...(this.principalsAuthorized() ? this.principalAccounts() : [])];
    return [...new Set(accounts.map((a) => `${a.name}.${a.namespace}`))];
  }

  private meshTls(what: string, accounts: readonly Account[]): AuthenticationRef {
    const unique = [...new Map(accounts.map((a) => [`${a.namespace}/${a.name}`, a])).values()]
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    const name = this.out.resource(buildMeshTlsAuthentication(resourceName(this.policy.name, what), this.policy.outNamespace, unique), this.policy.object);
    return { kind: 'MeshTLSAuthentication', name };
  }

  private networks(what: string, cidrs: readonly string[]): AuthenticationRef {
    const name = this.out.resource(buildNetworkAuthentication(resourceName(this.policy.name, what), this.policy.outNamespace, cidrs), this.policy.object);
    return { kind: 'NetworkAuthentication', name };
  }

  /** Any meshed client (`identities: ["*"]`, linkerd-reference §3.7). */
  private anyMeshed(): string {
    const base = buildMeshTlsAuthentication('any-meshed-client', this.policy.outNamespace, []);
    const resource: LinkerdResource = { ...base, spec: { identities: ['*'] } };
    return this.out.resource(resource, this.policy.object);
  }

  /** The MeshTLSAuthentication the user creates for a controller whose pods are not in the repository. */
  private placeholderName(c: Controller): string {
    return resourceName(c.source.name, 'identity');
  }

  // ------------------------------------------------------------------------------------------------------------
  // Findings

  /** The request-matrix cells a difference on this target can touch (all ports of the pods when `port` is false). */
  private scopes(targets: readonly Target[], sources: readonly (string | undefined)[], withPort = true): DifferenceScope[] {
    return targets.flatMap((t) => {
      if (!t.workload || !t.port) return [];
      const base = { namespace: t.workload.namespace ?? '', serviceAccount: t.workload.serviceAccount, ...(withPort ? { port: t.port.port } : {}) };
      return sources.map((source) => (source === undefined ? base : { ...base, source }));
    });
  }

  private reportBackend(b: IngressBackendTarget, targets: readonly Target[]): void {
    const where = `${b.name}:${b.port}`;
    const at: NodePath = ['spec', 'backends', b.index, 'port', 'protocol'];
    const ignoredPrincipals = this.principals.length > 0
      ? ` AuthenticatedPrincipal sources (${this.principals.map((p) => p.name).join(', ')}) had no effect on it and are not translated.`
      : '';
    if (b.protocol === 'http') {
      this.note('ingress-backend/http-source-ip', at,
        `Backend ${where} is plain HTTP: OSM wildcarded the client identity and checked only the source IP ("the identity cannot be verified for HTTP traffic").${ignoredPrincipals} With Linkerd the meshed controller is authorized by its mesh identity (Service sources) and IPRange sources by network; traffic between the controller and the backend becomes mTLS.`);
    } else if (b.skipClientCertValidation) {
      this.note('ingress-backend/skip-client-cert-validation', ['spec', 'backends', b.index, 'tls', 'skipClientCertValidation'],
        `Backend ${where} is https with skipClientCertValidation: OSM's sidecar terminated TLS but accepted any client certificate, so only the source IP counted.${ignoredPrincipals} Linkerd terminates mTLS in its own proxy: mesh the controller, send plain HTTP to ${b.name} (remove the backend TLS settings and the OSM client certificate from the ingress configuration), and it is authorized like a plain-HTTP backend.`);
    } else {
      this.reportHttps(b, targets);
    }
    if (b.sniHosts.length > 0) {
      this.note('ingress-backend/sni-hosts', ['spec', 'backends', b.index, 'tls', 'sniHosts'],
        `Backend ${where} accepted only TLS connections with SNI ${b.sniHosts.join(', ')}. A meshed controller's connection carries Linkerd's own SNI, so this check is dropped: restrict host names on the Ingress (its rules' host) instead.`);
    }
    const translatedByNetwork = this.ipOnly(b) || this.principals.length === 0;
    if (translatedByNetwork && this.controllers.length === 0 && this.cidrs.length === 0) {
      this.note('ingress-backend/open-to-all', ['spec', 'sources'],
        b.protocol === 'http' || b.skipClientCertValidation
          ? `Backend ${where} has no Service or IPRange source, so OSM let any client reach it (it only logged "Allowing HTTP ingress … is insecure"). AuthorizationPolicy ${resourceName(targets[0]?.server ?? '', 'ingress', 'all-networks')} keeps that: every network, no identity. Meshed pods, which OSM still held to their TrafficTargets, are admitted too. Add a source to restrict it.`
          : `Backend ${where} has neither source IPs nor AuthenticatedPrincipals, so OSM accepted any client with a valid OSM certificate. The translation admits any meshed client (identities: ["*"]), which includes the mesh pods OSM still held to their TrafficTargets. Add an AuthenticatedPrincipal to restrict it.`,
        this.scopes(targets, [undefined]));
    }
    if (translatedByNetwork && this.cidrs.length > 0) {
      this.note('ingress-backend/ip-range', ['spec', 'sources'],
        `IPRange ${this.cidrs.join(', ')} of backend ${where} becomes NetworkAuthentication ${resourceName(this.policy.name, 'networks')}. OSM's ingress chain only saw clients outside the mesh; Linkerd admits every client from those networks, meshed pods included (they needed a TrafficTarget in OSM). Narrow the range to the controller's addresses, or use a Service source once the controller is meshed.`,
        this.scopes(targets, [undefined]).map((scope) => ({ ...scope, networks: this.cidrs })));
    }
  }

  private reportHttps(b: IngressBackendTarget, targets: readonly Target[]): void {
    const where = `${b.name}:${b.port}`;
    // Only what the AuthorizationPolicies of this backend really admit (see authorize).
    const authorized = this.authorizedIdentities(b);
    const identities = authorized.map((id) => `${id}.serviceaccount.identity.linkerd.${this.input.options.trustDomain}`);
    const resolved = this.controllers.filter((c) => c.accounts.length > 0);
    const lines = [
      `Backend ${where} is https: OSM's sidecar terminated TLS with the backend's mesh certificate and required the controller's OSM-issued client certificate (MeshConfig certificate.ingressGateway)${this.principals.length > 0 ? ` with SAN ${this.principals.map((p) => p.name).join(' or ')}` : ''}.`,
      'With Linkerd: mesh the controller (linkerd.io/inject: ingress), make it send plain HTTP to the backend (remove backend-protocol HTTPS, proxy_ssl_* settings and the OSM client-certificate secret from the ingress configuration), and let the proxies do mTLS.',
      resolved.length > 0
        ? `OSM admitted the pods behind ${resolved.map((c) => `Service ${c.source.namespace}/${c.source.name}`).join(', ')} presenting that certificate; they run as ${resolved.flatMap((c) => c.accounts).map((a) => `${a.namespace}/${a.name}`).join(', ')}, so that identity is authorized (the SAN named a certificate, not a ServiceAccount).`
        : '',
      identities.length > 0 ? `The AuthorizationPolicies require the mesh identity ${identities.join(' or ')} (identityRefs, so any trust domain works).` : '',
      this.controllers.length > 0 && authorized.length > 0
        ? `OSM also required the connection to come from the endpoints of Service ${this.controllers.map((c) => `${c.source.namespace}/${c.source.name}`).join(', ')}; Linkerd checks the identity alone, from anywhere.`
        : '',
    ].filter((l) => l !== '');
    // Differences: the authorized identities are admitted as mesh clients too, and from outside the Service IPs.
    const principalLabels = this.controllers.length > 0
      ? this.principals.filter((p) => {
        const account = principalAccount(p.name);
        return account !== undefined && authorized.includes(`${account.name}.${account.namespace}`);
      }).map((p) => ingressPrincipalLabel(p.name))
      : [];
    this.note('ingress-backend/https-backend', ['spec', 'backends', b.index, 'port', 'protocol'], lines.join(' '), this.scopes(targets, [...authorized, ...principalLabels]));
  }

  /**
   * An AuthenticatedPrincipal next to a resolved Service source: the SAN came from MeshConfig
   * certificate.ingressGateway (osm-semantics §4.1), so it need not spell the controller pods' ServiceAccount. Those
   * pods are authorized; say so when the SAN names another account, or none.
   */
  private reportPrincipalVsControllers(p: PrincipalSource, httpsTargets: readonly Target[]): void {
    const resolved = this.resolvedAccounts();
    const account = principalAccount(p.name);
    if (resolved.length === 0 || (account && resolved.some((a) => a.name === account.name && a.namespace === account.namespace))) return;
    const services = this.controllers.filter((c) => c.accounts.length > 0).map((c) => `Service ${c.source.namespace}/${c.source.name}`).join(', ');
    const controllerIds = [...new Set(resolved.map((a) => `${a.name}.${a.namespace}`))];
    const spelled = account ? `${account.name}.${account.namespace}` : undefined;
    const controllersPolicy = `${controllerIds.join(', ')} (MeshTLSAuthentication ${resourceName(this.policy.name, 'controllers')})`;
    const admitted = spelled !== undefined && this.principalsAuthorized()
      ? `${controllersPolicy} and, for the clients OSM admitted from elsewhere (${this.cidrs.length > 0 ? `IPRange ${this.cidrs.join(', ')}` : 'a Service whose pods are not in the repository'}), ${spelled}`
      : `${controllersPolicy}${spelled !== undefined ? `, not ${spelled}` : ''}`;
    this.note('ingress-backend/principal-not-controller', ['spec', 'sources', p.index, 'name'], [
      `AuthenticatedPrincipal ${p.name} ${account ? `spells ServiceAccount ${account.namespace}/${account.name}` : 'names no ServiceAccount'}, but the controller pods behind ${services} run as ${resolved.map((a) => `${a.namespace}/${a.name}`).join(', ')}.`,
      `In OSM the SAN came from MeshConfig certificate.ingressGateway, not from a ServiceAccount, and OSM admitted those pods (their endpoint IPs presenting that certificate): the AuthorizationPolicies on ${[...new Set(httpsTargets.map((t) => t.server))].join(', ')} authorize ${admitted}.`,
      `If pods running as another ServiceAccount held that certificate, add it to ${resourceName(this.policy.name, 'controllers')}.`,
    ].join(' '));
  }

  private reportControllers(targets: readonly Target[]): void {
    const httpsTargets = targets.filter((t) => !this.ipOnly(t.backend));
    for (const p of this.principals) {
      if (httpsTargets.length === 0) continue;
      this.reportPrincipalVsControllers(p, httpsTargets);
      // A principal that names no identity: refused, unless only resolved controller pods could present it.
      if (principalAccount(p.name) || (this.resolvedAccounts().length > 0 && !this.principalsAuthorized())) continue;
      const ns = this.policy.namespace ?? '<namespace>';
      this.note('ingress-backend/principal-not-translated', ['spec', 'sources', p.index, 'name'], [
        `AuthenticatedPrincipal ${p.name} is not an OSM identity of the form <serviceaccount>.<namespace>.cluster.local, so it names no Linkerd identity and is not translated: the client that presented it is refused. Add the controller's ServiceAccount to a MeshTLSAuthentication and require it from an AuthorizationPolicy on the backend Server(s) (${[...new Set(httpsTargets.map((t) => t.server))].join(', ')}):`,
        meshTlsSnippet(resourceName(this.policy.name, 'principal'), ns, '<ServiceAccount of the ingress controller>', '<its namespace>'),
      ].join('\n'), this.scopes(httpsTargets, [ingressPrincipalLabel(p.name)], false));
    }
    for (const c of this.controllers) {
      const used = this.placeholders.get(c.source.index);
      if (!used) continue;
      const ns = this.policy.namespace ?? '<namespace>';
      const why = c.service ? `selects no workload in the repository` : 'is not in the repository';
      this.note('ingress-backend/source-service-not-found', ['spec', 'sources', c.source.index], [
        `Service ${c.source.namespace}/${c.source.name} (the ingress controller) ${why}, so its pods' ServiceAccount is unknown. AuthorizationPolicies on ${[...new Set(used.map((t) => t.server))].join(', ')} require MeshTLSAuthentication ${this.placeholderName(c)}, which does not exist yet: until you create it, Linkerd ignores those policies and refuses the controller. Create it in a file of its own (generated files are rewritten on every run) with the controller's ServiceAccount:`,
        meshTlsSnippet(this.placeholderName(c), ns, `<ServiceAccount of the pods behind Service ${c.source.name}>`, c.source.namespace),
      ].join('\n'), this.scopes(used, [ingressServiceLabel(c.source.namespace, c.source.name)], false));
    }
    this.reportMeshController(targets);
  }

  /**
   * The controller must join the mesh: said on its workload when the repository has it, else on the sources. What
   * it explains: a controller the migration leaves unmeshed is refused; a meshed one reaches every port permissive
   * mode opens; its identity is admitted wherever it comes from (also as a plain mesh client, which OSM held to its
   * TrafficTargets).
   */
  private reportMeshController(targets: readonly Target[]): void {
    const workloads = [...new Set(this.controllers.flatMap((c) => c.workloads))];
    const permissive = this.input.meshMode.mode === 'permissive';
    const unmeshed = (ws: readonly Workload[]) => ws.some((w) => !meshedAfterMigration(w, this.input.inventory));
    const byIdentityOnly = this.controllers.length > 0 || this.cidrs.length > 0;
    // Only the identities some AuthorizationPolicy of these backends admits.
    const identities = [...new Set(targets.flatMap((t) => this.authorizedIdentities(t.backend)))];
    const labels = [
      ...this.controllers
        .filter((c) => c.accounts.length > 0 && (permissive || unmeshed(c.workloads)))
        .map((c) => ingressServiceLabel(c.source.namespace, c.source.name)),
      ...this.principals
        .filter((p) => {
          const account = principalAccount(p.name);
          return account && identities.includes(`${account.name}.${account.namespace}`) &&
            (permissive || byIdentityOnly || unmeshed(this.input.inventory.workloadsRunningAs(account.namespace, account.name)));
        })
        .map((p) => ingressPrincipalLabel(p.name)),
    ];
    const affects = [...this.scopes(targets, labels, false), ...this.scopes(targets, identities)];
    const names = this.controllers.map((c) => `Service ${c.source.namespace}/${c.source.name}`);
    const who = names.length > 0 ? `The ingress controller (${names.join(', ')})` : 'The ingress controller';
    const byIdentity = identities.length > 0
      ? ` It is then authorized by its mesh identity (${[...new Set(identities)].join(', ')}), not by its pod IPs: any pod running as that ServiceAccount gets the same access, from anywhere.`
      : this.controllers.length > 0 || this.principals.length > 0
        ? ' It is then authorized by its mesh identity, not by its pod IPs (see the other findings of this IngressBackend for the identity to fill in).'
        : ' With IPRange sources only (or none), it is admitted by network and may stay unmeshed, but then its traffic to the backend is not encrypted.';
    const message = [
      `${who} of ${this.resource} stayed outside OSM's mesh. Linkerd wants it meshed, in ingress mode (it routes on the Host header; strip incoming l5d-dst-override headers):${byIdentity} Add to its pod template:`,
      meshControllerSnippet(),
    ].join('\n');
    if (workloads.length === 0) {
      this.out.finding(finding('ingress-backend/mesh-controller', this.at(['spec', 'sources']), { resource: this.resource, message, ...(affects.length > 0 ? { affects } : {}) }));
      return;
    }
    for (const w of workloads) {
      this.out.finding(finding('ingress-backend/mesh-controller', w.object.locate(['kind']), {
        resource: formatRef(w.object.ref), message, ...(affects.length > 0 ? { affects } : {}),
      }));
    }
  }
}
