import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, describeWithShared } from '../../../test/support/shared.ts';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import type { NodePath } from '../source.ts';
import { loadRepository, type LoadedDocument } from '../load/load.ts';
import type { EditIntent } from '../edits/edit-intent.ts';
import { applyTextEdits } from './text-edit.ts';
import { intentToTextEdits, type EditResult } from './yaml-edit.ts';

type Make = (doc: LoadedDocument) => EditIntent;

const y = (...lines: string[]): string => `${lines.join('\n')}\n`;

function run(text: string, make: Make, index = 0): EditResult {
  const doc = loadRepository(new Map([['f.yaml', text]])).documents[index];
  if (!doc) throw new Error(`no document ${index} in the test input`);
  return intentToTextEdits(text, make(doc));
}

/** The edited text, which must parse again. */
function edit(text: string, make: Make, index = 0): string {
  const result = run(text, make, index);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  const out = applyTextEdits(text, result.edits);
  expect(parseAllDocuments(out).flatMap((d) => d.errors)).toEqual([]);
  return out;
}

function refusal(text: string, make: Make, index = 0): string {
  const result = run(text, make, index);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.reason;
}

const ANN = ['metadata', 'annotations'];
const rename = (key: string, newKey: string, newValue?: string, path: NodePath = ANN): Make =>
  (doc) => ({ type: 'rename-key', doc, path, key, newKey, newValue });
const removeKey = (key: string, path: NodePath = ANN): Make => (doc) => ({ type: 'remove-key', doc, path, key });
const setKey = (key: string, value: string, path: NodePath = ANN): Make => (doc) => ({ type: 'set-key', doc, path, key, value });
const removeDoc: Make = (doc) => ({ type: 'remove-document', doc });
const addItem = (value: string, after?: string): Make => (doc) => ({ type: 'add-list-item', doc, path: ['resources'], value, after });
const replaceItem = (old: string, value: string): Make => (doc) => ({ type: 'replace-list-item', doc, path: ['resources'], old, value });
const removeItem = (value: string): Make => (doc) => ({ type: 'remove-list-item', doc, path: ['resources'], value });

const POD = y(
  '# a pod',
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web   # the name',
  '  annotations:',
  '',
  '    # why we inject',
  '    openservicemesh.io/sidecar-injection: enabled # inject',
  '    "quoted.io/key": \'single\'',
  '    other: x',
  'spec: {}',
);

describe('rename-key', () => {
  it('rewrites only the key and value on their line, keeping the trailing comment', () => {
    const out = edit(POD, rename('openservicemesh.io/sidecar-injection', 'linkerd.io/inject', 'disabled'));
    expect(out).toBe(POD.replace('openservicemesh.io/sidecar-injection: enabled #', 'linkerd.io/inject: disabled #'));
  });

  it('keeps the quoting style of key and value', () => {
    const out = edit(POD, rename('quoted.io/key', 'linkerd.io/x', "it's"));
    expect(out).toContain('    "linkerd.io/x": \'it\'\'s\'\n');
    expect(edit(POD, rename('quoted.io/key', 'new')).split('\n')[9]).toBe('    "new": \'single\'');
  });

  it('quotes a plain value only when YAML would read it as something other than that string', () => {
    const value = (v: string) => edit(POD, rename('other', 'k', v)).split('\n')[10];
    expect(value('enabled')).toBe('    k: enabled');
    expect(value('true')).toBe('    k: "true"');
    expect(value('yes')).toBe('    k: "yes"');
    expect(value('8080')).toBe('    k: "8080"');
    expect(value('a: b')).toBe('    k: "a: b"');
    expect(value('')).toBe('    k: ""');
  });

  it('gives an empty value one after the colon, before any comment', () => {
    const text = y('metadata:', '  annotations:', '    a:', '    b: # note', '    c: |', '      text', '    d: 1');
    expect(edit(text, rename('a', 'x', 'v'))).toBe(text.replace('    a:\n', '    x: v\n'));
    expect(edit(text, rename('b', 'x', 'v'))).toBe(text.replace('b: # note', 'x: v # note'));
    expect(edit(text, rename('c', 'x', 'v'))).toBe(text.replace('    c: |\n      text\n', '    x: v\n'));
  });

  it('keeps CRLF line endings and the other documents', () => {
    const text = 'kind: A\r\nmetadata:\r\n  annotations:\r\n    a: "1"\r\n---\r\nkind: B\r\nmetadata:\r\n  annotations:\r\n    a: "1"\r\n';
    expect(edit(text, rename('a', 'b', '2'), 1)).toBe(text.replace(/a: "1"\r\n$/, 'b: "2"\r\n'));
  });

  it('renames inside a flow mapping, which is a pure replacement', () => {
    expect(edit(y('metadata: {annotations: {a: x, b: y}}'), rename('a', 'c', 'z'))).toBe(y('metadata: {annotations: {c: z, b: y}}'));
  });

  it('refuses missing keys, aliases, anchors, explicit keys and clashing names', () => {
    expect(refusal(POD, rename('nope', 'x'))).toMatch(/no key nope/);
    expect(refusal(POD, rename('other', 'x', undefined, ['metadata', 'labels']))).toMatch(/no mapping at metadata.labels/);
    expect(refusal(POD, rename('other', 'quoted.io/key'))).toMatch(/already set/);
    expect(refusal(y('v: &v x', 'metadata:', '  annotations:', '    a: *v'), rename('a', 'b', 'c'))).toMatch(/alias/);
    expect(refusal(y('metadata:', '  annotations:', '    a: &v x', 'o: *v'), rename('a', 'b', 'c'))).toMatch(/anchor/);
    expect(refusal(y('metadata:', '  annotations: &ann', '    a: x', 'o: *ann'), rename('a', 'b'))).toMatch(/anchor/);
    expect(refusal(y('metadata:', '  annotations:', '    ? a', '    : x'), rename('a', 'b'))).toMatch(/complex/);
    expect(refusal(y('metadata:', '  annotations:', '    a:', '      b: c'), rename('a', 'b', 'x'))).toMatch(/not a single value/);
  });
});

describe('remove-key', () => {
  it('deletes the entry line with its comment, and nothing else', () => {
    const out = edit(POD, removeKey('openservicemesh.io/sidecar-injection'));
    expect(out).toBe(POD.replace('    openservicemesh.io/sidecar-injection: enabled # inject\n', ''));
  });

  it('deletes every line of a multi-line value', () => {
    const text = y('metadata:', '  annotations:', '    a: |', '      one', '      two', '    b:', '      c: d', '    e: f');
    expect(edit(text, removeKey('a'))).toBe(y('metadata:', '  annotations:', '    b:', '      c: d', '    e: f'));
    expect(edit(text, removeKey('b'))).toBe(y('metadata:', '  annotations:', '    a: |', '      one', '      two', '    e: f'));
  });

  it('leaves `annotations: {}` when it removes the last entry', () => {
    const text = y('metadata:', '  annotations: # osm', '    openservicemesh.io/x: enabled', '  name: a');
    expect(edit(text, removeKey('openservicemesh.io/x'))).toBe(y('metadata:', '  annotations: {} # osm', '  name: a'));
  });

  it('keeps CRLF and handles a last line without a line break', () => {
    expect(edit('metadata:\r\n  annotations:\r\n    a: x\r\n    b: y', removeKey('b'))).toBe('metadata:\r\n  annotations:\r\n    a: x\r\n');
  });

  it('edits flow mappings in place, and refuses keys sharing their line and missing keys', () => {
    expect(edit(y('metadata:', '  annotations: {a: x, b: y}'), removeKey('a'))).toBe(y('metadata:', '  annotations: {b: y}'));
    expect(edit(y('metadata:', '  annotations: {a: x}'), removeKey('a'))).toBe(y('metadata:', '  annotations: {}'));
    expect(refusal(y('items:', '- a: 1', '  b: 2'), removeKey('a', ['items', 0]))).toMatch(/shares its line/);
    expect(refusal(POD, removeKey('nope'))).toMatch(/no key nope/);
  });
});

describe('set-keys (set-keys on one mapping, merged by the planner)', () => {
  const setKeys = (...entries: [string, string][]): Make => (doc) => ({ type: 'set-keys', doc, path: ANN, entries: entries.map(([key, value]) => ({ key, value })) });
  it('creates a missing mapping once, holding every entry in order', () => {
    expect(edit(y('metadata:', '  name: a', 'spec: {}'), setKeys(['a.io/x', '1'], ['b.io/y', 'two'])))
      .toBe(y('metadata:', '  name: a', '  annotations:', '    a.io/x: "1"', '    b.io/y: two', 'spec: {}'));
  });
  it('replaces existing keys in place and appends the new ones together', () => {
    expect(edit(y('metadata:', '  annotations:', '    a.io/x: old # c', '  name: a'), setKeys(['a.io/x', 'new'], ['b.io/y', 'v'], ['c.io/z', 'w'])))
      .toBe(y('metadata:', '  annotations:', '    a.io/x: new # c', '    b.io/y: v', '    c.io/z: w', '  name: a'));
  });
  it('keeps flow style', () => {
    expect(edit(y('metadata: {name: a}'), setKeys(['k', 'v'], ['l', 'w']))).toBe(y('metadata: {name: a, annotations: {k: v, l: w}}'));
    expect(edit(y('metadata:', '  annotations: {a: x}'), setKeys(['k', 'v'], ['l', 'w']))).toBe(y('metadata:', '  annotations: {a: x, k: v, l: w}'));
  });
});

describe('JSON manifests', () => {
  const setKeys = (...entries: [string, string][]): Make => (doc) => ({ type: 'set-keys', doc, path: ANN, entries: entries.map(([key, value]) => ({ key, value })) });
  it('stay JSON: entries added to a double-quoted flow mapping are JSON too', () => {
    const added = edit('{"metadata": {"name": "d"}}\n', setKeys(['retry.linkerd.io/http', '5xx']));
    expect(JSON.parse(added)).toEqual({ metadata: { name: 'd', annotations: { 'retry.linkerd.io/http': '5xx' } } });
    const appended = edit('{"metadata": {"annotations": {"a": "1"}}}\n', setKeys(['b', 'yes']));
    expect(JSON.parse(appended)).toEqual({ metadata: { annotations: { a: '1', b: 'yes' } } });
  });
});

describe('remove-key in flow mappings', () => {
  it('takes the entry and one comma, and keeps JSON JSON', () => {
    expect(edit('metadata: {labels: {a: x, openservicemesh.io/monitored-by: osm, b: y}}\n', removeKey('openservicemesh.io/monitored-by', ['metadata', 'labels'])))
      .toBe('metadata: {labels: {a: x, b: y}}\n');
    const json = '{"metadata": {"name": "ns", "labels": {"app": "x", "openservicemesh.io/monitored-by": "osm"}}}\n';
    expect(JSON.parse(edit(json, removeKey('openservicemesh.io/monitored-by', ['metadata', 'labels'])))).toEqual({ metadata: { name: 'ns', labels: { app: 'x' } } });
    expect(refusal('metadata: {labels: {a: x, # c\n  b: y}}\n', removeKey('a', ['metadata', 'labels']))).toMatch(/comments/);
  });
});

describe('remove-list-items', () => {
  const removeItems = (...values: string[]): Make => (doc) => ({ type: 'remove-list-items', doc, path: ['resources'], values });
  it('removes several items, and leaves [] when none is left', () => {
    expect(edit(y('resources:', '  - a.yaml # A', '  - b.yaml', '  - c.yaml'), removeItems('a.yaml', 'c.yaml'))).toBe(y('resources:', '  - b.yaml'));
    expect(edit(y('resources:', '  - a.yaml', '  - b.yaml', 'namespace: x'), removeItems('a.yaml', 'b.yaml'))).toBe(y('resources: []', 'namespace: x'));
  });
});

describe('set-key', () => {
  it('replaces an existing value in its quoting style, and does nothing when it is already set', () => {
    expect(edit(POD, setKey('quoted.io/key', 'other'))).toBe(POD.replace("'single'", "'other'"));
    expect(run(POD, setKey('other', 'x'))).toEqual({ ok: true, edits: [] });
  });

  it('adds a missing key after the last entry, at the indentation of the others', () => {
    const out = edit(POD, setKey('linkerd.io/inject', 'enabled'));
    expect(out).toBe(POD.replace('    other: x\n', '    other: x\n    linkerd.io/inject: enabled\n'));
    const after = edit(y('metadata:', '    annotations:', '        a: |', '            text', 'spec: {}'), setKey('b', '80, 443'));
    expect(after).toBe(y('metadata:', '    annotations:', '        a: |', '            text', '        b: "80, 443"', 'spec: {}'));
  });

  it('adds a key to a mapping that is a sequence item', () => {
    const text = y('spec:', '  containers:', '  - name: app', '    image: x', '  - name: b');
    expect(edit(text, setKey('k', 'v', ['spec', 'containers', 0]))).toBe(y('spec:', '  containers:', '  - name: app', '    image: x', '    k: v', '  - name: b'));
  });

  it('turns `annotations: {}` into a block holding the entry', () => {
    const text = y('metadata:', '  annotations: {} # none yet', '  name: a');
    expect(edit(text, setKey('linkerd.io/inject', 'enabled'))).toBe(y('metadata:', '  annotations: # none yet', '    linkerd.io/inject: enabled', '  name: a'));
  });

  it('fills `annotations:` with no value, or an explicit null', () => {
    expect(edit(y('metadata:', '  annotations:', '  name: a'), setKey('k', 'v'))).toBe(y('metadata:', '  annotations:', '    k: v', '  name: a'));
    expect(edit(y('metadata:', '  annotations: ~ # c', '  name: a'), setKey('k', 'v'))).toBe(y('metadata:', '  annotations: # c', '    k: v', '  name: a'));
  });

  it('creates a missing mapping under its parent, indented the way the file indents', () => {
    expect(edit(y('metadata:', '  name: a', '  labels:', '    app: a', 'spec: {}'), setKey('k', 'v')))
      .toBe(y('metadata:', '  name: a', '  labels:', '    app: a', '  annotations:', '    k: v', 'spec: {}'));
    expect(edit(y('metadata:', '    name: a', 'spec:', '    x: 1'), setKey('k', 'deny')))
      .toBe(y('metadata:', '    name: a', '    annotations:', '        k: deny', 'spec:', '    x: 1'));
  });

  it('creates annotations on pod templates, with sequences indented or not', () => {
    const path = ['spec', 'template', 'metadata', 'annotations'];
    for (const dash of ['', '  ']) {
      const text = y('spec:', '  template:', '    metadata:', '      labels:', '        app: a', '    spec:', '      containers:', `      ${dash}- name: a`);
      const out = edit(text, setKey('linkerd.io/inject', 'enabled', path));
      expect(out).toBe(text.replace('        app: a\n', '        app: a\n      annotations:\n        linkerd.io/inject: enabled\n'));
    }
  });

  it('uses CRLF when the file does, and ends an unterminated last line first', () => {
    expect(edit('metadata:\r\n  annotations:\r\n    a: x\r\n', setKey('b', 'v'))).toBe('metadata:\r\n  annotations:\r\n    a: x\r\n    b: v\r\n');
    expect(edit('metadata:\n  name: a', setKey('b', 'v'))).toBe('metadata:\n  name: a\n  annotations:\n    b: v\n');
  });

  it('adds to flow mappings in flow style, before the closing brace', () => {
    expect(edit(y('metadata:', '  annotations: {a: x}  # c'), setKey('b', 'deny'))).toBe(y('metadata:', '  annotations: {a: x, b: deny}  # c'));
    expect(edit(y('metadata: {name: a, labels: {app: a}}'), setKey('b', 'deny'))).toBe(y('metadata: {name: a, labels: {app: a}, annotations: {b: deny}}'));
    expect(refusal(y('metadata: {name: a, # c', '  x: 1}'), setKey('b', 'y'))).toMatch(/comments/);
  });

  it('refuses non-mappings and deeper missing paths', () => {
    expect(refusal(y('metadata:', '  annotations: text'), setKey('b', 'y'))).toMatch(/no mapping/);
    expect(refusal(y('kind: A'), setKey('b', 'y', ['spec', 'template', 'metadata', 'annotations']))).toMatch(/no mapping at spec.template.metadata/);
    expect(refusal(y('x: &a {k: v}', 'metadata:', '  annotations: *a'), setKey('b', 'y'))).toMatch(/no mapping at metadata.annotations/);
    expect(refusal(y('metadata:', '  annotations: &a', '    k: v', 'x: *a'), setKey('b', 'y'))).toMatch(/anchor/);
  });
});

describe('remove-document', () => {
  const THREE = y('# first', 'a: 1', '---', '# second', 'b: 2', '--- # third', 'c: 3');

  it('takes the line break of a document that ends in an empty value along', () => {
    expect(edit(y('a: 1', '---', 'spec:'), removeDoc, 1)).toBe(y('a: 1'));
    expect(edit(y('spec:', '---', 'a: 1'), removeDoc, 0)).toBe(y('a: 1'));
  });

  it('removes a document with one separator, leaving the others byte for byte', () => {
    expect(edit(THREE, removeDoc, 1)).toBe(y('# first', 'a: 1', '--- # third', 'c: 3'));
    expect(edit(THREE, removeDoc, 2)).toBe(y('# first', 'a: 1', '---', '# second', 'b: 2'));
    // The first document has no `---`: the next one's goes, its comment stays.
    expect(edit(THREE, removeDoc, 0)).toBe(y('# first', '# second', 'b: 2', '--- # third', 'c: 3'));
  });

  it('keeps CRLF, and a file whose first document opens with ---', () => {
    expect(edit('---\r\na: 1\r\n---\r\nb: 2\r\n', removeDoc, 0)).toBe('---\r\nb: 2\r\n');
    expect(edit('a: 1\r\n---\r\nb: 2\r\n', removeDoc, 0)).toBe('b: 2\r\n');
  });

  it('leaves an empty file when it removes the only document', () => {
    expect(edit(y('# only', 'a: 1', '---'), removeDoc)).toBe('');
  });
});

describe('list items', () => {
  const BLOCK = y('resources:', '- a.yaml # first', '- "b.yaml"', 'namespace: x');
  const INDENTED = y('resources:', '    -   a.yaml', '    -   b.yaml');

  it('adds a block item after the given one, in its dash style and quoting', () => {
    expect(edit(BLOCK, addItem('new.yaml', 'a.yaml'))).toBe(BLOCK.replace('# first\n', '# first\n- new.yaml\n'));
    expect(edit(BLOCK, addItem('new.yaml'))).toBe(BLOCK.replace('- "b.yaml"\n', '- "b.yaml"\n- "new.yaml"\n'));
    expect(edit(INDENTED, addItem('c.yaml'))).toBe(`${INDENTED}    -   c.yaml\n`);
    expect(run(BLOCK, addItem('a.yaml'))).toEqual({ ok: true, edits: [] });
  });

  it('edits flow sequences inside their brackets', () => {
    expect(edit(y('resources: [a.yaml, b.yaml]'), addItem('n.yaml', 'a.yaml'))).toBe(y('resources: [a.yaml, n.yaml, b.yaml]'));
    expect(edit(y('resources: []'), addItem('n.yaml'))).toBe(y('resources: [n.yaml]'));
    expect(edit(y('resources: [a.yaml, "b.yaml"]'), replaceItem('b.yaml', 'n.yaml'))).toBe(y('resources: [a.yaml, "n.yaml"]'));
    expect(edit(y('resources: [a.yaml, b.yaml, c.yaml]'), removeItem('a.yaml'))).toBe(y('resources: [b.yaml, c.yaml]'));
    expect(edit(y('resources: [a.yaml, b.yaml]'), removeItem('b.yaml'))).toBe(y('resources: [a.yaml]'));
    expect(edit(y('resources: [a.yaml]'), removeItem('a.yaml'))).toBe(y('resources: []'));
  });

  it('replaces and removes block items, leaving `[]` when the list empties', () => {
    expect(edit(BLOCK, replaceItem('b.yaml', 'n.yaml'))).toBe(BLOCK.replace('"b.yaml"', '"n.yaml"'));
    expect(edit(BLOCK, removeItem('a.yaml'))).toBe(y('resources:', '- "b.yaml"', 'namespace: x'));
    expect(edit(y('resources: # mine', '  - a.yaml', 'x: 1'), removeItem('a.yaml'))).toBe(y('resources: [] # mine', 'x: 1'));
  });

  it('refuses what is not there, and anchored items', () => {
    expect(refusal(BLOCK, replaceItem('zzz.yaml', 'n.yaml'))).toMatch(/no item zzz.yaml/);
    expect(refusal(y('namespace: x'), addItem('a.yaml'))).toMatch(/no sequence at resources/);
    expect(refusal(y('resources:', '- &r a.yaml', 'more: [*r]'), removeItem('a.yaml'))).toMatch(/anchor/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The corpus: real manifests other people wrote.

function corpusFiles(): [string, string][] {
  return readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.ya?ml$/.test(path))
    .sort()
    .map((path) => [path, readFileSync(join(CORPUS, path), 'utf8')]);
}

function load(path: string, text: string): readonly LoadedDocument[] {
  return loadRepository(new Map([[path, text]])).documents;
}

/** Paths of every metadata.annotations / metadata.labels in a document, pod templates included. */
function metadataMaps(value: unknown, path: NodePath = []): NodePath[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: NodePath[] = [];
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (key === 'metadata' && typeof child === 'object' && child !== null) {
      for (const name of ['annotations', 'labels']) if (name in child) found.push([...path, key, name]);
    }
    found.push(...metadataMaps(child, [...path, key]));
  }
  return found;
}

function contentSource(text: string, doc: LoadedDocument): string {
  const range = doc.document.contents?.range;
  return range ? text.slice(range[0], range[2]) : '';
}

describeWithShared('lossless edits over the corpus', () => {
  it('renames every annotation and label key on its line alone', () => {
    const osmValues: (string | undefined)[] = [];
    let keys = 0;
    for (const [path, text] of corpusFiles()) {
      for (const doc of load(path, text)) {
        for (const mapPath of metadataMaps(doc.value)) {
          const map = doc.document.getIn(mapPath, true);
          if (!isMap(map) || map.flow) continue;
          for (const pair of map.items) {
            if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || !pair.key.range) continue;
            const key = pair.key.value;
            const where = `${path}#${doc.index} ${mapPath.join('.')}.${key}`;
            // A value on more lines than the key's (a block scalar in some labels) keeps its text: only the key changes.
            const line = doc.lineCounter.linePos(pair.key.range[0]).line - 1;
            const valueEnd = isScalar(pair.value) ? pair.value.range?.[1] : undefined;
            const oneLine = valueEnd !== undefined && doc.lineCounter.linePos(valueEnd).line - 1 === line;
            const newValue = oneLine ? 'enabled' : undefined;
            const result = intentToTextEdits(text, { type: 'rename-key', doc, path: mapPath, key, newKey: 'linkerd.io/x', newValue });
            expect(result, where).toMatchObject({ ok: true });
            const out = result.ok ? applyTextEdits(text, result.edits) : text;
            // (a) it parses again, to as many documents as before
            const reloaded = load(path, out);
            expect(reloaded.length, where).toBe(load(path, text).length);
            // (b) every other line is byte-identical
            const [before, after] = [text.split('\n'), out.split('\n')];
            expect(after.length, where).toBe(before.length);
            expect(after.filter((l, i) => i !== line), where).toEqual(before.filter((l, i) => i !== line));
            // (c) the key now reads linkerd.io/x
            expect(after[line], where).toMatch(/^\s*['"]?linkerd\.io\/x['"]?\s*:/);
            const edited = reloaded.find((d) => d.index === doc.index);
            expect(edited?.document.getIn([...mapPath, 'linkerd.io/x']), where).toEqual(newValue ?? doc.document.getIn([...mapPath, key]));
            keys++;
            if (key.startsWith('openservicemesh.io/')) osmValues.push(newValue);
          }
        }
      }
    }
    // OSM annotation values are one-liners: each of them got the new value too.
    expect(osmValues.length).toBeGreaterThan(0);
    expect(osmValues.every((v) => v === 'enabled')).toBe(true);
    expect(keys).toBeGreaterThan(osmValues.length);
  });

  it('removes each document of multi-document files, leaving the others byte for byte', () => {
    let removed = 0;
    for (const [path, text] of corpusFiles()) {
      const docs = load(path, text);
      if (docs.length < 2) continue;
      for (const doc of docs) {
        const where = `${path}#${doc.index}`;
        const result = intentToTextEdits(text, { type: 'remove-document', doc });
        expect(result, where).toMatchObject({ ok: true });
        const out = result.ok ? applyTextEdits(text, result.edits) : text;
        const others = docs.filter((d) => d !== doc);
        const left = load(path, out);
        expect(left.map((d) => d.value), where).toEqual(others.map((d) => d.value));
        expect(left.map((d) => contentSource(out, d)), where).toEqual(others.map((d) => contentSource(text, d)));
        removed++;
      }
    }
    expect(removed).toBeGreaterThan(0);
  });

  it('adds an annotation to every block metadata, touching no existing line', () => {
    let added = 0;
    for (const [path, text] of corpusFiles()) {
      for (const doc of load(path, text)) {
        const metadata = doc.document.get('metadata', true);
        if (!isMap(metadata) || metadata.flow) continue;
        const annotations = doc.document.getIn(ANN, true);
        if (isMap(annotations) && annotations.flow && annotations.items.length > 0) continue;
        const where = `${path}#${doc.index}`;
        const result = intentToTextEdits(text, { type: 'set-key', doc, path: ANN, key: 'linkerd.io/inject', value: 'enabled' });
        expect(result, where).toMatchObject({ ok: true });
        const out = result.ok ? applyTextEdits(text, result.edits) : text;
        const edited = load(path, out).find((d) => d.index === doc.index);
        expect(edited?.document.getIn([...ANN, 'linkerd.io/inject']), where).toBe('enabled');
        // Old lines are all still there in order (at most an `annotations: {}`/`~` loses its value).
        const after = new Set(out.split('\n'));
        const missing = text.split('\n').filter((l) => !after.has(l));
        expect(missing.every((l) => /annotations:/.test(l)), where).toBe(true);
        added++;
      }
    }
    expect(added).toBeGreaterThan(0);
  });
});
