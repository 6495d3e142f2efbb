import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileChange } from '../core/index.ts';

/** Applies the plan under `root`: in place (`--write`) or into another directory (`--out`, deletions skipped). */
export async function writePlan(root: string, files: readonly FileChange[], options: { inPlace: boolean }): Promise<void> {
  for (const file of files) {
    const path = join(root, ...file.path.split('/'));
    if (file.action === 'delete') {
      if (options.inPlace) await rm(path, { force: true });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content, 'utf8');
  }
}
