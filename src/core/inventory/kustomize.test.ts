import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../test/support/repo.ts';
import { isOutsideRepository, joinPath } from './kustomize.ts';

describe('kustomization entries', () => {
  it('`..` beyond the repository root stays outside it (issue 11): it never names a file of the repository', () => {
    expect(joinPath('apps/shop', '../base/x.yaml')).toBe('apps/base/x.yaml');
    expect(joinPath('apps', '../../base/x.yaml')).toBe('../base/x.yaml');
    expect(joinPath('', '../x.yaml')).toBe('../x.yaml');
    expect(isOutsideRepository(joinPath('a', '../../../b'))).toBe(true);
    expect(isOutsideRepository(joinPath('a/b', '../c'))).toBe(false);
  });

  it('reads patchesStrategicMerge (paths and inline), patches (path or inline, with target) and patchesJson6902, in kustomize order', () => {
    const { inventory, findings } = inventoryOf({
      'o/kustomization.yaml': `
        patchesJson6902:
          - target: {kind: IngressBackend, name: web}
            path: ../../json.yaml
        patches:
          - path: p.yaml
            target: {kind: IngressBackend, name: "web-.*", labelSelector: "tier=front"}
          - patch: |-
              - op: remove
                path: /spec/sources/0
            target: {kind: IngressBackend}
        patchesStrategicMerge:
          - smp.yaml
          - |-
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
      `,
    });
    const patches = inventory.kustomizations[0]?.patches ?? [];
    expect(patches.map((p) => [p.field, p.index, p.file ?? 'inline'])).toEqual([
      ['patchesStrategicMerge', 0, 'o/smp.yaml'],
      ['patchesStrategicMerge', 1, 'inline'],
      ['patches', 0, 'o/p.yaml'],
      ['patches', 1, 'inline'],
      ['patchesJson6902', 0, '../json.yaml'],
    ]);
    expect(patches[2]?.target).toEqual({ kind: 'IngressBackend', name: 'web-.*', labelSelector: 'tier=front' });
    expect(findings.filter((f) => f.id === 'kustomize/entry-outside-repository').map((f) => f.line)).toEqual([3]);
  });
});
