import { describe, expect, it } from 'vitest';
import { docs, service } from '../../../test/support/manifests.ts';
import { repo } from '../../../test/support/repo.ts';
import { migrate } from '../migrate.ts';
import { loadRepository, MAX_ALIAS_EXPANSIONS } from './load.ts';

const SERVICES = docs(
  service({ name: 'bookstore', namespace: 'bookstore', ports: [{ name: 'http', port: 14001 }] }),
  service({ name: 'bookstore-v1', namespace: 'bookstore', selector: { app: 'bookstore', version: 'v1' }, ports: [{ name: 'http', port: 14001 }] }),
  service({ name: 'bookstore-v2', namespace: 'bookstore', selector: { app: 'bookstore', version: 'v2' }, ports: [{ name: 'http', port: 14001 }] }),
);

function splitWithWeight(weight: string): string {
  return `${SERVICES}---
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: bookstore-split, namespace: bookstore}
spec:
  service: bookstore
  backends:
  - service: bookstore-v1
    weight: ${weight}
  - service: bookstore-v2
    weight: 50
`;
}

describe('hostile numbers in OSM fields', () => {
  it.each(['.inf', '-.inf', '.nan', '1e308', '-50', '99999999999999999999'])('TrafficSplit weight %s: no stack overflow, an error at the line', (weight) => {
    const files = repo({ 'split.yaml': splitWithWeight(weight) });
    const line = (files.get('split.yaml') ?? '').split('\n').indexOf(`    weight: ${weight}`) + 1;
    const plan = migrate(files);
    const invalid = plan.findings.filter((f) => f.id === 'load/invalid-number');
    expect(line).toBeGreaterThan(1);
    expect(invalid).toEqual([expect.objectContaining({ file: 'split.yaml', line, resource: 'TrafficSplit/bookstore/bookstore-split' })]);
    expect(invalid[0]?.message).toContain('spec.backends[0].weight');
  });

  it('any non-finite, negative or absurd number in any OSM kind is a finding with its line; sane ones are not', () => {
    const load = loadRepository(repo({
      'uts.yaml': `
        apiVersion: policy.openservicemesh.io/v1alpha1
        kind: UpstreamTrafficSetting
        metadata: {name: u, namespace: n}
        spec:
          host: a.n.svc.cluster.local
          connectionSettings:
            tcp: {maxConnections: -1, connectTimeout: 5s}
            http: {maxRequests: 100, maxRetries: .nan}
          rateLimit:
            local:
              tcp: {connections: 4294967296}
        `,
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, namespace: n}
        spec: {replicas: -1}
        `,
    }));
    expect(load.findings.map((f) => [f.id, f.file, f.line])).toEqual([
      ['load/invalid-number', 'uts.yaml', 7], ['load/invalid-number', 'uts.yaml', 8], ['load/invalid-number', 'uts.yaml', 11],
    ]);
  });
});

describe('YAML aliases and merge keys', () => {
  it('a Deployment with 149 *env references loads', () => {
    const containers = Array.from({ length: 149 }, (_, i) => `      - {name: c${i}, image: x, env: *env}`).join('\n');
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: n}\nspec:\n  template:\n    metadata:\n      annotations: {openservicemesh.io/sidecar-injection: enabled}\n    spec:\n      initContainers:\n      - {name: init, image: x, env: &env [{name: A, value: a}]}\n      containers:\n${containers}\n`;
    const load = loadRepository(new Map([['d.yaml', text]]));
    expect(load.findings).toEqual([]);
    expect(load.documents).toHaveLength(1);
  });

  it('an alias bomb stops at the limit with a finding, and the rest of the file still loads', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(',')}]`);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: fine}\n`;
    const load = loadRepository(new Map([['bomb.yaml', text]]));
    expect(load.findings.map((f) => [f.id, f.line])).toEqual([['load/alias-limit', 1]]);
    expect(load.findings[0]?.message).toContain(String(MAX_ALIAS_EXPANSIONS));
    expect(load.documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['Namespace']);
  });

  it('OSM annotations brought in through a merge key (<<) are seen', () => {
    const plan = migrate(repo({
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          selector: {matchLabels: {app: api}}
          template:
            metadata:
              labels: {app: api}
              annotations:
                <<: &mesh {openservicemesh.io/sidecar-injection: enabled}
                team: payments
            spec:
              containers: [{name: api, image: x}]
        `,
    }));
    // Seen and translated; the key lives in the anchor, so the lossless editor cannot rewrite it and says so.
    expect(plan.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['injection/annotation-rewritten', 'plan/edit-failed']));
    expect(plan.findings.map((f) => f.id)).not.toContain('load/yaml-syntax-error');
  });
});
