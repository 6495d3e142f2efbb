import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isManifestCandidate } from '../core/index.ts';

/** A checkout on disk → the core's RepositoryFiles (POSIX paths relative to the root; manifests only). */
export async function readCheckout(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const repoPath = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (isManifestCandidate(`${repoPath}/x.yaml`)) await walk(path);
      } else if (entry.isFile() && isManifestCandidate(repoPath, (await stat(path)).size)) {
        const text = await readFile(path, 'utf8');
        if (!text.includes('\u0000')) files.set(repoPath, text);
      }
    }
  };
  await walk(root);
  return files;
}
