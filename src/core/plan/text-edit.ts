import type { TextEdit } from '../edits/edit-intent.ts';

export function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at the same point do not overlap; a replacement and an insertion inside it do.
  if (a.start === a.end && b.start === b.end) return false;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits to a text in one pass (a file with thousands of edits is copied once, not per edit). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, next] = [sorted[i - 1] as TextEdit, sorted[i] as TextEdit];
    if (overlaps(prev, next)) throw new Error(`overlapping text edits at ${prev.start}-${prev.end} and ${next.start}-${next.end}`);
  }
  const parts: string[] = [];
  let at = 0;
  for (const edit of sorted) {
    parts.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * The edits of one file, kept in offset order so a new edit is compared with its neighbours only: checking every
 * edit against every other would be quadratic in a file with thousands of changed documents.
 */
export class EditsByOffset {
  readonly #edits: TextEdit[] = [];
  #longest = 0;

  get all(): readonly TextEdit[] {
    return this.#edits;
  }

  /** The edits held that overlap `edit`. */
  overlapping(edit: TextEdit): TextEdit[] {
    const found: TextEdit[] = [];
    for (let j = this.#firstAfter(edit.end) - 1; j >= 0; j--) {
      const held = this.#edits[j] as TextEdit;
      if (held.start + this.#longest < edit.start) break;
      if (overlaps(held, edit)) found.push(held);
    }
    return found;
  }

  add(edit: TextEdit): void {
    this.#edits.splice(this.#firstAfter(edit.start), 0, edit);
    this.#longest = Math.max(this.#longest, edit.end - edit.start);
  }

  /** Index of the first edit starting after `offset`. */
  #firstAfter(offset: number): number {
    let lo = 0;
    let hi = this.#edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#edits[mid] as TextEdit).start <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
