import { asString } from '../../values.ts';
import { goDurationMs, linkerdDuration, type LinkerdDuration } from '../../linkerd/duration.ts';

/**
 * OSM's `retryPolicy` (osm-semantics §3.4: `retryOn` a comma list of Envoy x-envoy-retry-on values, `perTryTimeout`,
 * `numRetries`, `retryBackoffBaseInterval`) → Linkerd 2.16+ retry annotations (linkerd-reference §5.2).
 */

export const RETRY_HTTP = 'retry.linkerd.io/http';
export const RETRY_GRPC = 'retry.linkerd.io/grpc';
export const RETRY_LIMIT = 'retry.linkerd.io/limit';
export const RETRY_TIMEOUT = 'retry.linkerd.io/timeout';

/** Envoy HTTP conditions Linkerd can say: `retriable-4xx` is 409 only (Envoy router docs). */
const HTTP_CONDITIONS: Readonly<Record<string, string>> = { '5xx': '5xx', 'gateway-error': 'gateway-error', 'retriable-4xx': '409' };

/** Envoy's gRPC conditions (x-envoy-retry-grpc-on, also accepted in retry_on) = Linkerd's retry.linkerd.io/grpc values. */
const GRPC_CONDITIONS = new Set(['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable']);

/** Envoy conditions with no Linkerd counterpart, and what OSM did with them. */
const ENVOY_ONLY: Readonly<Record<string, string>> = {
  reset: 'retried requests whose connection or stream was reset before a response',
  'reset-before-request': 'retried requests reset before any byte was sent',
  'connect-failure': 'retried requests whose connection to an endpoint failed',
  'refused-stream': 'retried HTTP/2 streams refused with REFUSED_STREAM',
  'envoy-ratelimited': 'retried requests Envoy answered with x-envoy-ratelimited',
  'retriable-status-codes': 'retried the codes of an x-envoy-retriable-status-codes header (OSM set none)',
  'retriable-headers': 'retried responses carrying x-envoy-retriable-header-names headers',
  'http3-post-connect-failure': 'retried HTTP/3 requests after a post-connect failure',
};

export interface Dropped {
  /** Field of retryPolicy the loss is about. */
  readonly field: string;
  readonly message: string;
}

export interface TranslatedRetry {
  /** retry.linkerd.io/http values, in retryOn order. */
  readonly http: readonly string[];
  readonly grpc: readonly string[];
  readonly limit: number;
  readonly perTryTimeout?: LinkerdDuration;
  readonly dropped: readonly Dropped[];
  /** Why OSM made no retries with this policy (numRetries 0, no condition Envoy knows). */
  readonly ineffective?: string;
}

const MAX_LIMIT = 65_535;

export function translateRetryPolicy(policy: Readonly<Record<string, unknown>>): TranslatedRetry {
  const dropped: Dropped[] = [];
  const http: string[] = [];
  const grpc: string[] = [];
  const conditions = (asString(policy['retryOn']) ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  let known = 0;
  for (const condition of conditions) {
    const mapped = HTTP_CONDITIONS[condition];
    if (mapped !== undefined) {
      known++;
      if (!http.includes(mapped)) http.push(mapped);
    } else if (GRPC_CONDITIONS.has(condition)) {
      known++;
      if (!grpc.includes(condition)) grpc.push(condition);
    } else if (ENVOY_ONLY[condition] !== undefined) {
      known++;
      dropped.push({ field: 'retryOn', message: `retryOn "${condition}": OSM ${ENVOY_ONLY[condition]}; Linkerd's retry conditions are response statuses only, so it is dropped` });
    } else {
      dropped.push({ field: 'retryOn', message: `retryOn "${condition}" is not an Envoy retry condition: Envoy ignored it, and so does the translation` });
    }
  }
  const raw = policy['numRetries'];
  // Envoy's num_retries defaults to 1 when unset (osm-semantics §3.4 "Defaults: numRetries 1").
  const retries = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : 1;
  if (retries > MAX_LIMIT) dropped.push({ field: 'numRetries', message: `numRetries ${retries} is above Linkerd's maximum retry.linkerd.io/limit ${MAX_LIMIT}, which is used instead` });
  const perTry = perTryTimeout(policy['perTryTimeout'], dropped);
  const backoff = policy['retryBackoffBaseInterval'];
  if (backoff !== undefined) {
    dropped.push({
      field: 'retryBackoffBaseInterval',
      message: `retryBackoffBaseInterval ${JSON.stringify(backoff)}: Envoy waited an exponential backoff from this base (up to 10 times it) between tries; Linkerd has no backoff setting, so it is dropped`,
    });
  }
  // A field of the wrong type made OSM's API server reject the whole object (its CRD schema is structural).
  const rejected = policy['perTryTimeout'] !== undefined && goDurationMs(asString(policy['perTryTimeout']) ?? '') === undefined
    ? `perTryTimeout ${JSON.stringify(policy['perTryTimeout'])} is not a duration string, so OSM's API server rejected the Retry: it never applied`
    : raw !== undefined && typeof raw !== 'number' ? `numRetries ${JSON.stringify(raw)} is not a number, so OSM's API server rejected the Retry: it never applied` : undefined;
  const ineffective = rejected ?? (retries === 0
    ? 'numRetries is 0, so Envoy made no retry'
    : known === 0 ? `retryOn ${JSON.stringify(policy['retryOn'] ?? '')} names no condition Envoy knows, so it made no retry` : undefined);
  return {
    http,
    grpc,
    limit: Math.min(retries, MAX_LIMIT),
    ...(perTry ? { perTryTimeout: perTry } : {}),
    dropped,
    ...(ineffective ? { ineffective } : {}),
  };
}

/** "per-try timeout = route timeout (which OSM sets to 0 = none)" when 0 or unset (osm-semantics §3.4). */
function perTryTimeout(value: unknown, dropped: Dropped[]): LinkerdDuration | undefined {
  if (value === undefined) return undefined;
  const ms = goDurationMs(asString(value) ?? '');
  if (ms === undefined) {
    dropped.push({ field: 'perTryTimeout', message: `perTryTimeout ${JSON.stringify(value)} is not a duration, so OSM's API server rejected it; no per-try timeout is set` });
    return undefined;
  }
  if (ms === 0) return undefined;
  const duration = linkerdDuration(ms);
  if (!duration.exact) dropped.push({ field: 'perTryTimeout', message: `perTryTimeout ${String(value)} is finer than Linkerd's milliseconds: ${duration.text} is used` });
  return duration;
}

/** The 2.16+ annotations for a translated policy; empty when it has no condition Linkerd can retry on. */
export function retryAnnotations(t: TranslatedRetry): [string, string][] {
  if (t.http.length === 0 && t.grpc.length === 0) return [];
  return [
    ...(t.http.length > 0 ? [[RETRY_HTTP, t.http.join(',')] as [string, string]] : []),
    ...(t.grpc.length > 0 ? [[RETRY_GRPC, t.grpc.join(',')] as [string, string]] : []),
    [RETRY_LIMIT, String(t.limit)],
    ...(t.perTryTimeout ? [[RETRY_TIMEOUT, t.perTryTimeout.text] as [string, string]] : []),
  ];
}
