import type { Inventory, K8sObject } from '../inventory/model.ts';
import { asArray, asPortNumber, asRecord, asString, isRecord } from '../values.ts';

/**
 * verify's own reading of SMI access (osm-semantics §2.1-2.3, §6.3), straight from the TrafficTarget, HTTPRouteGroup
 * and TCPRoute objects of the inventory. It deliberately shares nothing with the translator's access model
 * (src/core/osm/access-model.ts): a mistake there must show up as a difference here, not be mirrored.
 *
 * An object whose namespace the repository does not tell (no `metadata.namespace`, no kustomization placing it) was
 * applied wherever `kubectl -n` put it: it grants nothing in any namespace verify knows. A translation that guesses a
 * namespace for it therefore shows as wider.
 */

/** One HTTPRouteGroup match as OSM programmed it: full-match regexes AND-ed (§2.2.2-4). */
export interface OsmRouteMatch {
  /** `<group>/<match name>`, for reasons. */
  readonly label: string;
  /** Absent or empty: any path. */
  readonly pathRegex?: string;
  /** Upper-case method regexes; empty: any. */
  readonly methods: readonly string[];
  /** Lower-case header name → full-match value regex. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A TrafficTarget OSM honoured, in the namespace it was applied to. */
export interface OsmGrant {
  readonly target: string;
  readonly namespace: string;
  /** Destination ServiceAccount. */
  readonly destination: string;
  /** Source identities `<sa>.<namespace>`. */
  readonly sources: readonly string[];
  /** L4 permission: TCPRoute ports, or any port when none lists one (§2.3). */
  readonly ports: readonly number[] | 'any';
  readonly matches: readonly OsmRouteMatch[];
}

export interface OsmAccess {
  /** Grants by `<namespace>/<destination ServiceAccount>`. */
  grantsTo(namespace: string, serviceAccount: string): readonly OsmGrant[];
  /** Every source identity some grant names, and every namespace a grant lives in. */
  readonly identities: ReadonlySet<string>;
  readonly namespaces: ReadonlySet<string>;
}

const IGNORE_LABEL = 'openservicemesh.io/ignore';

export function readOsmAccess(inventory: Inventory): OsmAccess {
  const byDestination = new Map<string, OsmGrant[]>();
  const identities = new Set<string>();
  const namespaces = new Set<string>();
  const lookup = latestByName(inventory);
  for (const target of latest(inventory.osm('TrafficTarget'))) {
    const grant = readGrant(inventory, target, lookup);
    if (!grant) continue;
    const key = `${grant.namespace}/${grant.destination}`;
    byDestination.set(key, [...(byDestination.get(key) ?? []), grant]);
    grant.sources.forEach((s) => identities.add(s));
    namespaces.add(grant.namespace);
  }
  return {
    grantsTo: (namespace, serviceAccount) => byDestination.get(`${namespace}/${serviceAccount}`) ?? [],
    identities,
    namespaces,
  };
}

/** One Kubernetes object per kind/namespace/name: the document applied last (repository order) is the one in effect. */
function latest(objects: readonly K8sObject[]): K8sObject[] {
  const last = new Map<string, K8sObject>();
  for (const o of objects) last.set(`${o.ref.namespace ?? '\u0000'}/${o.ref.name}`, o);
  return objects.filter((o) => last.get(`${o.ref.namespace ?? '\u0000'}/${o.ref.name}`) === o);
}

type Lookup = (kind: string, namespace: string, name: string) => K8sObject | undefined;

function latestByName(inventory: Inventory): Lookup {
  const index = new Map<string, K8sObject>();
  for (const kind of ['HTTPRouteGroup', 'TCPRoute']) {
    for (const o of latest(inventory.osm(kind))) if (o.ref.namespace !== undefined) index.set(`${kind}/${o.ref.namespace}/${o.ref.name}`, o);
  }
  return (kind, namespace, name) => index.get(`${kind}/${namespace}/${name}`);
}

/** access v1alpha1 keeps destination, sources and `specs` at the top level; later versions under `spec.rules`. */
function layout(target: K8sObject): { spec: Readonly<Record<string, unknown>>; rules: readonly unknown[] } {
  if (isRecord(target.body['spec'])) return { spec: target.body['spec'], rules: asArray(target.body['spec']['rules']) };
  return { spec: target.body, rules: asArray(target.body['specs']) };
}

function readGrant(inventory: Inventory, target: K8sObject, lookup: Lookup): OsmGrant | undefined {
  const namespace = target.ref.namespace;
  // Unknown namespace: applied somewhere verify cannot name (see the module comment).
  if (namespace === undefined) return undefined;
  // OSM reads nothing in a namespace labelled ignore (§5).
  if (inventory.findNamespace(namespace)?.labels[IGNORE_LABEL] !== undefined) return undefined;
  const { spec, rules } = layout(target);
  const destination = asRecord(spec['destination']);
  const destinationName = asString(destination['name']);
  const destinationNamespace = asString(destination['namespace']);
  // The webhook and the controller both require metadata.namespace = destination.namespace (§2.1.2).
  if (!destinationName || (destinationNamespace !== undefined && destinationNamespace !== namespace)) return undefined;
  if (asString(destination['kind']) !== undefined && destination['kind'] !== 'ServiceAccount') return undefined;
  // No rule, or any rule of another kind: the whole TrafficTarget is ignored (§2.1.3).
  if (rules.length === 0) return undefined;
  const ruleList = rules.map(asRecord);
  if (ruleList.some((r) => r['kind'] !== 'HTTPRouteGroup' && r['kind'] !== 'TCPRoute')) return undefined;
  const ports: number[] = [];
  let portsListed = false;
  const matches: OsmRouteMatch[] = [];
  for (const rule of ruleList) {
    const name = asString(rule['name']) ?? '';
    if (rule['kind'] === 'TCPRoute') {
      const route = lookup('TCPRoute', namespace, name);
      // A missing TCPRoute leaves the TrafficTarget out of the L4 RBAC (§2.3).
      if (!route) return undefined;
      const listed = asArray(asRecord(asRecord(route.body['spec'])['matches'])['ports']).flatMap((p) => asPortNumber(p) ?? []);
      if (listed.length > 0) portsListed = true;
      ports.push(...listed);
      continue;
    }
    const group = lookup('HTTPRouteGroup', namespace, name);
    // A missing group, or a rule naming no matches, allows no HTTP route (§2.1.5-6); L4 still admits the sources.
    if (!group) continue;
    const wanted = new Set(asArray(rule['matches']).flatMap((m) => asString(m) ?? []));
    for (const m of groupMatches(group)) if (wanted.has(m.name)) matches.push(m.match);
  }
  const sources = asArray(spec['sources']).map(asRecord).flatMap((s): string[] => {
    const kind = asString(s['kind']) ?? 'ServiceAccount';
    const name = asString(s['name']);
    const sourceNamespace = asString(s['namespace']);
    // Only ServiceAccount subjects exist; one without namespace is the identity "<sa>." that nobody has (§2.1.4).
    return kind === 'ServiceAccount' && name && sourceNamespace ? [`${name}.${sourceNamespace}`] : [];
  });
  return {
    target: `TrafficTarget/${namespace}/${target.ref.name}`,
    namespace,
    destination: destinationName,
    sources,
    ports: portsListed ? [...new Set(ports)] : 'any',
    matches,
  };
}

/** specs v1alpha1/v1alpha2 keep `matches` at the top level, later versions under `spec` (§2.2). */
function groupMatches(group: K8sObject): { name: string; match: OsmRouteMatch }[] {
  const list = asArray(isRecord(group.body['spec']) ? group.body['spec']['matches'] : group.body['matches']);
  return list.map(asRecord).flatMap((m) => {
    const name = asString(m['name']);
    if (!name) return [];
    const methods = asArray(m['methods']).flatMap((x) => asString(x)?.toUpperCase() ?? []);
    const pathRegex = asString(m['pathRegex']);
    return [{
      name,
      match: {
        label: `${group.ref.name}/${name}`,
        ...(pathRegex !== undefined && pathRegex !== '' ? { pathRegex } : {}),
        // Any "*" makes the whole list any method (route_config.go:448-470).
        methods: methods.includes('*') ? [] : [...new Set(methods)],
        headers: headerMap(m['headers']),
      },
    }];
  });
}

/** The CRD's list of single-key maps (flattened, last key wins) or the spec's plain map (§2.2). */
function headerMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of Array.isArray(value) ? value : [value]) {
    for (const [k, v] of Object.entries(asRecord(entry))) if (v !== null && v !== undefined) out[k.toLowerCase()] = String(v);
  }
  return out;
}
