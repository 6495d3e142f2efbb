import type { MigrationPlan } from '../plan/types.ts';
import { cutsTraffic } from './access-changes.ts';
import type { LineAnnotation } from './review.ts';

/** GitHub accepts at most 50 annotations per check-run request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export type CheckConclusion = 'success' | 'neutral' | 'action_required' | 'failure';

export interface CheckRunText {
  readonly title: string;
  readonly summary: string;
  readonly conclusion: CheckConclusion;
}

/**
 * Errors, and differences no finding explains, fail; a pull request that would cut traffic OSM allowed (until the
 * "Before you merge" steps are done) needs action; other warnings and notes do not block.
 */
export function renderCheckRun(plan: MigrationPlan, annotations: readonly LineAnnotation[]): CheckRunText {
  const s = plan.summary;
  const cuts = plan.verification.accessChanges.filter(cutsTraffic);
  const conclusion: CheckConclusion = s.findings.error > 0 || s.verification.uncovered > 0 ? 'failure'
    : cuts.length > 0 ? 'action_required' : s.findings.warning > 0 ? 'neutral' : 'success';
  return {
    title: `${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} notes`,
    summary: [
      `Linkerd ${s.linkerdVersion}, ${s.strategy}. ${s.osmObjects} OSM objects, ${s.generatedResources} Linkerd resources generated.`,
      `Equivalence check: ${s.verification.requests} requests, ${s.verification.differences} differences, ${s.verification.uncovered} unexplained.`,
      cuts.length > 0 ? `Merging as is denies ${cuts.length} (source → workload:port) pairs that OSM allowed: do the "Before you merge" steps of the pull request first.` : '',
      annotations.length > 0 ? `${annotations.length} findings sit on lines this pull request does not change: they are annotated here.` : '',
    ].filter(Boolean).join('\n\n'),
    conclusion,
  };
}

/** Annotations in request-sized batches. */
export function annotationBatches<T>(annotations: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return batches;
}
