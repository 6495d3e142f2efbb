import { isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { NodePath } from '../source.ts';
import type { EditIntent, KeyValue, ScalarValue, TextEdit } from '../edits/edit-intent.ts';

/**
 * Edit intents → minimal text edits over the file text, through the offsets the yaml parser keeps on every node
 * (`range` = [start, valueEnd, nodeEnd] in the FILE text). Every byte an intent does not have to change stays as it
 * was: comments, blank lines, quoting, key order, indentation, line endings, the other documents of the file.
 * What cannot be done that way (flow mappings, anchors, complex keys, missing nodes) is refused with a reason.
 */
export type EditResult = { readonly ok: true; readonly edits: readonly TextEdit[] } | { readonly ok: false; readonly reason: string };

export function intentToTextEdits(fileText: string, intent: EditIntent): EditResult {
  try {
    if (intent.doc.document.range[2] > fileText.length) refuse('the file text is not the one the document was loaded from');
    return { ok: true, edits: editsFor(fileText, intent) };
  } catch (error) {
    // Refusals are about the user's YAML; anything else is a bug and must surface.
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

function editsFor(text: string, intent: EditIntent): TextEdit[] {
  switch (intent.type) {
    case 'rename-key': return renameKey(text, intent);
    case 'remove-key': return removeKey(text, intent);
    case 'set-key': return setKeys(text, { ...intent, type: 'set-keys', entries: [{ key: intent.key, value: intent.value }] });
    case 'set-keys': return setKeys(text, intent);
    case 'remove-document': return removeDocument(text, intent);
    case 'add-list-item': return addListItem(text, intent);
    case 'replace-list-item': return replaceListItem(text, intent);
    case 'remove-list-item': return removeListItems(text, { ...intent, type: 'remove-list-items', values: [intent.value] });
    case 'remove-list-items': return removeListItems(text, intent);
    case 'remove-list-entry': return removeListEntry(text, intent);
    case 'replace-list-entry': return replaceListEntry(text, intent);
    case 'add-list-mapping': return addListMapping(text, intent);
  }
}

type Intent<T extends EditIntent['type']> = Extract<EditIntent, { type: T }>;
type Doc = EditIntent['doc'];
/** A `key: value` pair whose key is a plain or quoted scalar on one line; offsets are into the file text. */
type Entry = { readonly pair: Pair; readonly key: Scalar; readonly keyStart: number; readonly keyEnd: number };

class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

// ---------------------------------------------------------------------------------------------------------------
// Intents

function renameKey(text: string, intent: Intent<'rename-key'>): TextEdit[] {
  const map = mapAt(intent.doc, intent.path);
  const entry = entryOf(text, map, intent.key);
  if (intent.newKey !== intent.key && findPair(map, intent.newKey)) refuse(`${intent.newKey} is already set next to ${intent.key}`);
  const edits = [replaceScalar(text, entry.key, intent.newKey)];
  if (intent.newValue !== undefined) edits.push(replaceValue(text, entry, intent.newValue));
  return edits;
}

function removeKey(text: string, intent: Intent<'remove-key'>): TextEdit[] {
  const flow = mapAt(intent.doc, intent.path);
  if (flow.flow) return [removeFlowEntry(text, flow, intent.key)];
  const map = blockMapAt(intent.doc, intent.path);
  const entry = entryOf(text, map, intent.key);
  if (!ownsLine(text, entry.keyStart)) refuse(`${intent.key} shares its line with other content`);
  if (anchored(entry.pair.value)) refuse(`the value of ${intent.key} has an anchor that aliases may use`);
  const remove = { start: lineStart(text, entry.keyStart), end: lineEndAfter(text, pairEnd(entry)), text: '' };
  if (map.items.length > 1) return [remove];
  // `annotations:` alone would read as null, and tools expect a mapping: leave `annotations: {}`.
  return [markEmpty(text, intent.doc, intent.path, '{}'), remove];
}

function setKeys(text: string, intent: Intent<'set-keys'>): TextEdit[] {
  const node = nodeAt(intent.doc, intent.path);
  if (node === undefined || isNullScalar(node)) return createMap(text, intent);
  const map = mapAt(intent.doc, intent.path);
  const edits: TextEdit[] = [];
  const added: KeyValue[] = [];
  for (const entry of intent.entries) {
    const existing = findPair(map, entry.key);
    if (!existing) added.push(entry);
    else if (!(isScalar(existing.value) && existing.value.value === entry.value)) edits.push(replaceValue(text, toEntry(text, existing), entry.value));
  }
  if (added.length === 0) return edits;
  if (map.flow) return [...edits, ...(map.items.length > 0 ? [appendToFlowMap(text, map, added.map((e) => flowEntry(e, jsonStyle(map))).join(', '))] : fillEmptyFlowMap(text, intent, map, added))];
  return [...edits, appendEntries(text, map, added)];
}

function flowEntry(entry: KeyValue, json = false): string {
  return json ? `${JSON.stringify(entry.key)}: ${JSON.stringify(entry.value)}` : `${formatKey(entry.key)}: ${format(entry.value)}`;
}

/** A flow mapping written as JSON (double-quoted keys, e.g. a .json manifest) gets JSON entries, so it stays JSON. */
function jsonStyle(map: YAMLMap): boolean {
  return map.items.length > 0 && map.items.every((p) => isScalar(p.key) && p.key.type === Scalar.QUOTE_DOUBLE);
}

/** `{a: 1}` → `{a: 1, key: value}`: the entry goes right before the closing brace, the rest stays as written. */
function appendToFlowMap(text: string, map: YAMLMap, entry: string): TextEdit {
  if (!map.range) return refuse('the flow mapping has no position in the file');
  const close = text.lastIndexOf('}', map.range[1] - 1);
  if (close < map.range[0] || text.slice(map.range[0], close).includes('#')) refuse('the flow mapping holds comments');
  const before = text.slice(map.range[0], close).trimEnd();
  const at = map.range[0] + before.length;
  return { start: at, end: at, text: `, ${entry}` };
}

function removeDocument(text: string, intent: Intent<'remove-document'>): TextEdit[] {
  const [start, , rangeEnd] = intent.doc.document.range;
  // A document ending in an empty value (`spec:`) ends before its line break: take the rest of that line along.
  const end = rangeEnd + (/^[ \t]*\r?\n/.exec(text.slice(rangeEnd))?.[0].length ?? 0);
  // The only document: what is left (comments, markers) was about it, and an empty file says so.
  if (onlyComments(text.slice(0, start)) && onlyComments(text.slice(end))) return [{ start: 0, end: text.length, text: '' }];
  // A document that opens with `---` takes its own separator along (its range runs up to the next one's). The first
  // document may have none: then the next document's `---` goes instead, so the file does not start with one.
  if (text.startsWith('---', start)) return [{ start, end, text: '' }];
  return [{ start, end: end + bareMarkerLength(text, end), text: '' }];
}

/** The length of a `---` at `at` that can go without touching its document: the line break or spaces before a comment. */
function bareMarkerLength(text: string, at: number): number {
  const marker = /^---(?:[ \t]*\r?\n|[ \t]+(?=#)|[ \t]*$)/.exec(text.slice(at));
  return marker?.[0].length ?? 0;
}

function addListItem(text: string, intent: Intent<'add-list-item'>): TextEdit[] {
  const seq = seqAt(intent.doc, intent.path);
  if (seq.items.some((i) => isScalar(i) && i.value === intent.value)) return [];
  const anchor = (intent.after === undefined ? undefined : itemOf(seq, intent.after)) ?? seq.items.at(-1);
  if (seq.flow) {
    const inside = openBracket(text, seq) + 1;
    if (anchor === undefined) return [{ start: inside, end: inside, text: format(intent.value) }];
    if (!isScalar(anchor) || !anchor.range) return refuse(`the sequence at ${where(intent.path)} ends with an item that is not a string`);
    const end = anchor.range[1];
    return [{ start: end, end, text: `, ${format(intent.value, anchor)}` }];
  }
  if (!isScalar(anchor) || !anchor.range) return refuse(`the sequence at ${where(intent.path)} has no string item to add after`);
  const dash = dashPrefix(text, anchor.range[0]);
  if (dash === undefined) refuse('the sequence item shares its line with other content');
  const at = lineEndAfter(text, anchor.range[1]);
  return [insertLine(text, at, `${dash}${format(intent.value, anchor)}`)];
}

function replaceListItem(text: string, intent: Intent<'replace-list-item'>): TextEdit[] {
  const seq = seqAt(intent.doc, intent.path);
  const item = itemOf(seq, intent.old) ?? refuse(`no item ${intent.old} in the sequence at ${where(intent.path)}`);
  return [replaceScalar(text, item, intent.value)];
}

function removeListItems(text: string, intent: Intent<'remove-list-items'>): TextEdit[] {
  const seq = seqAt(intent.doc, intent.path);
  const items = intent.values.map((value) => {
    const item = itemOf(seq, value) ?? refuse(`no item ${value} in the sequence at ${where(intent.path)}`);
    if (anchored(item)) refuse(`${value} has an anchor that aliases may use`);
    return item;
  });
  if (seq.flow) {
    if (items.length === 1 && items[0]) return [removeFlowItem(text, seq, items[0])];
    return refuse('several items of one flow sequence cannot be removed without rewriting it');
  }
  const removals = items.map((item) => {
    const [start, end] = scalarRange(item);
    if (dashPrefix(text, start) === undefined) refuse('the sequence item shares its line with other content');
    return { start: lineStart(text, start), end: lineEndAfter(text, end), text: '' };
  });
  if (seq.items.length > new Set(items).size) return removals;
  return [markEmpty(text, intent.doc, intent.path, '[]'), ...removals];
}

/** A whole item of a block sequence, scalar or mapping (a kustomization's `patches:` entry), with its lines. */
function removeListEntry(text: string, intent: Intent<'remove-list-entry'>): TextEdit[] {
  const { seq, removal } = listEntry(text, intent.doc, intent.path, intent.index);
  return seq.items.length > 1 ? [removal] : [markEmpty(text, intent.doc, intent.path, '[]'), removal];
}

function replaceListEntry(text: string, intent: Intent<'replace-list-entry'>): TextEdit[] {
  const { removal, dash } = listEntry(text, intent.doc, intent.path, intent.index);
  const item = typeof intent.entry === 'string' ? format(intent.entry) : flowEntry(intent.entry);
  return [{ ...removal, text: `${dash}${item}${newline(text)}` }];
}

/** The lines of one item of a block sequence (from its dash to the end of its last line). */
function listEntry(text: string, doc: Doc, path: NodePath, index: number): { seq: YAMLSeq; removal: TextEdit; dash: string } {
  const seq = seqAt(doc, path);
  if (seq.flow) return refuse(`the sequence at ${where(path)} is a flow sequence`);
  const item = seq.items[index];
  if (!(isScalar(item) || isMap(item)) || !item.range) return refuse(`no item ${index} in the sequence at ${where(path)}`);
  if (anchored(item)) refuse(`item ${index} has an anchor that aliases may use`);
  const dash = dashPrefix(text, item.range[0]) ?? refuse('the sequence item shares its line with other content');
  return { seq, dash, removal: { start: lineStart(text, item.range[0]), end: lineEndAfter(text, item.range[1]), text: '' } };
}

function addListMapping(text: string, intent: Intent<'add-list-mapping'>): TextEdit[] {
  const name = intent.path.at(-1);
  const parent = nodeAt(intent.doc, intent.path.slice(0, -1));
  if (typeof name === 'string' && isMap(parent) && !parent.flow && !findPair(parent, name)) {
    // No such list yet: add it, with the item, after the parent's last entry.
    const column = keyColumn(text, parent);
    const at = lineEndAfter(text, pairEnd(lastEntry(text, parent)));
    return [insertLine(text, at, `${' '.repeat(column)}${formatKey(name)}:${newline(text)}${' '.repeat(column)}- ${flowEntry(intent.entry)}`)];
  }
  const seq = seqAt(intent.doc, intent.path);
  const last = seq.items.at(-1);
  if (seq.flow || !(isScalar(last) || isMap(last)) || !last.range) return refuse(`the sequence at ${where(intent.path)} is not a block sequence with items`);
  const dash = dashPrefix(text, last.range[0]) ?? refuse('the sequence item shares its line with other content');
  return [insertLine(text, lineEndAfter(text, last.range[1]), `${dash}${flowEntry(intent.entry)}`)];
}

// ---------------------------------------------------------------------------------------------------------------
// Mappings

function createMap(text: string, intent: Intent<'set-keys'>): TextEdit[] {
  const name = intent.path.at(-1);
  if (typeof name !== 'string') return refuse(`no mapping at ${where(intent.path)}`);
  const parent = mapAt(intent.doc, intent.path.slice(0, -1));
  if (parent.flow) {
    // `metadata: {labels: {…}}` gains `annotations: {key: value}` in the same flow style.
    if (findPair(parent, name)) refuse(`${where(intent.path)} is not a mapping`);
    const json = jsonStyle(parent);
    const holder = json ? JSON.stringify(name) : formatKey(name);
    return [appendToFlowMap(text, parent, `${holder}: {${intent.entries.map((e) => flowEntry(e, json)).join(', ')}}`)];
  }
  const step = indentStep(text, intent.doc, parent);
  const line = (column: number) => intent.entries.map((e) => `${' '.repeat(column + step)}${flowEntry(e)}`).join(newline(text));
  const holder = findPair(parent, name);
  if (!holder) {
    // No `annotations:` at all: add it, with the entry, after the parent's last entry.
    const column = keyColumn(text, parent);
    const at = lineEndAfter(text, pairEnd(lastEntry(text, parent)));
    return [insertLine(text, at, `${' '.repeat(column)}${formatKey(name)}:${newline(text)}${line(column)}`)];
  }
  // `annotations:` with no value (or `~`/`null`): the entry goes on the next line, the explicit null goes away.
  const entry = toEntry(text, holder);
  const value = holder.value;
  if (value !== null && !isNullScalar(value)) refuse(`${where(intent.path)} is not a mapping`);
  if (isScalar(value) && value.tag) refuse(`${name} has an explicit tag`);
  const edits: TextEdit[] = [];
  if (isScalar(value) && value.range && value.range[1] > value.range[0]) edits.push(deleteWithLeadingSpace(text, value.range[0], value.range[1]));
  edits.push(insertLine(text, lineEndAfter(text, pairEnd(entry)), line(columnOf(text, entry.keyStart))));
  return edits;
}

/** `annotations: {}` becomes a block mapping holding the entry: the braces go, the entry comes on the next line. */
function fillEmptyFlowMap(text: string, intent: Intent<'set-keys'>, map: YAMLMap, entries: readonly KeyValue[]): TextEdit[] {
  const name = intent.path.at(-1);
  if (typeof name !== 'string' || !map.range) return refuse(`the empty mapping at ${where(intent.path)} is not under a key`);
  if (text.slice(map.range[0], map.range[1]).includes('#')) refuse(`the empty mapping at ${where(intent.path)} holds a comment`);
  if (map.tag) refuse(`the mapping at ${where(intent.path)} has an explicit tag`);
  const parent = blockMapAt(intent.doc, intent.path.slice(0, -1));
  const holder = entryOf(text, parent, name);
  const column = columnOf(text, holder.keyStart) + indentStep(text, intent.doc, parent);
  return [
    deleteWithLeadingSpace(text, map.range[0], map.range[1]),
    insertLine(text, lineEndAfter(text, map.range[1]), entries.map((e) => `${' '.repeat(column)}${flowEntry(e)}`).join(newline(text))),
  ];
}

function appendEntries(text: string, map: YAMLMap, entries: readonly KeyValue[]): TextEdit {
  const column = keyColumn(text, map);
  const at = lineEndAfter(text, pairEnd(lastEntry(text, map)));
  return insertLine(text, at, entries.map((e) => `${' '.repeat(column)}${flowEntry(e)}`).join(newline(text)));
}

/** Writes `{}`/`[]` after the colon of the key holding the collection at `path`, which is about to lose its last item. */
function markEmpty(text: string, doc: Doc, path: NodePath, marker: '{}' | '[]'): TextEdit {
  const name = path.at(-1);
  const collection = nodeAt(doc, path);
  if (typeof name !== 'string') refuse(`removing the last item would leave ${where(path)} empty, and it is not under a key`);
  if ((isMap(collection) || isSeq(collection)) && collection.tag) refuse(`${where(path)} has an explicit tag`);
  const holder = entryOf(text, blockMapAt(doc, path.slice(0, -1)), name);
  const colon = colonAfter(text, holder.keyEnd);
  return { start: colon + 1, end: colon + 1, text: ` ${marker}` };
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

function entryOf(text: string, map: YAMLMap, key: string): Entry {
  return toEntry(text, findPair(map, key) ?? refuse(`no key ${key}`));
}

/** The pair as an entry: a single-line scalar key written `key:` (not `? key`), without an anchor. */
function toEntry(text: string, pair: Pair): Entry {
  const key = pair.key;
  if (!isScalar(key)) return refuse('the mapping has a complex key');
  const name = String(key.value);
  if (!key.range) return refuse(`${name} has no position in the file`);
  if (text.slice(key.range[0], key.range[1]).includes('\n')) refuse(`the key ${name} spans several lines`);
  if (key.anchor) refuse(`the key ${name} has an anchor`);
  colonAfter(text, key.range[1]);
  return { pair, key, keyStart: key.range[0], keyEnd: key.range[1] };
}

function colonAfter(text: string, keyEnd: number): number {
  const m = /^[ \t]*:/.exec(text.slice(keyEnd, keyEnd + 200));
  if (!m) refuse('the key is a complex (explicit) key');
  return keyEnd + m[0].length - 1;
}

/** The value of an entry, rewritten in its own quoting style; an empty value gets one after the colon. */
function replaceValue(text: string, entry: Entry, value: ScalarValue): TextEdit {
  const node = entry.pair.value;
  const name = String(entry.key.value);
  if (node === null || (isScalar(node) && node.range && node.range[0] === node.range[1])) {
    // `key:` or `key: # comment`: the value's position is wherever the parser stopped; the colon is the safe spot.
    const colon = colonAfter(text, entry.keyEnd);
    return { start: colon + 1, end: colon + 1, text: ` ${format(value)}` };
  }
  if (isAlias(node)) refuse(`the value of ${name} is an alias`);
  if (!isScalar(node)) refuse(`the value of ${name} is not a single value`);
  return replaceScalar(text, node, value);
}

function replaceScalar(text: string, node: Scalar, value: ScalarValue): TextEdit {
  if (node.anchor) refuse(`${String(node.value)} has an anchor that aliases may use`);
  const [start, end] = scalarRange(node);
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    // A block scalar's range runs through its last line break, which must stay.
    const lineBreak = /\r?\n$/.exec(text.slice(start, end))?.[0] ?? '';
    return { start, end, text: format(value) + lineBreak };
  }
  return { start, end, text: format(value, node) };
}

// ---------------------------------------------------------------------------------------------------------------
// Sequences

function removeFlowItem(text: string, seq: YAMLSeq, item: Scalar): TextEdit {
  if (!seq.range || text.slice(seq.range[0], seq.range[1]).includes('#')) refuse('the flow sequence holds comments');
  const index = seq.items.indexOf(item);
  const next = seq.items[index + 1];
  const previous = seq.items[index - 1];
  const [start, end] = scalarRange(item);
  // Take one comma along: the one after the item, or before it when it is the last one.
  if (next !== undefined) return { start, end: rangeOf(next)[0], text: '' };
  if (previous !== undefined) return { start: rangeOf(previous)[1], end, text: '' };
  return { start, end, text: '' };
}

/** `{a: 1, b: 2}` → `{a: 1}`: the entry goes with one comma (after it, or before it when it is the last one). */
function removeFlowEntry(text: string, map: YAMLMap, key: string): TextEdit {
  if (!map.range || text.slice(map.range[0], map.range[1]).includes('#')) refuse('the flow mapping holds comments');
  const pair = findPair(map, key) ?? refuse(`no ${key} in the mapping`);
  if (anchored(pair.value)) refuse(`the value of ${key} has an anchor that aliases may use`);
  const index = map.items.indexOf(pair);
  const start = rangeOf(pair.key)[0];
  const end = pair.value === null ? rangeOf(pair.key)[1] : rangeOf(pair.value)[1];
  const next = map.items[index + 1];
  const previous = map.items[index - 1];
  if (next !== undefined) return { start, end: rangeOf(next.key)[0], text: '' };
  if (previous !== undefined) return { start: previous.value === null ? rangeOf(previous.key)[1] : rangeOf(previous.value)[1], end, text: '' };
  return { start, end, text: '' };
}

function openBracket(text: string, seq: YAMLSeq): number {
  const start = seq.range?.[0];
  if (start === undefined || text[start] !== '[') return refuse('the flow sequence has no position in the file');
  return start;
}

function itemOf(seq: YAMLSeq, value: string): Scalar | undefined {
  return seq.items.find((i): i is Scalar => isScalar(i) && i.value === value);
}

/** `  - ` before an item that opens its own line, else undefined. */
function dashPrefix(text: string, start: number): string | undefined {
  const prefix = text.slice(lineStart(text, start), start);
  return /^ *-[ ]+$/.test(prefix) ? prefix : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Nodes

function nodeAt(doc: Doc, path: NodePath): unknown {
  return path.length === 0 ? doc.document.contents : doc.document.getIn(path, true);
}

function mapAt(doc: Doc, path: NodePath): YAMLMap {
  const node = nodeAt(doc, path);
  if (!isMap(node)) return refuse(`no mapping at ${where(path)}`);
  if (node.anchor) refuse(`the mapping at ${where(path)} has an anchor that aliases may use`);
  return node;
}

function blockMapAt(doc: Doc, path: NodePath): YAMLMap {
  const map = mapAt(doc, path);
  if (map.flow) refuse(`the mapping at ${where(path)} is written in flow style`);
  return map;
}

function seqAt(doc: Doc, path: NodePath): YAMLSeq {
  const node = nodeAt(doc, path);
  if (!isSeq(node)) return refuse(`no sequence at ${where(path)}`);
  if (node.anchor) refuse(`the sequence at ${where(path)} has an anchor that aliases may use`);
  return node;
}

function lastEntry(text: string, map: YAMLMap): Entry {
  return toEntry(text, map.items.at(-1) ?? refuse('the mapping is empty'));
}

/** The column of the mapping's keys, from its first key, which must open its line (after `- ` at most). */
function keyColumn(text: string, map: YAMLMap): number {
  const first = map.items[0]?.key;
  const start = isScalar(first) ? first.range?.[0] : undefined;
  if (start === undefined) return refuse('the mapping starts with a complex key');
  if (!/^ *(?:- +)*$/.test(text.slice(lineStart(text, start), start))) refuse('the mapping starts on a line with other content');
  return columnOf(text, start);
}

/** How far the file indents a nested mapping: from `parent` first, else anywhere in the document, else 2. */
function indentStep(text: string, doc: Doc, parent: YAMLMap): number {
  const stepOf = (pair: Pair): number | undefined => {
    const child = pair.value;
    if (!isScalar(pair.key) || !pair.key.range || !isMap(child) || child.flow) return undefined;
    const keyStart = pair.key.range[0];
    const childStart = isScalar(child.items[0]?.key) ? child.items[0].key.range?.[0] : undefined;
    if (childStart === undefined || text.lastIndexOf('\n', childStart) < keyStart) return undefined;
    const step = columnOf(text, childStart) - columnOf(text, keyStart);
    return step > 0 ? step : undefined;
  };
  for (const pair of parent.items) {
    const step = stepOf(pair);
    if (step !== undefined) return step;
  }
  let found: number | undefined;
  visit(doc.document, {
    Pair(_, pair) {
      found = stepOf(pair);
      return found === undefined ? undefined : visit.BREAK;
    },
  });
  return found ?? 2;
}

function pairEnd(entry: Entry): number {
  const value = entry.pair.value;
  const valueEnd = isScalar(value) || isMap(value) || isSeq(value) || isAlias(value) ? value.range?.[1] : undefined;
  return Math.max(valueEnd ?? 0, entry.keyEnd);
}

function scalarRange(node: Scalar): [number, number] {
  if (!node.range) return refuse(`${String(node.value)} has no position in the file`);
  return [node.range[0], node.range[1]];
}

function rangeOf(node: unknown): [number, number] {
  if ((isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) && node.range) return [node.range[0], node.range[1]];
  return refuse('a neighbouring item has no position in the file');
}

function anchored(node: unknown): boolean {
  return (isScalar(node) || isMap(node) || isSeq(node)) && node.anchor !== undefined;
}

function isNullScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

function where(path: NodePath): string {
  return path.length === 0 ? 'the document root' : path.join('.');
}

// ---------------------------------------------------------------------------------------------------------------
// Text

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The start of the line after the one where a node ends (ranges of block nodes already include their line break). */
function lineEndAfter(text: string, end: number): number {
  const from = end > 0 && text[end - 1] === '\n' ? end - 1 : end;
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl + 1;
}

function ownsLine(text: string, start: number): boolean {
  return text.slice(lineStart(text, start), start).trim() === '';
}

/** Inserts a whole line at a line start, in the file's line endings (and ends an unterminated last line first). */
function insertLine(text: string, at: number, line: string): TextEdit {
  const nl = newline(text);
  const lead = at === text.length && text.length > 0 && !text.endsWith('\n') ? nl : '';
  return { start: at, end: at, text: `${lead}${line}${nl}` };
}

function deleteWithLeadingSpace(text: string, start: number, end: number): TextEdit {
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return { start: from, end, text: '' };
}

function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function onlyComments(text: string): boolean {
  return text.split('\n').every((line) => /^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*(#.*)?$/.test(line));
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars

/** The text of `value` in the quoting style of `like`; plain (or new) values stay plain only when that is safe. */
function format(value: ScalarValue, like?: Scalar): string {
  if (typeof value === 'boolean') return String(value);
  if (like?.type === Scalar.QUOTE_SINGLE && !/[\n\r\t\\]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (like?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  return plainSafe(value) ? value : JSON.stringify(value);
}

const formatKey = (key: string): string => format(key);

/**
 * Whether YAML reads `value` back as the same string without quotes, in YAML 1.2 and in the YAML 1.1 that
 * Kubernetes tooling speaks (`yes`, `on`, `1_000`, `1:20`, dates are not strings there). JSON's escapes are valid
 * in double-quoted YAML, so anything else is written with JSON.stringify.
 */
function plainSafe(value: string): boolean {
  if (!/^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/.test(value)) return false;
  // The same few values (`enabled`, a namespace) are formatted once per edited document: parse each once.
  let safe = plainSafety.get(value);
  if (safe === undefined) {
    safe = (['1.1', '1.2'] as const).every((version) => {
      const doc = parseDocument(value, { version });
      return doc.errors.length === 0 && doc.toJS() === value;
    });
    if (plainSafety.size > 10_000) plainSafety.clear();
    plainSafety.set(value, safe);
  }
  return safe;
}

const plainSafety = new Map<string, boolean>();
