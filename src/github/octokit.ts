import { ProbotOctokit } from 'probot';

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
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    retry: { ...(options.retry as object | undefined), ...policy.retry },
    throttle: {
      ...(options.throttle as object | undefined),
      onSecondaryRateLimit: (retryAfter: number, request: RequestOptionsLike, _octokit: unknown, retryCount: number) => {
        if (typeof request.owner === 'string') policy.onSecondaryRateLimit?.(request.owner, retryAfter);
        return retryCount < 2;
      },
      onRateLimit: (_retryAfter: number, _request: RequestOptionsLike, _octokit: unknown, retryCount: number) => retryCount < 1,
      ...policy.throttle,
    },
  }));
}
