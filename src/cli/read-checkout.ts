import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', 'vendor']);
const MANIFEST = /\.(ya?ml|json)$/i;
const MAX_BYTES = 1024 * 1024;

/** A checkout on disk → the core's RepositoryFiles (POSIX paths relative to the root; manifests only). */
export async function readCheckout(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(path);
      } else if (entry.isFile() && (MANIFEST.test(entry.name) || entry.name === 'Kustomization')) {
        if ((await stat(path)).size > MAX_BYTES) continue;
        const text = await readFile(path, 'utf8');
        if (text.includes('\u0000')) continue;
        files.set(relative(root, path).split(sep).join('/'), text);
      }
    }
  };
  await walk(root);
  return files;
}
