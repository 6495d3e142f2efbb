import { GENERATED_BY_LABEL, type LinkerdResource } from '../../linkerd/resources.ts';
import { HTTP_LOCAL_RATE_LIMIT_POLICY_API } from '../../linkerd/versions.ts';
import { UNIT_SECONDS, type LocalHttpLimit } from '../../osm/upstream-traffic-settings.ts';

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
  } else if (limit.unit !== 'second') {
    // osm-semantics §3.3: OSM's bucket is refilled once per unit, so a whole unit's requests could come at once.
    losses.push(`${limit.requests} requests per ${limit.unit} let a burst of ${limit.requests} through at once in OSM (its bucket refilled once per ${limit.unit}); Linkerd spreads it as ${rate.requestsPerSecond} per second and refuses the rest of such a burst`);
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
