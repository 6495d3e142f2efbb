import type { Inventory, K8sObject, Service, Workload } from '../inventory/model.ts';
import { resolveTargetPort, selects } from '../inventory/services.ts';
import { formatRef } from '../source.ts';
import { asArray, asPortNumber, asRecord, asString, getIn } from '../values.ts';
import { addressInside, inCidr, isValidCidr } from '../primitives/cidr.ts';
import { ingressPrincipalLabel, ingressServiceLabel } from '../primitives/source-labels.ts';
import type { Injection } from './mesh-membership.ts';
import { type AccessRequest, type Decision, type IngressSource, type RequestSource } from './types.ts';

/**
 * What OSM's IngressBackends let in (osm-semantics §3.1, §6.6), read straight from the manifests: the reference the
 * translation is checked against, so it shares nothing with rules/ingress-backend. OSM built one ingress filter chain
 * per backend: destination port = the Service's targetPort, source IP prefixes = the endpoints of the Service sources
 * plus the IPRange CIDRs (none: any source), and a wildcard route whose RBAC wildcards the principal on http
 * backends and with skipClientCertValidation, else requires an OSM-issued client certificate whose SAN is one of the
 * AuthenticatedPrincipals (any valid one when none is listed). Mesh clients never reach that chain: their mTLS
 * handshake (SNI = the Service FQDN, ALPN osm) selects the in-mesh chain. Both traffic modes.
 */
export interface OsmIngressRule {
  /** `IngressBackend/<ns>/<name>`, for reasons. */
  readonly policy: string;
  readonly namespace: string | undefined;
  /** Backend Service name and `port.number` (a targetPort). */
  readonly service: string;
  readonly port: number;
  readonly https: boolean;
  readonly skipClientCertValidation: boolean;
  /** Service sources, `<ns>/<name>`. */
  readonly services: readonly string[];
  readonly cidrs: readonly string[];
  readonly principals: readonly string[];
}

export interface OsmIngress {
  readonly rules: readonly OsmIngressRule[];
}

const SERVED = 'policy.openservicemesh.io/v1alpha1';

/**
 * IngressBackends OSM applied: the admission webhook refuses bad protocols, https + skipClientCertValidation without
 * an AuthenticatedPrincipal, Service sources without name or namespace, unparsable IPRanges, and a backend another
 * IngressBackend already claims (`validators.go:103-152`). Documents with the same namespace and name are one object:
 * the later replaces the earlier.
 */
export function readOsmIngress(inventory: Inventory): OsmIngress {
  const objects = inventory.osm('IngressBackend');
  const last = new Map<string, K8sObject>();
  for (const o of objects) last.set(`${o.ref.namespace ?? ''}/${o.ref.name}`, o);
  const claimed = new Set<string>();
  const rules: OsmIngressRule[] = [];
  for (const o of objects) {
    if (last.get(`${o.ref.namespace ?? ''}/${o.ref.name}`) !== o) continue;
    // Spec examples omit apiVersion or write a bare version; any other group/version is not OSM's.
    if (o.ref.apiVersion !== SERVED && o.ref.apiVersion.includes('/')) continue;
    const read = readPolicy(o);
    if (!read) continue;
    const keys = read.map((r) => `${r.namespace ?? ''}/${r.service}/${r.port}`);
    if (keys.some((k) => claimed.has(k))) continue;
    keys.forEach((k) => claimed.add(k));
    rules.push(...read);
  }
  return { rules };
}

function readPolicy(o: K8sObject): OsmIngressRule[] | undefined {
  const spec = asRecord(o.body['spec']);
  if (!Array.isArray(spec['backends']) || !Array.isArray(spec['sources'])) return undefined;
  const sources = asArray(spec['sources']).map(asRecord);
  const kinds = sources.map((s) => asString(s['kind']));
  const services: string[] = [];
  const cidrs: string[] = [];
  const principals: string[] = [];
  for (const s of sources) {
    const name = asString(s['name']);
    if (!name) return undefined;
    if (s['kind'] === 'Service') {
      const namespace = asString(s['namespace']);
      if (!namespace) return undefined;
      services.push(`${namespace}/${name}`);
    } else if (s['kind'] === 'IPRange') {
      if (!name.includes('/') || !isValidCidr(name)) return undefined;
      cidrs.push(name);
    } else if (s['kind'] === 'AuthenticatedPrincipal') principals.push(name);
  }
  const rules: OsmIngressRule[] = [];
  for (const raw of asArray(spec['backends'])) {
    const b = asRecord(raw);
    const service = asString(b['name']);
    const port = asPortNumber(getIn(b, ['port', 'number']));
    const protocol = (asString(getIn(b, ['port', 'protocol'])) ?? '').toLowerCase();
    if (!service || port === undefined || port < 1 || port > 65535) return undefined;
    if (protocol !== 'http' && protocol !== 'https') return undefined;
    const skip = getIn(b, ['tls', 'skipClientCertValidation']) === true;
    if (protocol === 'https' && skip && !kinds.includes('AuthenticatedPrincipal')) return undefined;
    rules.push({
      policy: formatRef(o.ref), namespace: o.ref.namespace, service, port, https: protocol === 'https',
      skipClientCertValidation: skip, services, cidrs, principals,
    });
  }
  return rules;
}

/** A backend rule reaches a workload port when its Service selects the pods and one of its ports targets that port. */
function reaches(inventory: Inventory, rule: OsmIngressRule, workload: Workload, port?: number): boolean {
  const service = inventory.findService(rule.namespace, rule.service);
  if (!service || workload.namespace !== service.namespace || !selects(service, workload)) return false;
  if (port !== undefined && port !== rule.port) return false;
  return service.ports.some((sp) => sp.protocol.toUpperCase() === 'TCP' && resolveTargetPort(sp, workload) === rule.port);
}

/** OSM's decision for a non-mesh client on an ingress chain of the port; undefined when no chain admits it. */
export function osmIngressDecision(ingress: OsmIngress, inventory: Inventory, request: AccessRequest, workload: Workload): Decision | undefined {
  const { source } = request;
  if (source.kind === 'meshed' || source.kind === 'kubelet') return undefined;
  for (const rule of ingress.rules) {
    if (!reaches(inventory, rule, workload, request.port)) continue;
    const prefixed = rule.services.length > 0 || rule.cidrs.length > 0;
    const fromService = source.kind === 'ingress' && source.service !== undefined && rule.services.includes(source.service);
    if (prefixed && !fromService && !rule.cidrs.some((c) => inCidr(source.ip, c))) continue;
    if (rule.https && !rule.skipClientCertValidation) {
      // An OSM-issued client certificate is required; its SAN must be listed, unless no principal is.
      const principal = source.kind === 'ingress' ? source.principal : undefined;
      if (principal === undefined && (source.kind === 'unmeshed' || rule.principals.length > 0)) continue;
      if (principal !== undefined && rule.principals.length > 0 && !rule.principals.includes(principal)) continue;
    }
    return { allowed: true, reason: `ingress chain of ${rule.policy} (${rule.https ? 'https' : 'http'}, port ${rule.port})` };
  }
  return undefined;
}

/** Addresses no test range is likely to contain; the first one outside every IPRange stands for "elsewhere". */
const ELSEWHERE = ['192.0.2.10', '198.51.100.10', '203.0.113.10', '2001:db8::10'];

/**
 * The ingress clients to try against one backend workload (every port of it): the controller behind each Service
 * source (one per ServiceAccount of its pods, presenting a principal its https IngressBackends list), a client presenting each AuthenticatedPrincipal from outside every
 * range and from inside each IPRange, an unmeshed and a meshed client inside each IPRange, and an unmeshed one
 * outside. `meshedInLinkerd(ns, sa)` says whether pods of that ServiceAccount are injected after the migration
 * (undefined: not in the repository, assumed meshed as the findings ask; unknown: tried both ways).
 */
export function ingressSources(
  ingress: OsmIngress,
  inventory: Inventory,
  workload: Workload,
  meshedInLinkerd: (namespace: string, serviceAccount: string) => Injection | undefined,
): RequestSource[] {
  const rules = ingress.rules.filter((r) => reaches(inventory, r, workload));
  if (rules.length === 0) return [];
  const allServices = [...new Set(ingress.rules.flatMap((r) => r.services))].sort();
  const allCidrs = ingress.rules.flatMap((r) => r.cidrs);
  const elsewhere = ELSEWHERE.find((ip) => !allCidrs.some((c) => inCidr(ip, c)));
  // Unknown injection: the controller is tried both with and without its mesh identity.
  const identities = (namespace: string, serviceAccount: string): { identity?: { serviceAccount: string; namespace: string } }[] => {
    const injection = meshedInLinkerd(namespace, serviceAccount);
    const meshed = { identity: { serviceAccount, namespace } };
    return injection === 'disabled' ? [{}] : injection === 'unknown' ? [meshed, {}] : [meshed];
  };
  const sources: RequestSource[] = [];
  for (const key of [...new Set(rules.flatMap((r) => r.services))].sort()) {
    const [namespace = '', name = ''] = key.split('/');
    const index = allServices.indexOf(key);
    const ip = `10.3.${Math.floor(index / 250)}.${(index % 250) + 1}`;
    const base = { kind: 'ingress' as const, label: ingressServiceLabel(namespace, name), ip, service: key };
    const accounts = serviceAccountsBehind(inventory.findService(namespace, name), inventory);
    if (accounts.length === 0) sources.push(base);
    // The controller's client certificate came from MeshConfig certificate.ingressGateway (osm-semantics §3.1,
    // §4.1), whose SAN is whatever that config said, not its ServiceAccount: the controller is assumed to present a
    // principal the https IngressBackends naming its Service list (its `<sa>.<namespace>.cluster.local` when one
    // does), else that form.
    const listed = [...new Set(rules.filter((r) => r.https && r.services.includes(key)).flatMap((r) => r.principals))].sort();
    for (const sa of accounts) {
      const own = `${sa}.${namespace}.cluster.local`;
      const principal = listed.length === 0 || listed.includes(own) ? own : (listed[0] ?? own);
      for (const identity of identities(namespace, sa)) sources.push({ ...base, principal, ...identity });
    }
  }
  const cidrs = [...new Set(rules.flatMap((r) => r.cidrs))];
  const insides = cidrs.flatMap((c) => addressInside(c) ?? []);
  for (const principal of [...new Set(rules.flatMap((r) => r.principals))].sort()) {
    const shape = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.cluster\.local$/.exec(principal);
    const mapped = shape?.[1] !== undefined && shape[3] !== undefined ? identities(shape[3], shape[1]) : [{}];
    for (const ip of [...(elsewhere ? [elsewhere] : []), ...insides]) {
      for (const identity of mapped) {
        const source: IngressSource = { kind: 'ingress', label: ingressPrincipalLabel(principal), ip, principal, ...identity };
        sources.push(source);
      }
    }
  }
  for (const ip of insides) {
    sources.push({ kind: 'unmeshed', ip });
    sources.push({ kind: 'meshed', serviceAccount: 'in-range-client', namespace: workload.namespace ?? '', ip });
  }
  if (elsewhere && (cidrs.length > 0 || rules.some((r) => r.services.length > 0))) sources.push({ kind: 'unmeshed', ip: elsewhere });
  return sources;
}

function serviceAccountsBehind(service: Service | undefined, inventory: Inventory): string[] {
  if (!service) return [];
  const selected = inventory.workloads.filter((w) => w.namespace === service.namespace && selects(service, w));
  return [...new Set(selected.map((w) => w.serviceAccount))].sort();
}
