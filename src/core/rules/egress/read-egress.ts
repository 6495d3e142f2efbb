import type { Finding } from '../../findings/finding.ts';
import { finding } from './findings.ts';
import type { Inventory, K8sObject } from '../../inventory/model.ts';
import { groupMatches, type OsmHttpMatch } from '../../osm/access-model.ts';
import { ignoredNamespace, ignoredNamespaceReason } from '../../osm/meshed.ts';
import { replacedDocuments } from '../../osm/replaced-documents.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { asArray, asRecord, asString, isRecord } from '../../values.ts';
import { isValidCidr } from '../../primitives/cidr.ts';
import { findInNamespace, HTTP_ROUTE_GROUP_API, replacedRouteGroups, routeGroupNames } from '../../osm/egress-route-groups.ts';

/**
 * What OSM did with an Egress (osm-semantics §3.2; `pkg/catalog/egress.go`, `pkg/envoy/lds/egress.go`,
 * `pkg/validator/validators.go` egressValidator), reduced to what it allowed. Egress objects OSM never honoured
 * (rejected, in an ignored namespace, with a missing UpstreamTrafficSetting, without a valid source) are left
 * out, with a finding saying why.
 */

export type EgressProtocol = 'http' | 'https' | 'tcp' | 'tcp-server-first';

export interface EgressPort {
  readonly number: number;
  readonly protocol: EgressProtocol;
  readonly path: NodePath;
}

export interface EgressSource {
  readonly name: string;
  readonly namespace: string;
}

export interface EgressPolicy {
  readonly object: K8sObject;
  readonly sources: readonly EgressSource[];
  /** As written: http Host / :authority, https SNI; ignored for tcp ports. */
  readonly hosts: readonly string[];
  /** Parseable CIDRs only (OSM skipped the others). */
  readonly ipAddresses: readonly string[];
  readonly ports: readonly EgressPort[];
  /** `any`: no HTTPRouteGroup match, so OSM used a wildcard route. */
  readonly httpMatches: readonly OsmHttpMatch[] | 'any';
  /** The UpstreamTrafficSetting the matches name (at most one, osm-semantics §3.2). */
  readonly upstreamTrafficSetting?: K8sObject;
}

const POLICY_API = 'policy.openservicemesh.io/v1alpha1';
const PROTOCOLS: readonly EgressProtocol[] = ['http', 'https', 'tcp', 'tcp-server-first'];
/** Kubernetes names: a ServiceAccount is a DNS subdomain, a namespace a DNS label. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A later document with the kind, namespace and name of an earlier one replaces it (kubectl apply order): the
 * replaced Egress and the replaced HTTPRouteGroups an Egress names are reported, not read.
 */
export function readEgressPolicies(inventory: Inventory, findings: Finding[]): EgressPolicy[] {
  const egresses = inventory.osm('Egress');
  const replaced = replacedDocuments(egresses);
  const policies = egresses.flatMap((o) => {
    const later = replaced.get(o);
    if (later) {
      findings.push(replacedFinding(o, later));
      return [];
    }
    return readEgress(inventory, o, findings) ?? [];
  });
  for (const [group, later] of replacedRouteGroups(inventory)) findings.push(replacedFinding(group, later));
  return policies;
}

function replacedFinding(object: K8sObject, later: K8sObject): Finding {
  const resource = formatRef(object.ref);
  return finding('egress/replaced-by-later-document', object.locate(['metadata', 'name']), {
    resource,
    message: `${object.ref.kind} ${resource} is replaced by a later document with the same namespace and name (${later.doc.file}:${later.locate(['metadata', 'name']).line}), as kubectl apply replaces it: only the later one is translated.`,
  });
}

function readEgress(inventory: Inventory, egress: K8sObject, findings: Finding[]): EgressPolicy | undefined {
  const resource = formatRef(egress.ref);
  const spec = asRecord(egress.body['spec']);
  const namespace = egress.ref.namespace;
  // No sidecar in an ignored namespace (osm-semantics §5). A Namespace manifest without monitored-by is translated as
  // if monitored (the label is often set outside Git): injection/namespace-not-monitored warns once per namespace.
  const ignored = ignoredNamespace(inventory, namespace);
  if (ignored !== undefined) {
    findings.push(finding('egress/namespace-not-monitored', egress.locate(['metadata', 'namespace']), {
      resource,
      message: `OSM never applied ${resource}: ${ignoredNamespaceReason(ignored)}.`,
    }));
    return undefined;
  }
  const matches = asArray(spec['matches']).map(asRecord);
  const rejection = webhookRejection(matches);
  if (rejection) {
    findings.push(finding('egress/rejected-by-osm', egress.locate(['spec', 'matches', rejection.index]), { resource, message: `${resource}: ${rejection.reason}` }));
    return undefined;
  }
  const utsIndex = matches.findIndex((m) => m['apiGroup'] === POLICY_API && m['kind'] === 'UpstreamTrafficSetting');
  let upstreamTrafficSetting: K8sObject | undefined;
  if (utsIndex >= 0) {
    const name = asString(matches[utsIndex]?.['name']) ?? '';
    upstreamTrafficSetting = findInNamespace(inventory, 'UpstreamTrafficSetting', namespace, name);
    if (!upstreamTrafficSetting) {
      findings.push(finding('egress/upstream-traffic-setting-not-found', egress.locate(['spec', 'matches', utsIndex, 'name']), {
        resource,
        message: `${resource} names UpstreamTrafficSetting ${name}, which is not in namespace ${namespace ?? '(unknown)'} in the repository: OSM ignored the whole Egress.`,
      }));
      return undefined;
    }
  }
  const sources = readSources(egress, spec, findings);
  if (sources.length === 0) return undefined;
  const ports = readPorts(egress, spec, findings);
  const ipAddresses = asArray(spec['ipAddresses']).flatMap((raw, i): string[] => {
    const cidr = typeof raw === 'string' ? raw.trim() : String(raw);
    // net.ParseCIDR needs a prefix length (egress.go:165-171).
    if (cidr.includes('/') && isValidCidr(cidr)) return [cidr];
    findings.push(finding('egress/invalid-ip-range', egress.locate(['spec', 'ipAddresses', i]), {
      resource,
      message: `${resource} lists ip range ${JSON.stringify(raw)}, which is not a CIDR: OSM skipped it.`,
    }));
    return [];
  });
  const hosts = asArray(spec['hosts']).flatMap((h) => asString(h)?.trim() || []);
  const hasHttp = ports.some((p) => p.protocol === 'http');
  return {
    object: egress,
    sources,
    hosts,
    ipAddresses,
    ports,
    httpMatches: readHttpMatches(inventory, egress, matches, hasHttp, findings),
    ...(upstreamTrafficSetting ? { upstreamTrafficSetting } : {}),
  };
}

/** egressValidator: matches must be an HTTPRouteGroup (specs v1alpha4) or one UpstreamTrafficSetting (policy v1alpha1). */
function webhookRejection(matches: readonly Readonly<Record<string, unknown>>[]): { index: number; reason: string } | undefined {
  let settings = 0;
  for (const [index, m] of matches.entries()) {
    const apiGroup = asString(m['apiGroup']);
    const kind = asString(m['kind']);
    if (apiGroup === HTTP_ROUTE_GROUP_API && kind === 'HTTPRouteGroup') continue;
    if (apiGroup === POLICY_API && kind === 'UpstreamTrafficSetting') {
      settings++;
      if (settings > 1) return { index, reason: 'OSM refuses an Egress with more than one UpstreamTrafficSetting match ("Cannot have more than 1 UpstreamTrafficSetting match").' };
      continue;
    }
    const expected = apiGroup === HTTP_ROUTE_GROUP_API ? 'HTTPRouteGroup' : apiGroup === POLICY_API ? 'UpstreamTrafficSetting' : undefined;
    return {
      index,
      reason: expected
        ? `OSM refuses match kind ${kind ?? '(none)'} for apiGroup ${apiGroup ?? ''} (expected ${expected}).`
        : `OSM refuses match apiGroup ${JSON.stringify(apiGroup ?? null)}: it must be ${HTTP_ROUTE_GROUP_API} or ${POLICY_API} (group/version).`,
    };
  }
  return undefined;
}

/** ListEgressPoliciesForSourceIdentity compares kind ServiceAccount, name and namespace (pkg/policy/client.go:67-86). */
function readSources(egress: K8sObject, spec: Readonly<Record<string, unknown>>, findings: Finding[]): EgressSource[] {
  const resource = formatRef(egress.ref);
  return asArray(spec['sources']).flatMap((raw, i): EgressSource[] => {
    const source = asRecord(raw);
    const kind = asString(source['kind']);
    const name = asString(source['name']);
    const namespace = asString(source['namespace']);
    if (kind === 'ServiceAccount' && name && namespace && DNS_SUBDOMAIN.test(name) && DNS_LABEL.test(namespace)) return [{ name, namespace }];
    findings.push(finding('egress/invalid-source', egress.locate(['spec', 'sources', i]), {
      resource,
      message: `${resource} source ${i + 1} (${kind ?? 'no kind'} ${name ?? '(no name)'}${namespace ? ` in ${namespace}` : ', no namespace'}) matches no pod: only ServiceAccounts with a valid name and namespace count.`,
    }));
    return [];
  });
}

function readPorts(egress: K8sObject, spec: Readonly<Record<string, unknown>>, findings: Finding[]): EgressPort[] {
  const resource = formatRef(egress.ref);
  return asArray(spec['ports']).flatMap((raw, i): EgressPort[] => {
    const port = asRecord(raw);
    const number = port['number'];
    // strings.ToLower(portSpec.Protocol) (egress.go:46).
    const protocol = (asString(port['protocol']) ?? '').toLowerCase();
    const known = PROTOCOLS.find((p) => p === protocol);
    if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 65535 && known) {
      return [{ number, protocol: known, path: ['spec', 'ports', i] }];
    }
    findings.push(finding('egress/unsupported-protocol', egress.locate(['spec', 'ports', i]), {
      resource,
      message: `${resource} port ${JSON.stringify(number ?? null)}/${protocol || '(no protocol)'} is not an http, https, tcp or tcp-server-first port OSM programmed: it allowed nothing.`,
    }));
    return [];
  });
}

/**
 * HTTPRouteGroup matches, looked up in the Egress namespace; every match of the group counts (egress.go:186-215,
 * getHTTPRouteMatchesFromHTTPRouteGroup). A referenced group that is missing still counts as "matches specified",
 * so the wildcard is not used and nothing is allowed.
 */
function readHttpMatches(
  inventory: Inventory,
  egress: K8sObject,
  matches: readonly Readonly<Record<string, unknown>>[],
  hasHttp: boolean,
  findings: Finding[],
): readonly OsmHttpMatch[] | 'any' {
  const resource = formatRef(egress.ref);
  const groups = routeGroupNames(matches);
  if (groups.length === 0) return 'any';
  const result: OsmHttpMatch[] = [];
  for (const { name, index } of groups) {
    const group = findInNamespace(inventory, 'HTTPRouteGroup', egress.ref.namespace, name);
    const found = group ? groupMatches(group) : [];
    if (found.length === 0 && hasHttp) {
      findings.push(finding('egress/route-group-not-found', egress.locate(['spec', 'matches', index, 'name']), {
        resource,
        message: group
          ? `${resource} references HTTPRouteGroup ${name}, which has no matches: it allowed no HTTP request.`
          : `${resource} references HTTPRouteGroup ${name}, which is not in namespace ${egress.ref.namespace ?? '(unknown)'} in the repository: it allowed no HTTP request.`,
      }));
    }
    result.push(...found);
  }
  return result;
}

/** UpstreamTrafficSetting connection settings OSM applied to egress clusters (cds cluster.go:352-397). */
export function connectionSettingFields(setting: K8sObject): string[] {
  const settings = asRecord(asRecord(setting.body['spec'])['connectionSettings']);
  return Object.entries(settings).flatMap(([protocol, value]) =>
    isRecord(value) ? Object.keys(value).map((field) => `connectionSettings.${protocol}.${field}`) : [],
  );
}
