import { createHash } from 'node:crypto';
import type { FileWrite, TreeFile } from './repository-port.ts';

/** Git's object id of a blob: `sha1("blob <size>\0" + bytes)`, the sha a tree listing gives for it. */
export function gitBlobSha(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\u0000`).update(bytes).digest('hex');
}

/**
 * Whether writing `writes` onto a commit whose files are `tree` would leave every file as it is: each written file
 * already holds exactly these bytes as a plain file (same blob id), each deleted one is absent. Decided from the tree
 * listing alone, without asking GitHub to build a tree.
 */
export function changesNothing(tree: readonly TreeFile[], writes: readonly FileWrite[]): boolean {
  const byPath = new Map(tree.map((f) => [f.path, f]));
  return writes.every((w) => {
    const current = byPath.get(w.path);
    if ('delete' in w) return current === undefined;
    return current !== undefined && !current.link && current.sha === gitBlobSha(w.content);
  });
}
