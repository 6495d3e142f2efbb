/** The core's public API: the only module src/github and src/cli import. */
export { migrate, applyChanges, globToRegExp } from './migrate.ts';
export { resolveOptions, migrationOptionsSchema, LINKERD_VERSIONS, NEWEST_LINKERD } from './options.ts';
export type { MigrationOptions, MigrationOptionsInput, LinkerdVersion } from './options.ts';
export type { MigrationPlan, MigrationPhase, FileChange, FileAction, MigrationSummary, KindSummary } from './plan/types.ts';
export type { Finding, Severity, Suggestion, DifferenceScope } from './findings/finding.ts';
export { fingerprint, sortFindings, docsUrlFor } from './findings/finding.ts';
export { catalogue, isFindingId } from './findings/catalogue.ts';
export type { FindingId, CatalogueEntry } from './findings/catalogue.ts';
export type { VerificationReport, Difference, AccessRequest, AccessChange, VerificationUnknown } from './verify/types.ts';
export type { RepositoryFiles } from './source.ts';
export { renderUnifiedDiff, fileDiff } from './render/diff.ts';
export { renderJson, phaseJson } from './render/json.ts';
export { renderPhases } from './render/phases.ts';
export { changesThroughPhase } from './phases/tree-changes.ts';
export { renderSarif } from './render/sarif.ts';
export { renderText, renderSummary } from './render/text.ts';
export { renderVerificationJson, renderVerificationReport } from './render/verify-report.ts';
export { rules } from './rules/registry.ts';
// GitHub-door renderers
export { renderPullRequest, pullRequestTitle, PULL_REQUEST_BODY_LIMIT } from './render/pull-request.ts';
export type { PullRequestContext, PullRequestText } from './render/pull-request.ts';
export { placeFindings, findingMarker, FINDING_MARKER, commentBody } from './render/review.ts';
export type { ReviewComment, LineAnnotation, ReviewPlacement } from './render/review.ts';
export { renderCheckRun, annotationBatches, ANNOTATIONS_PER_REQUEST } from './render/check-run.ts';
export type { CheckRunText, CheckConclusion } from './render/check-run.ts';
export { parsePatch } from './render/patch-lines.ts';
export { isManifestCandidate, mentionsOsm } from './load/candidates.ts';
