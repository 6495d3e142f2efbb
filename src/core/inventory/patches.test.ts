import { describe, expect, it } from 'vitest';
import { applyJson6902, applyStrategicMerge, selects, type PatchResult } from './patches.ts';

function valueOf(r: PatchResult): Record<string, unknown> {
  if (!r.ok || r.deleted) throw new Error(`no patched object: ${JSON.stringify(r)}`);
  return r.value;
}

const ingressBackend = {
  apiVersion: 'policy.openservicemesh.io/v1alpha1',
  kind: 'IngressBackend',
  metadata: { name: 'web', namespace: 'shop', labels: { a: '1' } },
  spec: {
    backends: [{ name: 'web', port: { number: 8080, protocol: 'http' } }],
    sources: [{ kind: 'Service', name: 'nginx', namespace: 'ingress' }, { kind: 'IPRange', name: '10.0.0.0/8' }],
  },
};

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1', ports: [{ containerPort: 8080, name: 'http' }] },
          { name: 'sidecar', image: 'side:1' },
        ],
      },
    },
  },
};

describe('strategic merge as kustomize applies it', () => {
  it('CRDs (OSM kinds) get JSON merge patch semantics: a list in the patch replaces the whole list', () => {
    const r = applyStrategicMerge(ingressBackend, { kind: 'IngressBackend', metadata: { name: 'web' }, spec: { sources: [{ kind: 'IPRange', name: '10.1.0.0/16' }] } });
    expect(r).toEqual({ ok: true, value: { ...ingressBackend, spec: { ...ingressBackend.spec, sources: [{ kind: 'IPRange', name: '10.1.0.0/16' }] } } });
  });

  it('mappings merge and null deletes a key; the patch\'s name does not rename the target', () => {
    const r = applyStrategicMerge(ingressBackend, { metadata: { name: 'other', labels: { a: null, b: '2' } } });
    expect(valueOf(r)['metadata']).toEqual({ name: 'web', namespace: 'shop', labels: { b: '2' } });
  });

  it('built-in kinds merge containers by name and container ports by containerPort (new items first, as kubectl kustomize v5.5 does)', () => {
    const r = applyStrategicMerge(deployment, { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2', ports: [{ containerPort: 9090 }] }] } } } });
    const containers = (valueOf(r)['spec'] as { template: { spec: { containers: unknown[] } } }).template.spec.containers;
    expect(containers).toEqual([
      { name: 'web', image: 'web:2', ports: [{ containerPort: 9090 }, { containerPort: 8080, name: 'http' }] },
      { name: 'sidecar', image: 'side:1' },
    ]);
  });

  it('$patch: delete removes the object, or a list item with its merge key', () => {
    expect(applyStrategicMerge(ingressBackend, { $patch: 'delete' })).toEqual({ ok: true, deleted: true });
    const r = applyStrategicMerge(deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
    expect(JSON.stringify(valueOf(r))).not.toContain('sidecar');
  });

  it('directives the model does not apply are not exact, never ignored', () => {
    expect(applyStrategicMerge(ingressBackend, { spec: { $retainKeys: ['sources'] } })).toMatchObject({ ok: false, reason: expect.stringContaining('$retainKeys') });
    expect(applyStrategicMerge(deployment, { spec: { template: { spec: { $setElementOrder: [] } } } })).toMatchObject({ ok: false });
    expect(applyStrategicMerge(deployment, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } })).toMatchObject({ ok: false, reason: expect.stringContaining('merge key') });
  });
});

describe('JSON 6902', () => {
  it('add, replace and remove, with RFC 6901 escapes and `-` to append', () => {
    const r = applyJson6902(ingressBackend, [
      { op: 'replace', path: '/spec/sources/1/name', value: '10.1.0.0/16' },
      { op: 'add', path: '/spec/sources/-', value: { kind: 'IPRange', name: '192.168.0.0/24' } },
      { op: 'remove', path: '/spec/sources/0' },
      { op: 'add', path: '/metadata/labels/app.kubernetes.io~1part-of', value: 'shop' },
    ]);
    expect(valueOf(r)['spec']).toEqual({ ...ingressBackend.spec, sources: [{ kind: 'IPRange', name: '10.1.0.0/16' }, { kind: 'IPRange', name: '192.168.0.0/24' }] });
    expect(valueOf(r)['metadata']).toMatchObject({ labels: { a: '1', 'app.kubernetes.io/part-of': 'shop' } });
    // The input object is not changed.
    expect(ingressBackend.spec.sources).toHaveLength(2);
  });

  it('a path that does not exist, a failed test or an unknown op is not exact (kustomize stops there)', () => {
    expect(applyJson6902(ingressBackend, [{ op: 'replace', path: '/spec/sources/5/name', value: 'x' }])).toMatchObject({ ok: false });
    expect(applyJson6902(ingressBackend, [{ op: 'remove', path: '/spec/nothing' }])).toMatchObject({ ok: false });
    expect(applyJson6902(ingressBackend, [{ op: 'test', path: '/kind', value: 'Egress' }])).toMatchObject({ ok: false });
    expect(applyJson6902(ingressBackend, [{ op: 'merge', path: '/spec', value: {} }])).toMatchObject({ ok: false });
    expect(applyJson6902(ingressBackend, { op: 'add' })).toMatchObject({ ok: false });
  });

  it('move and copy', () => {
    const r = applyJson6902(ingressBackend, [{ op: 'copy', from: '/spec/sources/1', path: '/spec/sources/0' }, { op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/b' }]);
    expect((valueOf(r)['spec'] as { sources: unknown[] }).sources).toHaveLength(3);
    expect(valueOf(r)['metadata']).toMatchObject({ labels: { b: '1' } });
  });
});

describe('patch target selectors', () => {
  const candidate = { apiVersion: 'policy.openservicemesh.io/v1alpha1', kind: 'IngressBackend', name: 'web-a', namespace: 'shop', labels: { tier: 'front' }, annotations: {} };
  it('group, version and kind exactly; name and namespace as anchored regexes; equality label selectors', () => {
    expect(selects({ group: 'policy.openservicemesh.io', version: 'v1alpha1', kind: 'IngressBackend', name: 'web-.*' }, candidate)).toBe(true);
    expect(selects({ name: 'web' }, candidate)).toBe(false);
    expect(selects({ kind: 'Egress' }, candidate)).toBe(false);
    expect(selects({ namespace: 'sh.p', labelSelector: 'tier=front,!canary' }, candidate)).toBe(true);
    expect(selects({ labelSelector: 'tier!=front' }, candidate)).toBe(false);
  });
  it('name patterns are RE2 (as Go compiles them): a backtracking pattern on a long name answers at once', () => {
    const long = { ...candidate, name: `${'a'.repeat(5000)}!` };
    expect(selects({ name: '(a+)+$' }, long)).toBe(false);
    expect(selects({ name: '(a|aa)+!' }, long)).toBe(true);
  });

  it('set-based selectors are reported as unknown, not guessed', () => {
    expect(selects({ labelSelector: 'tier in (front,back)' }, candidate)).toBeUndefined();
  });
});
