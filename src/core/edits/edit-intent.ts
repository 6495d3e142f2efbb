import type { LoadedDocument } from '../load/load.ts';
import type { NodePath } from '../source.ts';

/**
 * What a rule wants changed in an existing document, said in terms of the document's structure.
 * plan/yaml-edit.ts turns each intent into minimal text edits: every byte it does not need to touch stays as it was.
 */
export type EditIntent =
  /** Rewrite `key: value` in the mapping at `path` to `newKey: newValue` on the same line (quoting style kept). */
  | { readonly type: 'rename-key'; readonly doc: LoadedDocument; readonly path: NodePath; readonly key: string; readonly newKey: string; readonly newValue?: string }
  /** Remove the `key: value` entry (its whole line) from the mapping at `path`. */
  | { readonly type: 'remove-key'; readonly doc: LoadedDocument; readonly path: NodePath; readonly key: string }
  /** Set `key: value` in the mapping at `path`: replace the value if the key exists, else add a line (creating the mapping if needed). */
  | { readonly type: 'set-key'; readonly doc: LoadedDocument; readonly path: NodePath; readonly key: string; readonly value: ScalarValue }
  /** Several `set-key`s on one mapping, in order: the planner merges set-keys into this so a missing mapping is created once. */
  | { readonly type: 'set-keys'; readonly doc: LoadedDocument; readonly path: NodePath; readonly entries: readonly KeyValue[] }
  /** Remove the whole document from its file (with its separator). */
  | { readonly type: 'remove-document'; readonly doc: LoadedDocument }
  /** Add a string item to the sequence at `path`, after the item equal to `after` when given, else at the end. */
  | { readonly type: 'add-list-item'; readonly doc: LoadedDocument; readonly path: NodePath; readonly value: string; readonly after?: string }
  /** Replace the string item equal to `old` in the sequence at `path`. */
  | { readonly type: 'replace-list-item'; readonly doc: LoadedDocument; readonly path: NodePath; readonly old: string; readonly value: string }
  /** Remove the string item equal to `value` from the sequence at `path`. */
  | { readonly type: 'remove-list-item'; readonly doc: LoadedDocument; readonly path: NodePath; readonly value: string }
  /** Remove the item at `index` (a string or a mapping) from the block sequence at `path`. */
  | { readonly type: 'remove-list-entry'; readonly doc: LoadedDocument; readonly path: NodePath; readonly index: number }
  /** Replace the item at `index` of the block sequence at `path` by a one-line item: a string, or a mapping (`- key: value`). */
  | { readonly type: 'replace-list-entry'; readonly doc: LoadedDocument; readonly path: NodePath; readonly index: number; readonly entry: KeyValue | string }
  /** Append a one-line mapping item (`- key: value`) to the block sequence at `path`. */
  | { readonly type: 'add-list-mapping'; readonly doc: LoadedDocument; readonly path: NodePath; readonly entry: KeyValue }
  /** Several removals from one sequence: the planner merges them so emptying a list leaves `[]`, not a null. */
  | { readonly type: 'remove-list-items'; readonly doc: LoadedDocument; readonly path: NodePath; readonly values: readonly string[] };

/** A string (quoted when YAML would read it as something else), or a boolean written plain (a MeshConfig switch). */
export type ScalarValue = string | boolean;

export interface KeyValue {
  readonly key: string;
  readonly value: ScalarValue;
}

/** A replacement of text[start, end) by `text` in one file. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
