import type { FileChange } from '../plan/types.ts';

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

/** The phases 0..n applied one after the other to `files`, as one change against `files`. */
export function changesThroughPhase(files: ReadonlyMap<string, string>, phases: readonly { readonly files: readonly FileChange[] }[], n: number): FileChange[] {
  const tree = new Map(files);
  for (const phase of phases.slice(0, n + 1)) {
    for (const c of phase.files) {
      if (c.action === 'delete') tree.delete(c.path);
      else tree.set(c.path, c.content);
    }
  }
  return treeChanges(files, tree);
}
