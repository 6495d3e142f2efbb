import { isMap, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { NodePath } from '../source.ts';
import type { EditIntent, TextEdit } from './edit-intent.ts';

/**
 * Edit intents → minimal text edits over the file text, through the positions the yaml CST keeps. Every byte an
 * intent does not have to change stays as it was: comments, quoting, key order, other documents.
 */
export type EditResult = { readonly ok: true; readonly edits: readonly TextEdit[] } | { readonly ok: false; readonly reason: string };

const fail = (reason: string): EditResult => ({ ok: false, reason });
const ok = (...edits: TextEdit[]): EditResult => ({ ok: true, edits });

export function intentToTextEdits(text: string, intent: EditIntent): EditResult {
  switch (intent.type) {
    case 'rename-key': return renameKey(text, intent);
    case 'remove-key': return removeKey(text, intent);
    case 'set-key': return setKey(text, intent);
    case 'remove-document': return removeDocument(text, intent);
    case 'add-list-item': return addListItem(text, intent);
    case 'replace-list-item': return replaceListItem(text, intent);
    case 'remove-list-item': return removeListItem(text, intent);
  }
}

type Doc = EditIntent['doc'];

function nodeAt(doc: Doc, path: NodePath): unknown {
  return path.length === 0 ? doc.document.contents : doc.document.getIn(path, true);
}

function blockMapAt(doc: Doc, path: NodePath): YAMLMap | string {
  const node = nodeAt(doc, path);
  if (!isMap(node)) return `no mapping at ${path.join('.')}`;
  if (node.flow) return `the mapping at ${path.join('.')} is written in flow style`;
  return node;
}

function pairOf(map: YAMLMap, key: string): Pair<Scalar, unknown> | undefined {
  return map.items.find((p): p is Pair<Scalar, unknown> => isScalar(p.key) && p.key.value === key);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the newline that ends the line holding `offset` (or the end of the text). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The scalar as it would be written in the quoting style of `like`. */
function quoteLike(like: Scalar | undefined, value: string): string {
  const type = like?.type;
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  return plainSafe(value) ? value : JSON.stringify(value);
}

/** Values YAML would read back as the same string without quotes. */
function plainSafe(value: string): boolean {
  return /^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[0-9]+)?)$/i.test(value);
}

function scalarRange(node: unknown): [number, number] | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return [node.range[0], node.range[1]];
}

/** The key must open its own line (block mapping, not `- key:` inside a sequence item). */
function keyOwnsLine(text: string, key: Scalar): boolean {
  const start = key.range?.[0] ?? 0;
  return text.slice(lineStart(text, start), start).trim() === '';
}

function renameKey(text: string, intent: Extract<EditIntent, { type: 'rename-key' }>): EditResult {
  const map = blockMapAt(intent.doc, intent.path);
  if (typeof map === 'string') return fail(map);
  const pair = pairOf(map, intent.key);
  const keyRange = pair ? scalarRange(pair.key) : undefined;
  if (!pair || !keyRange) return fail(`no key ${intent.key}`);
  const edits: TextEdit[] = [{ start: keyRange[0], end: keyRange[1], text: quoteLike(pair.key, intent.newKey) }];
  if (intent.newValue !== undefined) {
    const valueRange = scalarRange(pair.value);
    if (!valueRange || !isScalar(pair.value)) return fail(`the value of ${intent.key} is not a plain scalar`);
    edits.push({ start: valueRange[0], end: valueRange[1], text: quoteLike(pair.value, intent.newValue) });
  }
  return ok(...edits);
}

function pairEnd(pair: Pair): number | undefined {
  const value = pair.value as Node | null;
  if (value && typeof value === 'object' && 'range' in value && value.range) return value.range[1];
  return isScalar(pair.key) ? pair.key.range?.[1] : undefined;
}

function removeKey(text: string, intent: Extract<EditIntent, { type: 'remove-key' }>): EditResult {
  const map = blockMapAt(intent.doc, intent.path);
  if (typeof map === 'string') return fail(map);
  const pair = pairOf(map, intent.key);
  if (!pair || !pair.key.range) return fail(`no key ${intent.key}`);
  if (!keyOwnsLine(text, pair.key)) return fail(`${intent.key} shares its line with other content`);
  const end = pairEnd(pair);
  if (end === undefined) return fail(`cannot find the end of ${intent.key}`);
  const remove = { start: lineStart(text, pair.key.range[0]), end: nextLineStart(text, Math.max(end - 1, pair.key.range[0])), text: '' };
  if (map.items.length > 1) return ok(remove);
  // The mapping would be left empty: `annotations:` alone reads as null, so write `annotations: {}` on its line.
  const parent = intent.path.length > 0 ? nodeAt(intent.doc, intent.path.slice(0, -1)) : undefined;
  const holder = isMap(parent) ? pairOf(parent, String(intent.path.at(-1))) : undefined;
  const holderKeyEnd = holder?.key.range?.[1];
  if (holderKeyEnd === undefined) return ok(remove);
  const colon = text.indexOf(':', holderKeyEnd);
  return ok({ start: colon + 1, end: colon + 1, text: ' {}' }, remove);
}

function setKey(text: string, intent: Extract<EditIntent, { type: 'set-key' }>): EditResult {
  const nl = newline(text);
  const node = nodeAt(intent.doc, intent.path);
  if (isMap(node)) {
    const existing = pairOf(node, intent.key);
    if (existing) {
      const range = scalarRange(existing.value);
      if (!range || !isScalar(existing.value)) return fail(`the value of ${intent.key} is not a plain scalar`);
      if (existing.value.value === intent.value) return ok();
      return ok({ start: range[0], end: range[1], text: quoteLike(existing.value, intent.value) });
    }
    if (node.items.length === 0 || node.flow) return setInFlowOrEmpty(text, intent, node);
    const first = node.items[0]?.key;
    const last = node.items.at(-1);
    if (!isScalar(first) || !first.range || !last) return fail('the mapping has complex keys');
    const indent = text.slice(lineStart(text, first.range[0]), first.range[0]);
    if (indent.trim() !== '') return fail('the mapping starts on a line with other content');
    const at = nextLineStart(text, (pairEnd(last) ?? first.range[0]) - 1);
    const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
    return ok({ start: at, end: at, text: `${prefix}${indent}${intent.key}: ${quoteLike(undefined, intent.value)}${nl}` });
  }
  // No mapping yet: add `<name>:` with the entry under the parent mapping.
  const parentPath = intent.path.slice(0, -1);
  const parent = nodeAt(intent.doc, parentPath);
  const name = String(intent.path.at(-1));
  if (!isMap(parent) || parent.flow) return fail(`no block mapping at ${parentPath.join('.') || 'the document root'}`);
  const holder = pairOf(parent, name);
  if (holder && holder.value !== null && !(isScalar(holder.value) && holder.value.value === null)) return fail(`${name} is not a mapping`);
  const first = parent.items[0]?.key;
  if (!isScalar(first) || !first.range) return fail('the parent mapping has complex keys');
  const indent = text.slice(lineStart(text, first.range[0]), first.range[0]);
  if (indent.trim() !== '') return fail('the parent mapping starts on a line with other content');
  const step = detectIndentStep(text);
  const entry = `${indent}${' '.repeat(step)}${intent.key}: ${quoteLike(undefined, intent.value)}${nl}`;
  if (holder && holder.key.range) {
    // `annotations:` with no value: put the entry on the next line.
    const at = nextLineStart(text, holder.key.range[1]);
    return ok({ start: at, end: at, text: entry });
  }
  const last = parent.items.at(-1);
  const at = nextLineStart(text, ((last && pairEnd(last)) ?? first.range[0]) - 1);
  return ok({ start: at, end: at, text: `${indent}${name}:${nl}${entry}` });
}

/** `annotations: {}` (or any flow mapping) gets the entry inside its braces, keeping the flow style. */
function setInFlowOrEmpty(text: string, intent: Extract<EditIntent, { type: 'set-key' }>, map: YAMLMap): EditResult {
  if (!map.range) return fail('the mapping has no position');
  const close = text.lastIndexOf('}', map.range[1]);
  if (close < map.range[0]) return fail('the empty mapping is not written as {}');
  const sep = map.items.length > 0 ? ', ' : '';
  return ok({ start: close, end: close, text: `${sep}${intent.key}: ${quoteLike(undefined, intent.value)}` });
}

/** The file's indentation step (2 unless the first indented key says otherwise). */
function detectIndentStep(text: string): number {
  const m = /\n( +)[^\s#-]/.exec(text);
  return m?.[1] ? Math.min(m[1].length, 8) : 2;
}

function removeDocument(text: string, intent: Extract<EditIntent, { type: 'remove-document' }>): EditResult {
  const range = intent.doc.document.range;
  const [start, , end] = range;
  // Later documents start at their `---` marker; the first one may not have one, then the next marker goes instead.
  if (text.startsWith('---', start)) return ok({ start, end, text: '' });
  const rest = text.slice(end);
  const marker = /^---[^\n]*\n?/.exec(rest);
  return ok({ start, end: end + (marker ? marker[0].length : 0), text: '' });
}

function seqAt(doc: Doc, path: NodePath): YAMLSeq | string {
  const node = nodeAt(doc, path);
  return isSeq(node) ? node : `no sequence at ${path.join('.')}`;
}

function itemEqual(seq: YAMLSeq, value: string): Scalar | undefined {
  return seq.items.find((i): i is Scalar => isScalar(i) && i.value === value);
}

function addListItem(text: string, intent: Extract<EditIntent, { type: 'add-list-item' }>): EditResult {
  const seq = seqAt(intent.doc, intent.path);
  if (typeof seq === 'string') return fail(seq);
  const anchor = (intent.after !== undefined ? itemEqual(seq, intent.after) : undefined) ?? seq.items.at(-1);
  if (!isScalar(anchor) || !anchor.range) return fail('the sequence has no string item to add after');
  if (seq.flow) return ok({ start: anchor.range[1], end: anchor.range[1], text: `, ${quoteLike(anchor, intent.value)}` });
  const prefix = text.slice(lineStart(text, anchor.range[0]), anchor.range[0]);
  if (!/^\s*-\s+$/.test(prefix)) return fail('the sequence item shares its line with other content');
  const at = nextLineStart(text, anchor.range[1]);
  const lead = at === text.length && !text.endsWith('\n') ? newline(text) : '';
  return ok({ start: at, end: at, text: `${lead}${prefix}${quoteLike(anchor, intent.value)}${newline(text)}` });
}

function replaceListItem(text: string, intent: Extract<EditIntent, { type: 'replace-list-item' }>): EditResult {
  const seq = seqAt(intent.doc, intent.path);
  if (typeof seq === 'string') return fail(seq);
  const item = itemEqual(seq, intent.old);
  if (!item?.range) return fail(`no item ${intent.old}`);
  return ok({ start: item.range[0], end: item.range[1], text: quoteLike(item, intent.value) });
}

function removeListItem(text: string, intent: Extract<EditIntent, { type: 'remove-list-item' }>): EditResult {
  const seq = seqAt(intent.doc, intent.path);
  if (typeof seq === 'string') return fail(seq);
  const item = itemEqual(seq, intent.value);
  if (!item?.range) return fail(`no item ${intent.value}`);
  if (seq.flow) return fail('the sequence is written in flow style');
  const start = lineStart(text, item.range[0]);
  if (!/^\s*-\s+$/.test(text.slice(start, item.range[0]))) return fail('the item shares its line with other content');
  return ok({ start, end: nextLineStart(text, item.range[1]), text: '' });
}

