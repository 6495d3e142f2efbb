import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadRepository } from '../load/load.ts';
import { applyChanges, migrate } from '../migrate.ts';
import type { EditIntent } from '../edits/edit-intent.ts';
import { applyTextEdits, EditsByOffset } from './text-edit.ts';
import { intentToTextEdits } from './yaml-edit.ts';

/**
 * Property tests of the lossless edit engine: random block-style manifests (comments, blank lines, quoting styles,
 * several documents), random annotation rewrites and removals. Run counts stay small so the suite stays fast.
 */

const RUNS = 60;

const keyName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const plainValue = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const quoting = fc.constantFrom<'plain' | 'single' | 'double'>('plain', 'single', 'double');
const comment = fc.option(fc.stringMatching(/^[ a-z0-9]{0,12}$/), { nil: undefined });

interface Annotation { readonly key: string; readonly value: string; readonly quote: 'plain' | 'single' | 'double'; readonly comment: string | undefined }

const annotation: fc.Arbitrary<Annotation> = fc.record({
  key: fc.oneof(keyName.map((k) => `openservicemesh.io/${k}`), keyName.map((k) => `example.com/${k}`)),
  value: plainValue,
  quote: quoting,
  comment,
});

const manifest = fc.record({
  name: keyName,
  annotations: fc.uniqueArray(annotation, { minLength: 1, maxLength: 6, selector: (a) => a.key }),
  blankLineAfter: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  leadingComment: comment,
});

type Manifest = typeof manifest extends fc.Arbitrary<infer T> ? T : never;

function quoted(value: string, quote: Annotation['quote']): string {
  return quote === 'plain' ? value : quote === 'single' ? `'${value}'` : `"${value}"`;
}

function render(docs: readonly Manifest[]): string {
  return docs.map((d) => [
    ...(d.leadingComment !== undefined ? [`# ${d.leadingComment}`] : []),
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${d.name}`,
    '  annotations:',
    ...d.annotations.flatMap((a, i) => [
      `    ${a.key}: ${quoted(a.value, a.quote)}${a.comment !== undefined ? ` # ${a.comment}` : ''}`,
      ...(d.blankLineAfter[i] ? [''] : []),
    ]),
    'data:',
    '  keep: "this line"',
    '',
  ].join('\n')).join('---\n');
}

type Op = { readonly type: 'rename'; readonly newKey: string; readonly newValue: string } | { readonly type: 'remove' } | { readonly type: 'set'; readonly value: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('rename' as const), newKey: keyName.map((k) => `linkerd.io/${k}`), newValue: plainValue }),
  fc.record({ type: fc.constant('remove' as const) }),
  fc.record({ type: fc.constant('set' as const), value: plainValue }),
);

const ANN = ['metadata', 'annotations'];

describe('lossless YAML edits (property-based)', () => {
  it('random annotation rewrites and removals: the result parses, holds the intended values, and only the touched lines differ', () => {
    fc.assert(fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), fc.array(op, { minLength: 6, maxLength: 18 }), (docs, ops) => {
      const text = render(docs);
      const loaded = loadRepository(new Map([['f.yaml', text]])).documents;
      expect(loaded).toHaveLength(docs.length);
      const edits = new EditsByOffset();
      const expected = docs.map((d) => new Map(d.annotations.map((a) => [a.key, a.value])));
      const touched = new Set<string>();
      let next = 0;
      for (const [i, d] of docs.entries()) {
        const doc = loaded[i];
        if (!doc) continue;
        const newKeys = new Set<string>();
        for (const a of d.annotations.filter((x) => x.key.startsWith('openservicemesh.io/'))) {
          const o = ops[next++ % ops.length] as Op;
          if (o.type === 'rename' && (newKeys.has(o.newKey) || expected[i]?.has(o.newKey))) continue;
          const intent: EditIntent = o.type === 'rename' ? { type: 'rename-key', doc, path: ANN, key: a.key, newKey: o.newKey, newValue: o.newValue }
            : o.type === 'remove' ? { type: 'remove-key', doc, path: ANN, key: a.key }
            : { type: 'set-key', doc, path: ANN, key: a.key, value: o.value };
          const result = intentToTextEdits(text, intent);
          expect(result.ok).toBe(true);
          if (!result.ok) continue;
          result.edits.forEach((e) => edits.add(e));
          touched.add(a.key);
          const values = expected[i] as Map<string, string>;
          if (o.type === 'rename') {
            values.delete(a.key);
            values.set(o.newKey, o.newValue);
            newKeys.add(o.newKey);
            touched.add(o.newKey);
          } else if (o.type === 'remove') values.delete(a.key);
          else values.set(a.key, o.value);
        }
      }
      const out = applyTextEdits(text, edits.all);
      const parsed = parseAllDocuments(out);
      expect(parsed.flatMap((d) => d.errors)).toEqual([]);
      parsed.forEach((d, i) => {
        const value = d.toJS() as { metadata: { name: string; annotations?: Record<string, string> | null }; data: unknown };
        expect(value.metadata.name).toBe(docs[i]?.name);
        expect(new Map(Object.entries(value.metadata.annotations ?? {}))).toEqual(expected[i]);
        expect(value.data).toEqual({ keep: 'this line' });
      });
      // Every line that names no touched key is kept, in order, byte for byte (comments, blank lines, quoting).
      const untouched = (t: string) => t.split('\n').filter((line) => ![...touched].some((k) => line.includes(`${k}:`)) && line.trim() !== 'annotations:' && line.trim() !== 'annotations: {}');
      expect(untouched(out)).toEqual(untouched(text));
    }), { numRuns: RUNS, seed: 11 });
  });

  it('a second migration of the migrated files changes nothing', () => {
    const injection = fc.record({
      value: fc.constantFrom('enabled', 'disabled'),
      quote: quoting,
      comment,
      others: fc.uniqueArray(fc.record({ key: keyName.map((k) => `example.com/${k}`), value: plainValue, quote: quoting, comment }), { maxLength: 3, selector: (a) => a.key }),
    });
    fc.assert(fc.property(fc.uniqueArray(fc.record({ name: keyName, injection }), { minLength: 1, maxLength: 4, selector: (n) => n.name }), (namespaces) => {
      const text = namespaces.map((n) => [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        `  name: ${n.name}`,
        '  annotations:',
        ...n.injection.others.map((a) => `    ${a.key}: ${quoted(a.value, a.quote)}${a.comment !== undefined ? ` # ${a.comment}` : ''}`),
        `    openservicemesh.io/sidecar-injection: ${quoted(n.injection.value, n.injection.quote)}${n.injection.comment !== undefined ? ` # ${n.injection.comment}` : ''}`,
        '',
      ].join('\n')).join('---\n');
      const files = new Map([['namespaces.yaml', text]]);
      const first = migrate(files);
      const migrated = applyChanges(files, first.files);
      const out = migrated.get('namespaces.yaml') ?? '';
      expect(parseAllDocuments(out).flatMap((d) => d.errors)).toEqual([]);
      expect(out).not.toContain('openservicemesh.io/sidecar-injection');
      // Only the injection lines (and lines the migration adds) differ.
      const kept = (t: string) => t.split('\n').filter((l) => !l.includes('openservicemesh.io/') && !l.includes('linkerd.io/'));
      expect(kept(out)).toEqual(kept(text));
      expect(migrate(migrated).files).toEqual([]);
    }), { numRuns: RUNS / 2, seed: 11 });
  });
});
