import { describe, expect, it } from 'vitest';
import { deployment, docs, ingressBackend, jsonPatch, kustomization, namespace, service } from '../../../test/support/manifests.ts';
import { repo } from '../../../test/support/repo.ts';
import { kustomizationDirs, kustomizeBuild, type Obj } from '../../../test/support/kustomize-model.ts';
import { buildInventory } from '../inventory/inventory.ts';
import { loadRepository } from '../load/load.ts';
import { applyChanges, migrate } from '../migrate.ts';

/**
 * A base meshes namespace `shop` and lets 10.0.0.0/8 reach `web` through an IngressBackend; overlays narrow the
 * IPRange with a strategic-merge patch (prod), a `patches:` JSON 6902 patch with a target (stage) and the legacy
 * patchesJson6902 field (qa). prod also patches the Namespace with a patch that has only a name and a label.
 * What each overlay deploys is its base with its patches applied (issue 7 item 3): the narrower range.
 */
const BASE = {
  'base/kustomization.yaml': kustomization({ namespace: 'shop', resources: ['namespace.yaml', 'app.yaml', 'ingress.yaml'] }),
  'base/namespace.yaml': namespace({ name: 'shop', monitoredBy: 'osm', injection: 'enabled' }),
  'base/app.yaml': docs(deployment({ name: 'web', ports: [8080] }), service({ name: 'web', ports: [{ port: 80, targetPort: 8080 }] })),
  'base/ingress.yaml': ingressBackend({ name: 'web', backends: [{ name: 'web', port: 8080 }], sources: [{ kind: 'IPRange', name: '10.0.0.0/8' }] }),
};

const OVERLAYS = {
  'prod/kustomization.yaml': kustomization({ resources: ['../base'], patchesStrategicMerge: ['ingress-patch.yaml', 'namespace-patch.yaml'] }),
  'prod/ingress-patch.yaml': ingressBackend({ name: 'web', namespace: 'shop', sources: [{ kind: 'IPRange', name: '10.1.0.0/16' }] }),
  'prod/namespace-patch.yaml': namespace({ name: 'shop', labels: { team: 'payments' }, block: true }),
  'stage/kustomization.yaml': kustomization({ resources: ['../base'], patches: [{ path: 'narrow.yaml', target: { kind: 'IngressBackend', name: 'web' } }] }),
  'stage/narrow.yaml': jsonPatch([{ op: 'replace', path: '/spec/sources/0/name', value: '10.2.0.0/16' }]),
  'qa/kustomization.yaml': `
    resources:
      - ../base
    patchesJson6902:
      - target:
          group: policy.openservicemesh.io
          version: v1alpha1
          kind: IngressBackend
          name: web
        path: narrow.yaml
  `,
  'qa/narrow.yaml': jsonPatch([{ op: 'replace', path: '/spec/sources/0/name', value: '10.3.0.0/16' }]),
};

const FILES = repo({ ...BASE, ...OVERLAYS });

function built(files: ReadonlyMap<string, string>, dir: string): Obj[] {
  const result = kustomizeBuild(files, dir);
  if (!result.ok) throw new Error(result.error);
  return [...result.objects];
}

function networks(objects: readonly Obj[]): unknown {
  return objects.filter((o) => o['kind'] === 'NetworkAuthentication').map((o) => (o['spec'] as Obj)['networks']);
}

describe('an overlay deploys its base with its patches applied (issue 7 item 3)', () => {
  const plan = migrate(FILES);
  const after = applyChanges(FILES, plan.files);

  it('the model builds every kustomization before the migration', () => {
    for (const dir of kustomizationDirs(FILES)) expect(kustomizeBuild(FILES, dir), dir).toMatchObject({ ok: true });
  });

  it('every kustomization that built before builds after, and deploys no OSM object', () => {
    for (const dir of kustomizationDirs(FILES)) {
      const objects = built(after, dir);
      expect(objects.filter((o) => String(o['apiVersion']).includes('openservicemesh.io')), dir).toEqual([]);
    }
  });

  it('each overlay authorizes the narrower range its patch sets; the base keeps its own', () => {
    expect(networks(built(after, 'base'))).toEqual([[{ cidr: '10.0.0.0/8' }]]);
    expect(networks(built(after, 'prod'))).toEqual([[{ cidr: '10.1.0.0/16' }]]);
    expect(networks(built(after, 'stage'))).toEqual([[{ cidr: '10.2.0.0/16' }]]);
    expect(networks(built(after, 'qa'))).toEqual([[{ cidr: '10.3.0.0/16' }]]);
  });

  it('the overlay\'s Linkerd patch names the same resource and replaces only what changed', () => {
    const change = plan.files.find((f) => f.path === 'prod/ingress-patch.linkerd.yaml');
    expect(change?.action).toBe('create');
    expect(change?.content).toContain('kind: NetworkAuthentication');
    expect(change?.content).toContain('name: web-networks');
    expect(change?.content).not.toContain('10.0.0.0/8');
    expect(plan.findings.filter((f) => f.id === 'kustomize/overlay-translated').map((f) => f.file).sort())
      .toEqual(['prod/ingress-patch.yaml', 'qa/narrow.yaml', 'stage/narrow.yaml']);
  });

  it('patch files are never deleted or rewritten as resources; the kustomizations list the Linkerd patches instead', () => {
    for (const path of ['prod/ingress-patch.yaml', 'prod/namespace-patch.yaml', 'stage/narrow.yaml', 'qa/narrow.yaml']) {
      expect(plan.files.find((f) => f.path === path), path).toBeUndefined();
    }
    expect(after.get('prod/kustomization.yaml')).toBe('resources:\n  - ../base\npatchesStrategicMerge:\n  - ingress-patch.linkerd.yaml\n  - namespace-patch.yaml\n');
    expect(after.get('stage/kustomization.yaml')).toBe('resources:\n  - ../base\npatches:\n  - path: narrow.linkerd.yaml\n');
    // The legacy field cannot hold a strategic-merge patch: its entry goes, and a `patches:` list takes the Linkerd patch.
    expect(after.get('qa/kustomization.yaml')).toBe('resources:\n  - ../base\npatchesJson6902: []\npatches:\n- path: narrow.linkerd.yaml\n');
  });

  it('a Namespace patch with only a name and a label is not the Namespace manifest: the base one stays meshed', () => {
    const { inventory } = buildInventory(loadRepository(FILES));
    expect(inventory.namespaces.map((n) => n.object.doc.file)).toEqual(['base/namespace.yaml']);
    expect(inventory.patchDocuments.map((d) => d.file).sort()).toEqual(['prod/ingress-patch.yaml', 'prod/namespace-patch.yaml', 'qa/narrow.yaml', 'stage/narrow.yaml']);
    const prodNamespace = built(after, 'prod').find((o) => o['kind'] === 'Namespace');
    expect(prodNamespace?.['metadata']).toMatchObject({ labels: { team: 'payments' }, annotations: { 'linkerd.io/inject': 'enabled' } });
  });
});

describe('a patch the migration cannot apply exactly is a finding on the patch line, never a silent base value', () => {
  it('a JSON 6902 operation on a path the object does not have', () => {
    const files = repo({
      ...BASE,
      'prod/kustomization.yaml': kustomization({ resources: ['../base'], patches: [{ path: 'narrow.yaml', target: { kind: 'IngressBackend', name: 'web' } }] }),
      'prod/narrow.yaml': jsonPatch([{ op: 'replace', path: '/spec/sources/3/name', value: '10.9.0.0/16' }]),
    });
    const plan = migrate(files);
    const found = plan.findings.filter((f) => f.id === 'kustomize/patch-not-exact');
    expect(found.map((f) => [f.file, f.line])).toEqual([['prod/narrow.yaml', 1]]);
    expect(found[0]?.message).toContain('/spec/sources/3/name');
  });

  it('a strategic-merge directive the model does not know', () => {
    const files = repo({
      ...BASE,
      'prod/kustomization.yaml': kustomization({ resources: ['../base'], lines: ['patchesStrategicMerge: [patch.yaml]'] }),
      'prod/patch.yaml': `
        apiVersion: policy.openservicemesh.io/v1alpha1
        kind: IngressBackend
        metadata:
          name: web
          namespace: shop
        spec:
          $retainKeys: [sources]
          sources: []
      `,
    });
    const found = migrate(files).findings.filter((f) => f.id === 'kustomize/patch-not-exact');
    expect(found.map((f) => f.file)).toEqual(['prod/patch.yaml']);
    expect(found[0]?.message).toContain('$retainKeys');
  });
});

describe('kustomization entries beyond the repository root (issue 11)', () => {
  it('are reported, and never resolved to a file inside the repository', () => {
    const files = repo({
      'app/kustomization.yaml': `
        namespace: shop
        resources:
          - ../../elsewhere/ingress.yaml
      `,
      // What `../../elsewhere/ingress.yaml` would wrongly become if `..` stopped at the root.
      'elsewhere/ingress.yaml': BASE['base/ingress.yaml'],
    });
    const plan = migrate(files);
    const outside = plan.findings.filter((f) => f.id === 'kustomize/entry-outside-repository');
    expect(outside.map((f) => [f.file, f.line])).toEqual([['app/kustomization.yaml', 3]]);
    // The file inside the repository is not placed in the kustomization's namespace.
    const { inventory } = buildInventory(loadRepository(files));
    expect(inventory.osm('IngressBackend').map((o) => o.ref.namespace)).toEqual([undefined]);
  });
});

describe('inline patches and phased plans', () => {
  const inline = repo({
    ...BASE,
    'prod/kustomization.yaml': `
      resources:
        - ../base
      patches:
        - target: {kind: IngressBackend, name: web}
          patch: |-
            - op: replace
              path: /spec/sources/0/name
              value: 10.4.0.0/16
      patchesStrategicMerge:
        - |-
          apiVersion: v1
          kind: Namespace
          metadata:
            name: shop
            labels: {team: payments}
    `,
  });

  it('an inline patch of an OSM object leaves the kustomization; its Linkerd patch is listed instead', () => {
    const plan = migrate(inline);
    const after = applyChanges(inline, plan.files);
    expect(networks(built(after, 'prod'))).toEqual([[{ cidr: '10.4.0.0/16' }]]);
    expect(after.get('prod/kustomization.yaml')).not.toContain('10.4.0.0/16');
    expect(after.get('prod/kustomization.yaml')).toContain('team: payments');
    expect(plan.findings.filter((f) => f.id === 'kustomize/overlay-translated').map((f) => [f.file, f.line])).toEqual([['prod/kustomization.yaml', 5]]);
  });

  it('a phased plan keeps the OSM objects and their patches until the lock-down, and every phase\'s tree builds', () => {
    const phases = migrate(FILES, { strategy: 'phased' }).phases ?? [];
    let tree = new Map(FILES);
    for (const phase of phases) {
      tree = applyChanges(tree, phase.files);
      for (const dir of kustomizationDirs(FILES)) expect(kustomizeBuild(tree, dir), `${phase.id} ${dir}`).toMatchObject({ ok: true });
      if (phase === phases.at(-1)) continue;
      const prod = built(tree, 'prod');
      expect(prod.find((o) => o['kind'] === 'IngressBackend')?.['spec'], phase.id).toMatchObject({ sources: [{ kind: 'IPRange', name: '10.1.0.0/16' }] });
      expect(tree.get('prod/kustomization.yaml'), phase.id).toContain('- ingress-patch.yaml');
    }
    expect(networks(built(tree, 'prod'))).toEqual([[{ cidr: '10.1.0.0/16' }]]);
  });

  it('a phased plan says that the overlay waits for the lock-down and is not verified per phase; forklift does not', () => {
    const phased = migrate(FILES, { strategy: 'phased' });
    const waits = phased.findings.filter((f) => f.id === 'phases/overlay-at-lock-down');
    // One per overlay patch that got a Linkerd patch, on the OSM patch (where kustomize/overlay-translated is).
    const translated = phased.findings.filter((f) => f.id === 'kustomize/overlay-translated');
    expect(waits.map((f) => [f.file, f.line, f.severity])).toEqual(translated.map((f) => [f.file, f.line, 'warning']));
    expect(waits.length).toBeGreaterThan(1);
    for (const w of waits) expect(w.message).toMatch(/its Linkerd patch \([^)]+\.linkerd\.yaml\) is written in the lock-down phase only/);
    expect(migrate(FILES).findings.some((f) => f.id === 'phases/overlay-at-lock-down')).toBe(false);
  });
});

describe('a patch that sets OSM keys on a non-OSM object is translated in the patch', () => {
  const files = repo({
    ...BASE,
    'base/namespace.yaml': namespace({ name: 'shop' }),
    'prod/kustomization.yaml': `
      resources:
        - ../base
      patches:
        - path: mesh-namespace.yaml
    `,
    // The overlay meshes the namespace its base leaves alone (what `osm namespace add` writes).
    'prod/mesh-namespace.yaml': namespace({ name: 'shop', monitoredBy: 'osm', injection: 'enabled' }),
  });

  it('the OSM annotation is rewritten on its own line of the patch, and the overlay builds a Linkerd-injected namespace', () => {
    const plan = migrate(files);
    const after = applyChanges(files, plan.files);
    const patch = plan.files.find((f) => f.path === 'prod/mesh-namespace.yaml');
    expect(patch?.action).toBe('modify');
    expect(patch?.content).toContain('linkerd.io/inject: enabled');
    expect(patch?.content).not.toContain('openservicemesh.io/sidecar-injection');
    for (const dir of kustomizationDirs(files)) expect(kustomizeBuild(after, dir), dir).toMatchObject({ ok: true });
    const namespace = built(after, 'prod').find((o) => o['kind'] === 'Namespace');
    expect(JSON.stringify(namespace)).not.toContain('openservicemesh.io');
    expect(namespace?.['metadata']).toMatchObject({ annotations: { 'linkerd.io/inject': 'enabled' } });
    // The base namespace is not meshed, in OSM or after.
    expect(after.get('base/namespace.yaml')).toBe(files.get('base/namespace.yaml'));
  });
});

describe('patch targets', () => {
  it('a patch that matches nothing the kustomization builds is reported on its line', () => {
    const files = repo({
      ...BASE,
      'prod/kustomization.yaml': kustomization({ resources: ['../base'], lines: ['patchesStrategicMerge: [patch.yaml]'] }),
      'prod/patch.yaml': ingressBackend({ name: 'api', namespace: 'shop', sources: [] }),
    });
    const found = migrate(files).findings.filter((f) => f.id === 'kustomize/patch-target-missing');
    expect(found.map((f) => [f.file, f.line])).toEqual([['prod/patch.yaml', 1]]);
  });

  it('a base the migration cannot read (a remote one) may hold the target: no finding, and the patch file stays a patch', () => {
    const files = repo({
      'prod/kustomization.yaml': `
        resources:
          - https://github.com/example/shop//base?ref=v1
        patchesStrategicMerge:
          - patch.yaml
      `,
      'prod/patch.yaml': BASE['base/ingress.yaml'],
    });
    const plan = migrate(files);
    expect(plan.findings.filter((f) => f.id.startsWith('kustomize/'))).toEqual([]);
    expect(plan.files.find((f) => f.path === 'prod/patch.yaml')).toBeUndefined();
    expect(plan.resources).toEqual([]);
  });
});

describe('an inline strategic-merge patch of an OSM object, last in its list', () => {
  it('is replaced by its Linkerd patch in one edit, and the overlay builds the narrower range', () => {
    const files = repo({
      ...BASE,
      'prod/kustomization.yaml': `
        resources:
          - ../base
        patchesStrategicMerge:
          - |-
            apiVersion: policy.openservicemesh.io/v1alpha1
            kind: IngressBackend
            metadata:
              name: web
            spec:
              sources:
                - kind: IPRange
                  name: 10.5.0.0/16
      `,
    });
    const plan = migrate(files);
    const after = applyChanges(files, plan.files);
    expect(after.get('prod/kustomization.yaml')).toBe('resources:\n  - ../base\npatchesStrategicMerge:\n  - kustomization-patchesStrategicMerge-1.linkerd.yaml\n');
    expect(networks(built(after, 'prod'))).toEqual([[{ cidr: '10.5.0.0/16' }]]);
  });
});
