import type { TextEdit } from './edit-intent.ts';

export function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at the same point do not overlap; a replacement and an insertion inside it do.
  if (a.start === a.end && b.start === b.end) return false;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits to a text (back to front, so earlier offsets stay valid). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, next] = [sorted[i - 1] as TextEdit, sorted[i] as TextEdit];
    if (overlaps(prev, next)) throw new Error(`overlapping text edits at ${prev.start}-${prev.end} and ${next.start}-${next.end}`);
  }
  let result = text;
  for (const edit of sorted.reverse()) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
