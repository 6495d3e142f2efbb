import type { Inventory, Workload } from '../inventory/model.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';
import { fullMatch } from '../primitives/regex-samples.ts';
import type { PodPort } from './mesh-membership.ts';
import type { OsmAccess, OsmGrant, OsmRouteMatch } from './osm-access.ts';
import { osmIngressDecision, type OsmIngress } from './osm-ingress.ts';
import type { AccessRequest, Decision, HttpRequestShape } from './types.ts';

/**
 * What OSM decided for a request to a pod it injected (osm-semantics §6). Written from the semantics notes, not from
 * the translator: it is the reference the Linkerd output is compared with.
 */
export interface OsmWorld {
  readonly inventory: Inventory;
  readonly access: OsmAccess;
  readonly meshMode: MeshMode;
  /** IngressBackends OSM applied (absent: none). */
  readonly ingress?: OsmIngress;
}

export function osmAllows(world: OsmWorld, request: AccessRequest, workload: Workload, ports: readonly PodPort[]): Decision {
  const { source } = request;
  // OSM rewrote kubelet probes to its own listeners (15901-15904): they always reached the app (§6.1).
  if (source.kind === 'kubelet') return { allowed: true, reason: 'probe listener' };
  // A non-mesh client that an IngressBackend chain admits, in either mode (§3.1); mesh clients never reach that chain.
  const ingress = world.ingress ? osmIngressDecision(world.ingress, world.inventory, request, workload) : undefined;
  if (ingress) return ingress;
  const protocol = ports.find((p) => p.port === request.port)?.osmProtocol;
  // Inbound chains exist only for Service target ports and require mTLS from a mesh client (§6.1).
  if (protocol === undefined || protocol === 'unsupported') return { allowed: false, reason: 'no inbound chain (port exposed by no Service)' };
  if (source.kind === 'unmeshed') return { allowed: false, reason: 'plaintext client: no inbound chain' };
  if (source.kind === 'ingress') return { allowed: false, reason: 'ingress controller (no OSM mesh client): no ingress chain admits it' };
  if (world.meshMode.mode === 'permissive') return { allowed: true, reason: 'permissive mode' };
  const grants = grantsFrom(world.access.grantsTo(request.namespace, request.serviceAccount), `${source.serviceAccount}.${source.namespace}`);
  // L4: one RBAC policy per TrafficTarget, permissions = its TCPRoute ports or any (§2.3, §6.3).
  if (!grants.some((g) => g.ports === 'any' || g.ports.includes(request.port))) return { allowed: false, reason: 'L4 RBAC: no TrafficTarget' };
  if (protocol === 'tcp' || protocol === 'tcp-server-first') return { allowed: true, reason: 'L4 RBAC' };
  if (!request.http) return { allowed: false, reason: 'non-HTTP traffic on an HTTP port' };
  const http = request.http;
  // L7: routes from every allowed HTTPRouteGroup match, each with the merged sources (§2.1.7, §2.2).
  const match = firstMatch(grants, http);
  return match ? { allowed: true, reason: `route ${match.label}` } : { allowed: false, reason: 'no route for this source (404/403)' };
}

/**
 * The request matrix asks every client about every HTTP shape: the grants naming a client are worked out once per
 * (destination, client), the route an HTTP shape matches once per (those grants, shape).
 */
const bySource = new WeakMap<readonly OsmGrant[], Map<string, readonly OsmGrant[]>>();
const byShape = new WeakMap<readonly OsmGrant[], WeakMap<HttpRequestShape, OsmRouteMatch | null>>();

function grantsFrom(toDestination: readonly OsmGrant[], identity: string): readonly OsmGrant[] {
  let known = bySource.get(toDestination);
  if (!known) bySource.set(toDestination, (known = new Map()));
  let grants = known.get(identity);
  if (!grants) known.set(identity, (grants = toDestination.filter((g) => g.sources.includes(identity))));
  return grants;
}

function firstMatch(grants: readonly OsmGrant[], http: HttpRequestShape): OsmRouteMatch | undefined {
  let known = byShape.get(grants);
  if (!known) byShape.set(grants, (known = new WeakMap()));
  let match = known.get(http);
  if (match === undefined) known.set(http, (match = grants.flatMap((g) => g.matches).find((m) => matches(m, http)) ?? null));
  return match ?? undefined;
}

/** Path, method and every header are full-match regexes, AND-ed (§2.2.2-4). */
export function matches(m: OsmRouteMatch, request: HttpRequestShape): boolean {
  if (m.pathRegex !== undefined && !fullMatch(m.pathRegex, request.path)) return false;
  if (m.methods.length > 0 && !m.methods.some((method) => fullMatch(method, request.method))) return false;
  return Object.entries(m.headers).every(([name, regex]) => {
    const value = request.headers[name];
    return value !== undefined && fullMatch(regex, value);
  });
}
