import { createTwoFilesPatch } from 'diff';
import type { FileChange, MigrationPlan } from '../plan/types.ts';

/** A git-style unified diff of every change (creates from /dev/null, deletes to /dev/null). */
export function renderUnifiedDiff(plan: Pick<MigrationPlan, 'files'>): string {
  return plan.files.map(fileDiff).join('');
}

export function fileDiff(change: FileChange): string {
  const before = change.action === 'create' ? '' : (change.previous ?? '');
  const after = change.action === 'delete' ? '' : change.content;
  const from = change.action === 'create' ? '/dev/null' : `a/${change.path}`;
  const to = change.action === 'delete' ? '/dev/null' : `b/${change.path}`;
  const patch = createTwoFilesPatch(from, to, before, after, undefined, undefined, { context: 3 });
  // createTwoFilesPatch starts with an "Index:"-less "===" header line; keep git's form.
  return `diff --git a/${change.path} b/${change.path}\n${patch.replace(/^=+\n/m, '')}`;
}
