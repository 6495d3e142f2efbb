import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import type { Inventory, K8sObject } from '../inventory/model.ts';
import { inEffect } from './replaced-documents.ts';
import { formatRef, type NodePath } from '../source.ts';
import { asArray, asPortNumber, asRecord, asString, isRecord } from '../values.ts';
import { stripAnchors } from '../primitives/regex-literal.ts';

/**
 * What OSM enforced for SMI access (osm-semantics §2.1-2.3, §6.3), read from TrafficTargets, HTTPRouteGroups and
 * TCPRoutes. Both the translation and `verify`'s OSM evaluator read this model, so it encodes OSM's behaviour only.
 */

/** One HTTPRouteGroup match as OSM programmed it: all fields full-match regexes, AND-ed. */
export interface OsmHttpMatch {
  readonly group: string;
  readonly name: string;
  readonly pathRegex?: string;
  /** Upper-case methods; empty = any ("*"). */
  readonly methods: readonly string[];
  /** Header name (lower case) → full-match value regex. `host` is matched against :authority. */
  readonly headers: Readonly<Record<string, string>>;
  readonly object: K8sObject;
  /** Path of this match in its HTTPRouteGroup. */
  readonly path: NodePath;
}

/** Two matches accept exactly the same requests when their regexes, methods and headers are the same. */
export function matchKey(match: OsmHttpMatch): string {
  const headers = Object.entries(match.headers).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([match.pathRegex ?? '', [...match.methods].sort(), headers]);
}

/** Cores (anchors stripped) that match every path, which always starts with "/". */
const EVERY_PATH = new Set(['.*', '/.*', '(/.*)?', '(?:/.*)?']);

/**
 * A pathRegex that every request path matches: none ("When pathRegex … not defined, they will be wildcarded",
 * osm-semantics §2.2, inbound_traffic_policies.go:243-257), or one of the catch-all regexes.
 */
export function acceptsEveryPath(pathRegex: string | undefined): boolean {
  return pathRegex === undefined || pathRegex === '' || EVERY_PATH.has(stripAnchors(pathRegex));
}

/** A match that accepts every request: any path, any method, no header condition. */
export function acceptsEveryRequest(match: OsmHttpMatch): boolean {
  return acceptsEveryPath(match.pathRegex) && match.methods.length === 0 && Object.keys(match.headers).length === 0;
}

/**
 * The distinct matches OSM allowed to a destination ServiceAccount across every TrafficTarget naming it (the same
 * match from several TrafficTargets or groups is one route), first occurrence kept.
 */
export function destinationMatches(policies: readonly AccessPolicy[], namespace: string | undefined, serviceAccount: string): OsmHttpMatch[] {
  const byKey = new Map<string, OsmHttpMatch>();
  for (const p of policies) {
    if (p.namespace !== namespace || p.destination !== serviceAccount) continue;
    for (const match of p.httpMatches) {
      const key = matchKey(match);
      if (!byKey.has(key)) byKey.set(key, match);
    }
  }
  return [...byKey.values()];
}

/** A TrafficTarget OSM would honour, reduced to what it allows. */
export interface AccessPolicy {
  readonly target: K8sObject;
  readonly namespace: string | undefined;
  readonly destination: string;
  /** Source identities `<sa>.<namespace>`. */
  readonly sources: readonly string[];
  /** L4 ports from TCPRoute matches.ports; `any` when none are listed (osm-semantics §2.3). */
  readonly ports: readonly number[] | 'any';
  readonly httpMatches: readonly OsmHttpMatch[];
  /** The TCPRoutes its rules reference. */
  readonly tcpRoutes: readonly K8sObject[];
  /** The TrafficTarget references at least one HTTPRouteGroup rule. */
  readonly hasHttpRules: boolean;
}

export interface AccessModel {
  readonly policies: readonly AccessPolicy[];
  readonly findings: readonly Finding[];
}

function identityOf(serviceAccount: string, namespace: string): string {
  return `${serviceAccount}.${namespace}`;
}

const SERVED_ACCESS = new Set(['access.smi-spec.io/v1alpha3', 'access.smi-spec.io/v1alpha2']);

export function readAccessModel(inventory: Inventory): AccessModel {
  // Every rule and the verify step ask for it: read once per inventory (it is a pure function of it).
  const known = models.get(inventory);
  if (known) return known;
  const findings: Finding[] = [];
  const read = inventory.osm('TrafficTarget').flatMap((target) => readTarget(inventory, target, findings) ?? []);
  const policies = withinMatchLimit(read, findings);
  const model = { policies, findings };
  models.set(inventory, model);
  return model;
}

const models = new WeakMap<Inventory, AccessModel>();

/**
 * Route matches per destination the translation analyses. Linkerd's single-route precedence makes the translator
 * compare every match with every other (containment, overlaps): thousands of matches on one destination would take
 * minutes. A real service has a few dozen; past the limit the rest is left out, with an error that says so.
 */
export const MAX_MATCHES_PER_DESTINATION = 250;

function withinMatchLimit(policies: readonly AccessPolicy[], findings: Finding[]): AccessPolicy[] {
  const used = new Map<string, number>();
  return policies.map((p) => {
    const key = `${p.namespace ?? ''}/${p.destination}`;
    const before = used.get(key) ?? 0;
    used.set(key, before + p.httpMatches.length);
    if (before + p.httpMatches.length <= MAX_MATCHES_PER_DESTINATION) return p;
    const kept = Math.max(0, MAX_MATCHES_PER_DESTINATION - before);
    const resource = formatRef(p.target.ref);
    findings.push(finding('traffic-target/too-many-matches', p.target.locate(['spec', 'rules']), {
      resource,
      message: { destination: p.destination, namespace: p.namespace ?? '(unknown namespace)', maxMatchesPerDestination: MAX_MATCHES_PER_DESTINATION, httpMatchesCount: p.httpMatches.length - kept, resource },
      affects: [{ ...(p.namespace !== undefined ? { namespace: p.namespace } : {}), serviceAccount: p.destination }],
    }));
    return { ...p, httpMatches: p.httpMatches.slice(0, kept) };
  });
}

/** v1alpha1 has no `spec`: destination, sources and specs sit at the top level (osm-semantics §2.1). */
function targetSpec(target: K8sObject): { spec: Readonly<Record<string, unknown>>; base: NodePath; rulesKey: string } {
  if (isRecord(target.body['spec'])) return { spec: target.body['spec'], base: ['spec'], rulesKey: 'rules' };
  return { spec: target.body, base: [], rulesKey: 'specs' };
}

function readTarget(inventory: Inventory, target: K8sObject, findings: Finding[]): AccessPolicy | undefined {
  const resource = formatRef(target.ref);
  const { spec, base, rulesKey } = targetSpec(target);
  const at = (...path: (string | number)[]) => target.locate([...base, ...path]);
  if (!SERVED_ACCESS.has(target.ref.apiVersion)) {
    findings.push(finding('traffic-target/unserved-version', target.locate(['apiVersion']), {
      resource,
      message: { resource, apiVersion: target.ref.apiVersion || 'no apiVersion' },
    }));
  }
  const destination = asRecord(spec['destination']);
  const destNamespace = asString(destination['namespace']);
  // A TrafficTarget whose namespace is unknown is never placed in its destination's namespace: OSM dropped it
  // everywhere else, so that is only the condition under which it took effect. Rules and routes are read as OSM read
  // them there; what is generated stays namespace-less, like its source (inventory/model.ts generatedNamespace).
  const namespace = target.ref.namespace ?? destNamespace;
  // "The traffic target namespace (%s) must match spec.Destination.Namespace (%s)" (osm-semantics §2.1.2).
  if (target.ref.namespace && destNamespace && target.ref.namespace !== destNamespace) {
    findings.push(finding('traffic-target/namespace-mismatch', at('destination', 'namespace'), {
      resource,
      message: { resource, refNamespace: target.ref.namespace, destNamespace },
    }));
    return undefined;
  }
  const destinationName = asString(destination['name']);
  if (!destinationName) return undefined;
  if (target.ref.namespace === undefined && destNamespace) {
    findings.push(finding('traffic-target/namespace-condition', target.locate(['metadata']), {
      resource,
      message: { resource, candidateNamespacesCountClause: target.candidateNamespaces.length > 1 ? ` (kustomizations place it in ${target.candidateNamespaces.join(', ')})` : '', destNamespace },
      // Whatever verify finds on the destination depends on the namespace the file is applied in.
      affects: [{ namespace: destNamespace, serviceAccount: destinationName }],
    }));
  }
  if (destination['port'] !== undefined) {
    findings.push(finding('traffic-target/destination-port-ignored', at('destination', 'port'), {
      resource,
      message: { resource, port: String(destination['port']), destinationName },
    }));
  }
  const rules = asArray(spec[rulesKey]).map(asRecord);
  const badRule = rules.findIndex((r) => r['kind'] !== 'HTTPRouteGroup' && r['kind'] !== 'TCPRoute');
  if (badRule >= 0 || rules.length === 0) {
    findings.push(finding('traffic-target/invalid-rule-kind', badRule >= 0 ? at(rulesKey, badRule, 'kind') : at(), {
      resource,
      message: badRule >= 0
        ? `${resource} has a rule of kind ${String(rules[badRule]?.['kind'])}: OSM ignored the whole TrafficTarget ("Invalid Kind for rule").`
        : `${resource} has no rules: OSM ignored it.`,
    }));
    return undefined;
  }
  const sources = readSources(target, spec, base, namespace, findings);
  const ports: number[] = [];
  const tcpRoutes: K8sObject[] = [];
  let anyTcpPortsListed = false;
  const httpMatches: OsmHttpMatch[] = [];
  let hasHttpRules = false;
  for (const [i, rule] of rules.entries()) {
    const name = asString(rule['name']) ?? '';
    if (rule['kind'] === 'TCPRoute') {
      const route = findSpec(inventory, 'TCPRoute', namespace, name);
      if (!route) {
        // A TrafficTarget with a missing TCPRoute is left out of the L4 RBAC: its sources are denied (§2.3).
        findings.push(finding('traffic-target/tcp-route-not-found', at(rulesKey, i, 'name'), {
          resource,
          message: { resource, name, namespace: namespace ?? '(unknown)' },
        }));
        return undefined;
      }
      const listed = asArray(asRecord(asRecord(route.body['spec'])['matches'])['ports']).flatMap((p) => asPortNumber(p) ?? []);
      tcpRoutes.push(route);
      if (listed.length > 0) anyTcpPortsListed = true;
      ports.push(...listed);
    } else {
      hasHttpRules = true;
      httpMatches.push(...readHttpRule(inventory, target, rule, [...base, rulesKey, i], namespace, findings));
    }
  }
  return {
    target,
    namespace,
    destination: destinationName,
    sources,
    ports: anyTcpPortsListed ? [...new Set(ports)].sort((a, b) => a - b) : 'any',
    httpMatches,
    tcpRoutes,
    hasHttpRules,
  };
}

function readSources(target: K8sObject, spec: Readonly<Record<string, unknown>>, base: NodePath, namespace: string | undefined, findings: Finding[]): string[] {
  const resource = formatRef(target.ref);
  return asArray(spec['sources']).flatMap((raw, i): string[] => {
    const source = asRecord(raw);
    const name = asString(source['name']);
    const kind = asString(source['kind']) ?? 'ServiceAccount';
    const loc = target.locate([...base, 'sources', i]);
    if (kind !== 'ServiceAccount' || !name) {
      findings.push(finding('traffic-target/source-kind-unsupported', loc, {
        resource,
        message: { resource, i: i + 1, kind, nameClause: name ? ` (${name})` : '' },
      }));
      return [];
    }
    const sourceNamespace = asString(source['namespace']);
    if (!sourceNamespace) {
      findings.push(finding('traffic-target/source-namespace-missing', loc, {
        resource,
        message: { resource, name, namespaceClause: namespace ? ` (did you mean ${namespace}?)` : '' },
      }));
      return [];
    }
    return [identityOf(name, sourceNamespace)];
  });
}

/** Rules are looked up in the TrafficTarget's namespace (osm-semantics §2.1.5). */
function findSpec(inventory: Inventory, kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
  // Two documents with one name: the later one is what the cluster holds (kubectl apply order).
  const candidates = inEffect(inventory.osm(kind)).filter((o) => o.ref.name === name);
  return candidates.find((o) => o.ref.namespace === namespace) ?? candidates.find((o) => o.ref.namespace === undefined);
}

function readHttpRule(
  inventory: Inventory,
  target: K8sObject,
  rule: Readonly<Record<string, unknown>>,
  rulePath: NodePath,
  namespace: string | undefined,
  findings: Finding[],
): OsmHttpMatch[] {
  const resource = formatRef(target.ref);
  const groupName = asString(rule['name']) ?? '';
  const group = findSpec(inventory, 'HTTPRouteGroup', namespace, groupName);
  if (!group) {
    findings.push(finding('traffic-target/route-group-not-found', target.locate([...rulePath, 'name']), {
      resource,
      message: { resource, groupName, namespace: namespace ?? '(unknown)' },
    }));
    return [];
  }
  const wanted = asArray(rule['matches']).flatMap((m) => asString(m) ?? []);
  // "If matches is omitted, OSM allows no HTTP route from that rule" (osm-semantics §2.1.6).
  if (wanted.length === 0) {
    findings.push(finding('traffic-target/rule-without-matches', target.locate([...rulePath]), {
      resource,
      message: { resource, groupName },
    }));
    return [];
  }
  const available = groupMatches(group);
  return wanted.flatMap((name, i): OsmHttpMatch[] => {
    const match = available.find((m) => m.name === name);
    if (match) return [match];
    findings.push(finding('traffic-target/match-name-not-found', target.locate([...rulePath, 'matches', i]), {
      resource,
      message: { resource, name, groupName },
    }));
    return [];
  });
}

/** v1alpha1/v1alpha2 keep matches at the top level; v1alpha3+ under spec (osm-semantics §2.2). */
export function groupMatches(group: K8sObject): OsmHttpMatch[] {
  const underSpec = isRecord(group.body['spec']);
  const base: NodePath = underSpec ? ['spec', 'matches'] : ['matches'];
  const list = asArray(underSpec ? asRecord(group.body['spec'])['matches'] : group.body['matches']);
  return list.flatMap((raw, i): OsmHttpMatch[] => {
    const m = asRecord(raw);
    const name = asString(m['name']);
    if (!name) return [];
    const methods = asArray(m['methods']).flatMap((x) => asString(x)?.toUpperCase() ?? []);
    const pathRegex = asString(m['pathRegex']);
    return [{
      group: group.ref.name,
      name,
      ...(pathRegex !== undefined ? { pathRegex } : {}),
      // A "*" anywhere collapses the list to any method (route_config.go:448-470).
      methods: methods.includes('*') ? [] : [...new Set(methods)],
      headers: readHeaders(m['headers']),
      object: group,
      path: [...base, i],
    }];
  });
}

/**
 * OSM manifests write headers as a list of single-key maps, which smi-sdk-go flattens (last key wins); the SMI spec
 * shows a plain map. Both are accepted (osm-semantics §2.2).
 */
export function readHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Array.isArray(value) ? value.map(asRecord) : [asRecord(value)];
  for (const entry of entries) {
    for (const [k, v] of Object.entries(entry)) if (v !== null && v !== undefined) out[k.toLowerCase()] = String(v);
  }
  return out;
}
