import { describe, expect, it } from 'vitest';
import { loadRepository, locate } from './load.ts';

describe('loadRepository', () => {
  it('loads every document of multi-document YAML and JSON, with positions', () => {
    const files = new Map([
      ['a.yaml', '# c\napiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: b\n'],
      ['b.json', '{"apiVersion": "v1", "kind": "C"}'],
      ['notes.txt', 'kind: Ignored'],
    ]);
    const load = loadRepository(files);
    expect(load.documents.map((d) => [d.file, d.index, (d.value as { kind: string }).kind])).toEqual([
      ['a.yaml', 0, 'A'], ['a.yaml', 1, 'B'], ['b.json', 0, 'C'],
    ]);
    const b = load.documents[1]!;
    expect(locate(b, ['metadata', 'name'])).toEqual({ file: 'a.yaml', line: 8 });
    // A path that does not exist points at its closest existing ancestor.
    expect(locate(b, ['metadata', 'labels', 'x'])).toEqual({ file: 'a.yaml', line: 7 });
  });

  it('turns broken YAML into a finding with its line, and keeps loading the rest', () => {
    const load = loadRepository(new Map([
      ['bad.yaml', 'kind: A\n---\nkind: B\n  bad: indentation\n'],
      ['good.yaml', 'kind: C\n'],
    ]));
    expect(load.findings.map((f) => [f.id, f.file, f.line])).toEqual([['load/yaml-syntax-error', 'bad.yaml', 3]]);
    expect(load.documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['A', 'C']);
  });

  it('recognises Helm templates without parsing them, and flags the lines that hard-code OSM', () => {
    const load = loadRepository(new Map([
      ['chart/templates/deploy.yaml', 'metadata:\n  annotations:\n    openservicemesh.io/sidecar-injection: {{ .Values.inject }}\n'],
    ]));
    expect(load.files.get('chart/templates/deploy.yaml')?.kind).toBe('helm-template');
    expect(load.documents).toEqual([]);
    expect(load.findings.map((f) => [f.id, f.line])).toEqual([['load/helm-template-osm-reference', 3]]);
  });

  it('survives an alias bomb', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(() => loadRepository(new Map([['bomb.yaml', bomb]]))).not.toThrow();
  });
});
