import type { Finding } from '../findings/finding.ts';
import type { GeneratedResource } from '../linkerd/resources.ts';
import type { MigrationOptions } from '../options.ts';
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

/** Everything a migration decided: what to write, what it found, and the proof of equivalence. */
export interface MigrationPlan {
  readonly files: readonly FileChange[];
  readonly findings: readonly Finding[];
  readonly resources: readonly GeneratedResource[];
  readonly verification: VerificationReport;
  readonly summary: MigrationSummary;
  readonly options: MigrationOptions;
}
