import { diffLines } from 'diff';

/** The lines of one file's diff that a review comment may sit on, as GitHub's pull request files list gives it. */
export interface PatchLines {
  /** New-file line numbers of `+` lines (RIGHT side). */
  readonly added: ReadonlySet<number>;
  /** Old-file line numbers of `-` lines (LEFT side). */
  readonly removed: ReadonlySet<number>;
  /** A removed line replaced one-for-one by an added line in the same change block: old → new. */
  readonly replacedBy: ReadonlyMap<number, number>;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Parses a unified patch (hunks only, or with file headers). Lines outside hunks are ignored. */
export function parsePatch(patch: string): PatchLines {
  const added = new Set<number>();
  const removed = new Set<number>();
  const replacedBy = new Map<number, number>();
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  let block: { removed: number[]; added: number[] } = { removed: [], added: [] };
  const closeBlock = () => {
    if (block.removed.length === block.added.length) block.removed.forEach((o, i) => replacedBy.set(o, block.added[i] ?? 0));
    block = { removed: [], added: [] };
  };
  for (const line of patch.split('\n')) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      closeBlock();
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk || line.startsWith('\\')) continue;
    if (line.startsWith('diff --git')) { closeBlock(); inHunk = false; continue; }
    const mark = line[0];
    if (mark === '-') { removed.add(oldLine); block.removed.push(oldLine++); }
    else if (mark === '+') { added.add(newLine); block.added.push(newLine++); }
    else { closeBlock(); oldLine++; newLine++; }
  }
  closeBlock();
  return { added, removed, replacedBy };
}

/** Maps each unchanged old line to its new line number (lines a change removed map to nothing). */
export function unchangedLineMap(before: string, after: string): ReadonlyMap<number, number> {
  const map = new Map<number, number>();
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffLines(before, after)) {
    const count = part.count ?? 0;
    if (part.added) newLine += count;
    else if (part.removed) oldLine += count;
    else for (let i = 0; i < count; i++) map.set(oldLine++, newLine++);
  }
  return map;
}
