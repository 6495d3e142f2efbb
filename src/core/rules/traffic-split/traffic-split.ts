import { finding, raises } from './findings.ts';
import type { Inventory, K8sObject, Service } from '../../inventory/model.ts';
import type { RouteMatch } from '../../linkerd/build.ts';
import { GENERATED_BY_LABEL, type LinkerdResource } from '../../linkerd/resources.ts';
import { features, policyHttpRouteApiVersion } from '../../linkerd/versions.ts';
import { groupMatches } from '../../osm/access-model.ts';
import { formatRef } from '../../source.ts';
import { asArray, asRecord, asString } from '../../values.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { translateHttpMatch } from '../../linkerd/http-match.ts';
import { generatedNamespace } from '../../inventory/model.ts';

/**
 * TrafficSplit → a weighted HTTPRoute on the apex Service (linkerd-reference §4.1), or a kept v1alpha2 TrafficSplit
 * for the linkerd-smi extension. OSM semantics: osm-semantics §2.4 (one namespace, one split per apex, backends
 * must expose the apex port, weights summing to at least 1, client-side only, no access granted).
 */
export const trafficSplitRule = defineRule({
  id: 'traffic-split',
  consumes: ['TrafficSplit'],
  // matches: v1alpha3/v1alpha4 (osm-edge) references to HTTPRouteGroups.
  fields: { TrafficSplit: ['spec.service', 'spec.backends[].service', 'spec.backends[].weight', 'spec.matches[].kind', 'spec.matches[].name', 'spec.matches[].apiGroup'] },
  raises,
  translate: translateTrafficSplits,
});

interface Backend {
  readonly service: string;
  readonly weight: number;
  readonly index: number;
}

export function translateTrafficSplits({ inventory, options }: RuleInput): RuleOutput {
  const out = new Emitter();
  const seenApex = new Map<string, K8sObject>();
  for (const split of inventory.osm('TrafficSplit')) {
    out.consume(split);
    const resource = formatRef(split.ref);
    const spec = asRecord(split.body['spec']);
    const namespace = split.ref.namespace;
    const apexName = apexServiceName(asString(spec['service']) ?? '', namespace);
    // Without a namespace, splits of different files may be applied to different namespaces: they never compete.
    const apexKey = `${namespace ?? `?${split.doc.file}`}/${apexName}`;
    const first = seenApex.get(apexKey);
    if (first) {
      out.finding(finding('traffic-split/duplicate-apex', split.locate(['spec', 'service']), {
        resource, message: { resource, apexName, first: formatRef(first.ref) },
      }));
      continue;
    }
    seenApex.set(apexKey, split);
    if (split.ref.apiVersion !== 'split.smi-spec.io/v1alpha2') {
      out.finding(finding('traffic-split/never-served-version', split.locate(['apiVersion']), {
        resource, message: { resource, apiVersion: split.ref.apiVersion || 'no apiVersion' },
      }));
    }
    const backends = readBackends(spec);
    if (backends.reduce((sum, b) => sum + b.weight, 0) < 1) {
      out.finding(finding('traffic-split/invalid-weights', split.locate(['spec', 'backends']), {
        resource, message: { resource },
      }));
      continue;
    }
    const outNamespace = generatedNamespace(split, namespace);
    const asTrafficSplit = options.splitStyle === 'trafficsplit' || !features(options.linkerdVersion).weightedServiceRoutes;
    if (asTrafficSplit) {
      keepForLinkerdSmi(out, split, apexName, backends, outNamespace, options.splitStyle === 'trafficsplit');
      continue;
    }
    const apex = inventory.findService(namespace, apexName);
    if (!apex) {
      out.finding(finding('traffic-split/apex-service-not-found', split.locate(['spec', 'service']), {
        resource,
        message: [
          `${resource} splits Service ${apexName}, which is not in the repository, so its port is unknown. Complete this route:`,
          '```yaml',
          `apiVersion: ${policyHttpRouteApiVersion(options.linkerdVersion)}`,
          'kind: HTTPRoute',
          `metadata: {name: ${split.ref.name}${namespace ? `, namespace: ${namespace}` : ''}}`,
          'spec:',
          `  parentRefs: [{group: core, kind: Service, name: ${apexName}, port: <apex port>}]`,
          '  rules:',
          `    - backendRefs: [${backends.map((b) => `{name: ${b.service}, port: <apex port>, weight: ${b.weight}}`).join(', ')}]`,
          '```',
        ].join('\n'),
      }));
      continue;
    }
    for (const port of apex.ports) {
      const routeName = apex.ports.length > 1 ? `${split.ref.name}-${port.port}` : split.ref.name;
      const kept = backends.filter((b) => exposesPort(inventory, split, b, port.port, out));
      const weighted = kept.map((b) => ({ name: b.service, port: port.port, weight: b.weight }));
      const rules = [...matchRules(inventory, split, weighted), { backendRefs: weighted }];
      out.resource(weightedRoute(options.linkerdVersion, routeName, outNamespace, apex, port.port, rules), split);
    }
    out.finding(finding('traffic-split/translated', split.locate(['spec']), {
      resource, message: { resource, apexName, backends: backends.map((b) => `${b.service} ${b.weight}`).join(', ') },
    }));
  }
  return out.output();
}

/** `name`, `name.ns`, `name.ns.svc…`: OSM resolved any DNS form to the Service (osm-semantics §2.4). */
function apexServiceName(service: string, namespace: string | undefined): string {
  const [name, ns] = service.split('.');
  return ns === undefined || ns === namespace || namespace === undefined ? (name ?? service) : service;
}

/** v1alpha2+ weights are integers; v1alpha1 weights are quantities ("500m"): scaled to integers, ratios kept. */
function readBackends(spec: Readonly<Record<string, unknown>>): Backend[] {
  const raw = asArray(spec['backends']).map(asRecord).map((b, index) => ({
    service: asString(b['service']) ?? '',
    milli: quantityMilli(b['weight']),
    index,
  }));
  const divisor = raw.reduce((g, b) => gcd(g, b.milli), 0) || 1;
  const scale = raw.every((b) => b.milli % 1000 === 0) ? 1000 : divisor;
  return raw.filter((b) => b.service !== '').map((b) => ({ service: b.service, weight: Math.round(b.milli / scale), index: b.index }));
}

/** Milli-units of a weight; 0 for anything that is not a non-negative number small enough to compute with. */
function quantityMilli(value: unknown): number {
  const milli = rawMilli(value);
  return Number.isSafeInteger(milli) && milli >= 0 ? milli : 0;
}

function rawMilli(value: unknown): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  const text = String(value ?? '').trim();
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(text);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] ? Math.round(n) : Math.round(n * 1000);
}

/** Euclid on safe integers, iteratively (a recursion on .inf or NaN never ended). */
function gcd(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** OSM ignored a backend that does not expose the apex port ("Error fetching target port for leaf service"). */
function exposesPort(inventory: Inventory, split: K8sObject, backend: Backend, port: number, out: Emitter): boolean {
  const service = inventory.findService(split.ref.namespace, backend.service);
  if (!service || service.ports.some((p) => p.port === port)) return true;
  out.finding(finding('traffic-split/backend-port-mismatch', split.locate(['spec', 'backends', backend.index, 'service']), {
    resource: formatRef(split.ref),
    message: { service: backend.service, split: formatRef(split.ref), port },
  }));
  return false;
}

/** v1alpha3/v1alpha4 `matches` (osm-edge only): matching requests are split, the rest go to the apex Service. */
function matchRules(inventory: Inventory, split: K8sObject, weighted: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const refs = asArray(asRecord(split.body['spec'])['matches']).map(asRecord);
  if (refs.length === 0) return [];
  const matches: RouteMatch[] = refs.flatMap((ref) => {
    const group = inventory.osm('HTTPRouteGroup').find((g) => g.ref.name === asString(ref['name']) && g.ref.namespace === split.ref.namespace);
    return group ? groupMatches(group).flatMap((m) => {
      const t = translateHttpMatch(m);
      return t.ok ? t.matches : [];
    }) : [];
  });
  return matches.length > 0 ? [{ matches, backendRefs: weighted }] : [];
}

function weightedRoute(
  version: RuleInput['options']['linkerdVersion'],
  name: string,
  namespace: string | undefined,
  apex: Service,
  port: number,
  rules: readonly Record<string, unknown>[],
): LinkerdResource {
  const catchAll = rules.length > 1 ? [...rules.slice(0, -1), { backendRefs: [{ name: apex.name, port, weight: 1 }] }] : rules;
  return {
    apiVersion: policyHttpRouteApiVersion(version),
    kind: 'HTTPRoute',
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}), labels: { ...GENERATED_BY_LABEL } },
    // A Service with an HTTPRoute refuses requests no rule matches (linkerd-semantics §4): the last rule has no matches.
    spec: { parentRefs: [{ group: 'core', kind: 'Service', name: apex.name, port }], rules: catchAll },
  };
}

function keepForLinkerdSmi(out: Emitter, split: K8sObject, apex: string, backends: readonly Backend[], namespace: string | undefined, chosen: boolean): void {
  const resource = formatRef(split.ref);
  out.resource({
    apiVersion: 'split.smi-spec.io/v1alpha2',
    kind: 'TrafficSplit',
    metadata: { name: split.ref.name, ...(namespace !== undefined ? { namespace } : {}), labels: { ...GENERATED_BY_LABEL } },
    spec: { service: apex, backends: backends.map((b) => ({ service: b.service, weight: b.weight })) },
  }, split);
  if (!chosen) {
    out.finding(finding('traffic-split/unsupported-target', split.locate(['kind']), {
      resource, message: { resource },
    }));
  }
  out.finding(finding('traffic-split/linkerd-smi-extension', split.locate(['kind']), {
    resource, message: { resource },
  }));
}
