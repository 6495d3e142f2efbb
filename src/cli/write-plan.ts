import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileChange } from '../core/index.ts';

/** A planned change the writer refused, and why. */
export interface Refusal {
  readonly path: string;
  readonly reason: string;
}

/**
 * Applies the plan under `root`: in place (`--write`) or into another directory (`--out`, deletions skipped). Nothing
 * is written through a symbolic link or outside `root`: each folder on the way is checked (and created) one level at
 * a time, and the file is opened with O_NOFOLLOW, so a link planted at a planned path is refused, not followed.
 */
export async function writePlan(root: string, files: readonly FileChange[], options: { inPlace: boolean }): Promise<Refusal[]> {
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const refusals: Refusal[] = [];
  for (const file of files) {
    if (file.action === 'delete' && !options.inPlace) continue;
    const refusal = await writeOne(realRoot, file);
    if (refusal) refusals.push({ path: file.path, reason: refusal });
  }
  return refusals;
}

async function writeOne(realRoot: string, file: FileChange): Promise<string | undefined> {
  const segments = file.path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'the path leaves the target directory';
  let dir = realRoot;
  for (const segment of segments.slice(0, -1)) {
    dir = join(dir, segment);
    const info = await lstat(dir).catch(() => undefined);
    if (info?.isSymbolicLink()) return `${dir} is a symbolic link`;
    if (info && !info.isDirectory()) return `${dir} is not a folder`;
    if (!info) {
      if (file.action === 'delete') return undefined;
      await mkdir(dir);
    }
  }
  const path = join(dir, segments.at(-1) ?? '');
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) return 'it is a symbolic link';
  if (existing && !existing.isFile()) return 'it is not a regular file';
  if (file.action === 'delete') {
    if (existing) await rm(path);
    return undefined;
  }
  try {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(file.content, 'utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ELOOP') return 'it is a symbolic link';
    throw error;
  }
  return undefined;
}
