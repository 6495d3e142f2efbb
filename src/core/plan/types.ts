import type { Finding } from '../findings/finding.ts';
import type { GeneratedResource } from '../linkerd/resources.ts';
import type { MigrationOptions } from '../options.ts';
import type { PhaseVerification } from '../verify/phase-verify.ts';
import type { VerificationReport } from '../verify/types.ts';

export type FileAction = 'create' | 'modify' | 'delete';

/** One file the migration changes. `content` is the full new text ('' for delete); `previous` the old text. */
export interface FileChange {
  readonly path: string;
  readonly action: FileAction;
  readonly content: string;
  readonly previous?: string;
}

export interface KindSummary {
  readonly found: number;
  readonly translated: number;
  readonly flagged: number;
}

export interface MigrationSummary {
  readonly linkerdVersion: string;
  readonly strategy: string;
  readonly meshMode: string;
  readonly osmObjects: number;
  readonly byKind: Readonly<Record<string, KindSummary>>;
  readonly generatedResources: number;
  readonly filesCreated: number;
  readonly filesModified: number;
  readonly filesDeleted: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  readonly verification: {
    readonly requests: number;
    readonly differences: number;
    readonly uncovered: number;
    /** (source → destination workload:port) pairs whose verdict changes. */
    readonly accessChanges: number;
    /** What verify could not decide (unknown namespace or injection, Server conflicts). */
    readonly unknowns: number;
  };
}

/**
 * One step of a phased migration (strategy `phased`): a complete, reviewable change that leaves the cluster working.
 * `files` are relative to the tree after the phases before it.
 */
export interface MigrationPhase {
  readonly index: number;
  /** `NN-slug`: stable across runs while the plan's shape is the same (the GitHub App's branch suffix). */
  readonly id: string;
  readonly title: string;
  /** Namespaces this phase moves to Linkerd (none for the bridge and the lock-down). */
  readonly namespaces: readonly string[];
  readonly files: readonly FileChange[];
  readonly findings: readonly Finding[];
  /** What a person does around the merge, in order. */
  readonly checklist: readonly string[];
  /** The mixed cluster after this phase, held to OSM's verdicts before the migration (verify/phase-verify.ts). */
  readonly verify?: PhaseVerification;
}

/** Everything a migration decided: what to write, what it found, and the proof of equivalence. */
export interface MigrationPlan {
  readonly files: readonly FileChange[];
  readonly findings: readonly Finding[];
  readonly resources: readonly GeneratedResource[];
  readonly verification: VerificationReport;
  readonly summary: MigrationSummary;
  readonly options: MigrationOptions;
  /** Strategy `phased`: the phases in order; applying all of them gives `files`, the forklift result. */
  readonly phases?: readonly MigrationPhase[];
}
