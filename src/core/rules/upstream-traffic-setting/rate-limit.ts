import { GENERATED_BY_LABEL, type LinkerdResource } from '../../linkerd/resources.ts';
import { HTTP_LOCAL_RATE_LIMIT_POLICY_API } from '../../linkerd/versions.ts';
import type { OsmHttpMatch } from '../../osm/access-model.ts';
import type { NodePath } from '../../source.ts';
import { asArray, asRecord, asString, isRecord } from '../../values.ts';
import { isValidRe2 } from '../../verify/regex-samples.ts';
import { translatePathRegex } from '../traffic-target/path-match.ts';

/** `unit` of OSM's local rate limits (CRD enum: second, minute, hour; osm-semantics §3.3). */
export const UNIT_SECONDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600 };

/**
 * `rateLimit.local.http` or `httpRoutes[].rateLimit.local`: an Envoy token bucket of `requests + burst` tokens,
 * refilled with `requests` tokens every `unit`; rejected requests get `responseStatusCode` (429 by default) and
 * `responseHeadersToAdd` (osm-semantics §3.3; CRD `policy_upstream_traffic_setting.yaml`).
 */
export interface LocalHttpLimit {
  readonly requests: number;
  readonly unit: string;
  readonly burst?: number;
  readonly responseStatusCode?: number;
  readonly responseHeadersToAdd: readonly string[];
  /** Where the limit sits in its UpstreamTrafficSetting. */
  readonly path: NodePath;
}

export type LimitReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'limit'; readonly limit: LocalHttpLimit }
  /** The fields the limit needs are missing or outside the CRD's enum/range: no token bucket can be derived. */
  | { readonly kind: 'incomplete'; readonly reason: string; readonly path: NodePath };

export function readLocalHttpLimit(value: unknown, path: NodePath): LimitReading {
  if (!isRecord(value)) return { kind: 'none' };
  const requests = value['requests'];
  const unit = asString(value['unit']);
  if (typeof requests !== 'number' || !Number.isInteger(requests) || requests < 1) {
    return { kind: 'incomplete', reason: `requests is ${JSON.stringify(requests ?? null)}, not a whole number of at least 1`, path };
  }
  if (unit === undefined || UNIT_SECONDS[unit] === undefined) {
    return { kind: 'incomplete', reason: `unit is ${JSON.stringify(value['unit'] ?? null)}, not second, minute or hour`, path };
  }
  const burst = value['burst'];
  const status = value['responseStatusCode'];
  const headers = asArray(value['responseHeadersToAdd']).map(asRecord).map((h) => `${asString(h['name']) ?? '?'}: ${asString(h['value']) ?? ''}`);
  return {
    kind: 'limit',
    limit: {
      requests,
      unit,
      ...(typeof burst === 'number' && burst > 0 ? { burst } : {}),
      ...(typeof status === 'number' ? { responseStatusCode: status } : {}),
      responseHeadersToAdd: headers,
      path,
    },
  };
}

export interface PerSecond {
  readonly requestsPerSecond: number;
  /** requests / unit is a whole number per second. */
  readonly exact: boolean;
}

/**
 * Linkerd takes a whole `requestsPerSecond` (> 0). A slower OSM rate is rounded up: never fewer requests than OSM
 * let through on average, so the limit can only get looser, and the finding says by how much.
 */
export function perSecond(limit: LocalHttpLimit): PerSecond {
  const seconds = UNIT_SECONDS[limit.unit] ?? 1;
  return { requestsPerSecond: Math.ceil(limit.requests / seconds), exact: limit.requests % seconds === 0 };
}

/** What a translated limit lost, one entry per field (empty when nothing). */
export function limitLosses(limit: LocalHttpLimit, rate: PerSecond): string[] {
  const losses: string[] = [];
  if (!rate.exact) {
    const per = limit.unit === 'hour' ? 3600 : 60;
    losses.push(`${limit.requests} requests per ${limit.unit} is not a whole number per second: requestsPerSecond ${rate.requestsPerSecond} lets up to ${rate.requestsPerSecond * per} through per ${limit.unit}`);
  }
  if (limit.burst !== undefined) {
    losses.push(`burst ${limit.burst} (OSM's bucket held requests + burst = ${limit.requests + limit.burst} tokens) has no Linkerd setting`);
  }
  if (limit.responseStatusCode !== undefined && limit.responseStatusCode !== 429) {
    losses.push(`responseStatusCode ${limit.responseStatusCode}: Linkerd always answers 429 (gRPC RESOURCE_EXHAUSTED)`);
  }
  if (limit.responseHeadersToAdd.length > 0) {
    losses.push(`responseHeadersToAdd (${limit.responseHeadersToAdd.join(', ')}) has no Linkerd setting`);
  }
  return losses;
}

/** `HTTPLocalRateLimitPolicy` (2.17+): one per Server, `targetRef` a Server (linkerd-reference §6). */
export function buildHttpLocalRateLimitPolicy(name: string, namespace: string | undefined, server: string, requestsPerSecond: number): LinkerdResource {
  return {
    apiVersion: HTTP_LOCAL_RATE_LIMIT_POLICY_API,
    kind: 'HTTPLocalRateLimitPolicy',
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}), labels: { ...GENERATED_BY_LABEL } },
    spec: {
      targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: server },
      total: { requestsPerSecond },
    },
  };
}

/**
 * The path OSM gave the Envoy route of a match: its pathRegex, or `.*` when it has none ("When pathRegex … not
 * defined, they will be wildcarded", osm-semantics §2.2). `httpRoutes[].path` is compared with this string.
 */
export function osmRoutePath(match: OsmHttpMatch): string {
  return match.pathRegex === undefined || match.pathRegex === '' ? '.*' : match.pathRegex;
}

/** A match that accepts every request: any path, any method, no header condition. */
export function isCatchAll(match: OsmHttpMatch): boolean {
  return translatePathRegex(match.pathRegex, isValidRe2).kind === 'any' && match.methods.length === 0 && Object.keys(match.headers).length === 0;
}
