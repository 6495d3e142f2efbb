import type { K8sObject } from '../../inventory/model.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { asArray, asRecord, asString, getIn } from '../../values.ts';
import type { Hit, MeshedServiceTest } from './hit.ts';

/** Ingress-controller CRDs that route to Services, by kind, with the API group each belongs to. */
const CONTROLLERS = {
  IngressRoute: { group: /^traefik\.(containo\.us|io)\//, controller: 'traefik' },
  IngressRouteTCP: { group: /^traefik\.(containo\.us|io)\//, controller: 'traefik' },
  HTTPProxy: { group: /^projectcontour\.io\//, controller: 'contour' },
  VirtualServer: { group: /^k8s\.nginx\.org\//, controller: 'nginx' },
  VirtualServerRoute: { group: /^k8s\.nginx\.org\//, controller: 'nginx' },
  Mapping: { group: /^getambassador\.io\//, controller: 'emissary' },
} as const;

type Controller = (typeof CONTROLLERS)[keyof typeof CONTROLLERS]['controller'];

export const INGRESS_CRD_KINDS: readonly string[] = Object.keys(CONTROLLERS);

interface Backend {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly port?: string;
  readonly path: NodePath;
}

/**
 * An ingress CRD whose backends are meshed Services: OSM reached them from an unmeshed controller through an
 * IngressBackend (osm-semantics §4); Linkerd wants the controller meshed, and how depends on whether it sends to pod
 * endpoints (ingress mode plus an l5d-dst-override header naming the Service) or to the Service's cluster IP
 * (linkerd-reference §7.1, "ingress"). One finding per object, on its first meshed backend.
 */
export function ingressCrd(o: K8sObject, meshedService: MeshedServiceTest): Hit | undefined {
  const kind = o.ref.kind as keyof typeof CONTROLLERS;
  const known = Object.hasOwn(CONTROLLERS, kind) ? CONTROLLERS[kind] : undefined;
  if (!known || !known.group.test(o.ref.apiVersion)) return undefined;
  const meshed = backendsOf(o, known.controller).filter((b) => meshedService(b.namespace, b.name));
  const first = meshed[0];
  if (!first) return undefined;
  const names = [...new Set(meshed.map((b) => `${b.namespace ?? '<namespace>'}/${b.name}`))].join(', ');
  return {
    id: 'surroundings/ingress-crd',
    path: first.path,
    message: [
      `${formatRef(o.ref)} routes to meshed Services (${names}). Under OSM its controller stayed outside the mesh and reached them through an IngressBackend; under Linkerd the Servers of these pods admit only the identities their AuthorizationPolicies name (or, by default policy, meshed clients), so an unmeshed controller is refused.`,
      REPLACEMENT[known.controller](meshed),
      'Then authorize the controller\'s ServiceAccount on the backends\' Servers (an IngressBackend that names the controller\'s Service is translated to exactly that, see its ingress-backend findings).',
    ].join('\n'),
  };
}

const fqdn = (b: Backend) => `${b.name}.${b.namespace ?? '<namespace>'}.svc.cluster.local:${b.port ?? '<port>'}`;

const REPLACEMENT: Readonly<Record<Controller, (backends: readonly Backend[]) => string>> = {
  traefik: (backends) => `Traefik sends to pod endpoints: mesh it in ingress mode (linkerd.io/inject: ingress on its pod template) and give each route a Middleware that sets the header Linkerd routes on, which also replaces any l5d-dst-override a client sent (ingress mode must not trust it), e.g. headers.customRequestHeaders: {l5d-dst-override: ${fqdn(backends[0] as Backend)}}.`,
  contour: (backends) => `Contour's Envoy sends to pod endpoints: mesh it in ingress mode (linkerd.io/inject: ingress) and set the header Linkerd routes on in each route, which also replaces any a client sent: requestHeadersPolicy.set: [{name: l5d-dst-override, value: ${fqdn(backends[0] as Backend)}}].`,
  nginx: () => 'Set use-cluster-ip: true on each upstream, so NGINX sends to the Service\'s cluster IP and Linkerd balances and authorizes by Service, and mesh the controller (linkerd.io/inject: enabled on its pod template).',
  emissary: () => 'Emissary sends to the Service name: mesh it (linkerd.io/inject: enabled on its pod template); its proxy then speaks mTLS to the backends.',
};

function backendsOf(o: K8sObject, controller: Controller): Backend[] {
  const namespace = o.ref.namespace;
  const port = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? String(value) : undefined);
  if (controller === 'traefik' || controller === 'contour') {
    const lists: { services: unknown; path: NodePath }[] = asArray(getIn(o.body, ['spec', 'routes']))
      .map((route, i) => ({ services: asRecord(route)['services'], path: ['spec', 'routes', i, 'services'] }));
    if (controller === 'contour') lists.push({ services: getIn(o.body, ['spec', 'tcpproxy', 'services']), path: ['spec', 'tcpproxy', 'services'] });
    return lists.flatMap(({ services, path }) => asArray(services).flatMap((raw, j): Backend[] => {
      const s = asRecord(raw);
      const name = asString(s['name']);
      // TraefikService (weighted, mirroring) names other services: not a Kubernetes Service itself.
      if (!name || (s['kind'] !== undefined && s['kind'] !== 'Service')) return [];
      const p = port(s['port']);
      return [{ name, namespace: asString(s['namespace']) ?? namespace, ...(p ? { port: p } : {}), path: [...path, j, 'name'] }];
    }));
  }
  if (controller === 'nginx') {
    return asArray(getIn(o.body, ['spec', 'upstreams'])).flatMap((raw, i): Backend[] => {
      const u = asRecord(raw);
      const name = asString(u['service']);
      const p = port(u['port']);
      return name ? [{ name, namespace, ...(p ? { port: p } : {}), path: ['spec', 'upstreams', i, 'service'] }] : [];
    });
  }
  // Emissary: `service: [scheme://]name[.namespace][:port]`.
  const service = asString(getIn(o.body, ['spec', 'service']));
  const parsed = service ? /^(?:[a-z]+:\/\/)?([a-z0-9-]+)(?:\.([a-z0-9-]+))?[^:]*(?::(\d+))?$/.exec(service) : null;
  if (!parsed?.[1]) return [];
  return [{ name: parsed[1], namespace: parsed[2] ?? namespace, ...(parsed[3] ? { port: parsed[3] } : {}), path: ['spec', 'service'] }];
}
