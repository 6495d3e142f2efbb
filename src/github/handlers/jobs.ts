import type { Context, Probot } from 'probot';
import type { RepositoryTarget, RunJob } from '../job-queue.ts';
import type { Log, RunRequest } from '../run-migration.ts';

/**
 * What a webhook handler is given: it only checks the delivery and stores jobs (`enqueue` resolves once they are
 * stored, so GitHub's answer waits for the store); `logFor` gives lines carrying the delivery's fields.
 */
export interface HandlerDeps {
  readonly enqueue: (context: Context, jobs: RunJob[]) => Promise<void>;
  readonly logFor: (fields: Record<string, unknown>) => Log;
}

/** Registers one event's handlers on the Probot app. */
export type RegisterHandler = (app: Probot, deps: HandlerDeps) => void;

export interface RepositoryRef { readonly owner: string; readonly repo: string }

export function target(ref: RepositoryRef, installation: number | undefined, defaultBranch?: string, head?: string): RepositoryTarget {
  return { installation: installation ?? 0, ...ref, ...(defaultBranch ? { defaultBranch } : {}), ...(head ? { head } : {}) };
}

export function scan(t: RepositoryTarget, request: RunRequest = {}): RunJob & { kind: 'scan' } {
  return { kind: 'scan', target: t, request };
}

export function split(fullName: string): RepositoryRef {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}
