import type { FileChange } from './types.ts';

/** The file changes that turn one repository tree into another, by path. */
export function treeChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, content] of after) {
    const previous = before.get(path);
    if (previous === undefined) changes.push({ path, action: 'create', content });
    else if (previous !== content) changes.push({ path, action: 'modify', content, previous });
  }
  for (const [path, previous] of before) if (!after.has(path)) changes.push({ path, action: 'delete', content: '', previous });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/** `files` with the changes applied: the inverse of `treeChanges`. */
export function applyChanges(files: ReadonlyMap<string, string>, changes: readonly FileChange[]): Map<string, string> {
  const result = new Map(files);
  for (const c of changes) {
    if (c.action === 'delete') result.delete(c.path);
    else result.set(c.path, c.content);
  }
  return result;
}

/** The phases 0..n applied one after the other to `files`, as one change against `files`. */
export function changesThroughPhase(files: ReadonlyMap<string, string>, phases: readonly { readonly files: readonly FileChange[] }[], n: number): FileChange[] {
  return treeChanges(files, phases.slice(0, n + 1).reduce((tree, phase) => applyChanges(tree, phase.files), new Map(files)));
}
