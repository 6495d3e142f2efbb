import { ProbotOctokit } from 'probot';
import { recordGitHubRequest, recordRateLimitWait } from './metrics.ts';

/** The app's login (`<slug>[bot]`): the author of its comments, commits and pull requests. */
export async function botLoginOf(octokit: InstanceType<typeof ProbotOctokit>): Promise<string> {
  return `${(await octokit.rest.apps.getAuthenticated()).data?.slug ?? 'osm2linkerd'}[bot]`;
}

export interface RetryPolicy {
  /** Octokit's throttle options to merge last (tests shorten the waits; the dry run turns throttling off). */
  readonly throttle?: Record<string, unknown>;
  readonly retry?: Record<string, unknown>;
  /** GitHub asked to slow down requests for `owner`'s installation: the queue holds its jobs back, on every replica. */
  readonly onSecondaryRateLimit?: (owner: string, retryAfterSeconds: number) => void;
}

interface RequestOptionsLike { readonly method?: string; readonly url?: string; readonly owner?: unknown }

/**
 * Probot's Octokit with the app's retry policy applied after Probot's own defaults. Probot's default logs a secondary
 * rate limit and gives up; GitHub asks clients to wait `retry-after` and try again, which this does twice.
 */
export function appOctokit(policy: RetryPolicy = {}): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: Record<string, unknown>) => {
    const request = (options.request ?? {}) as { fetch?: typeof fetch };
    return {
      ...options,
      request: { ...request, fetch: countingFetch(request.fetch ?? globalThis.fetch) },
      retry: { ...(options.retry as object | undefined), ...policy.retry },
      throttle: {
        ...(options.throttle as object | undefined),
        onSecondaryRateLimit: (retryAfter: number, request: RequestOptionsLike, _octokit: unknown, retryCount: number) => {
          if (typeof request.owner === 'string') policy.onSecondaryRateLimit?.(request.owner, retryAfter);
          return waits('secondary', retryCount < 2);
        },
        onRateLimit: (_retryAfter: number, _request: RequestOptionsLike, _octokit: unknown, retryCount: number) => waits('primary', retryCount < 1),
        ...policy.throttle,
      },
    };
  });
}

function waits(kind: 'primary' | 'secondary', retry: boolean): boolean {
  if (retry) recordRateLimitWait(kind);
  return retry;
}

/** Every HTTP attempt to GitHub (retries included) counted by method and status; 0 when no answer came. */
function countingFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    try {
      const response = await inner(input, init);
      recordGitHubRequest(method, response.status);
      return response;
    } catch (error) {
      recordGitHubRequest(method, 0);
      throw error;
    }
  };
}
