import { describe, expect, it } from 'vitest';
import { globToRegExp, migrate } from './migrate.ts';
import { MAX_MATCHES_PER_DESTINATION } from './osm/access-model.ts';
import { samplePaths } from './primitives/regex-samples.ts';
import { trafficTarget } from '../../test/support/manifests.ts';

/**
 * Hostile inputs that used to hang or exhaust memory. Each test asserts that the work completes and what it yields;
 * none measures time (that is `npm run bench`'s job), but each used to take minutes, so a regression shows as a timeout.
 */

const DESTINATION = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ns}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}, annotations: {openservicemesh.io/sidecar-injection: enabled}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: x, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: ns}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 80}]}
`;

function routes(matches: readonly { name: string; pathRegex: string }[]): string {
  return `${DESTINATION}---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: routes, namespace: ns}
spec:
  matches:
${matches.map((m) => `  - {name: ${m.name}, pathRegex: '${m.pathRegex}', methods: [GET]}`).join('\n')}
---
${trafficTarget({ name: 'tt', namespace: 'ns', destination: 'api', rules: [{ name: 'routes', matches: matches.map((m) => m.name) }], sources: ['web'] })}`;
}

describe('bounded time and memory on hostile input', () => {
  it('a 50 KB pathRegex is sampled (a few variants per node, not one per character)', () => {
    const regex = `/${'[ab]x'.repeat(10_000)}`;
    expect(regex.length).toBeGreaterThan(50_000);
    const { matching, nearMisses } = samplePaths(regex);
    expect(matching.length).toBeGreaterThan(0);
    expect(nearMisses.length).toBeGreaterThan(0);
    const plan = migrate(new Map([['a.yaml', routes([{ name: 'long', pathRegex: regex }])]]));
    expect(plan.summary.verification.requests).toBeGreaterThan(0);
    expect(plan.findings.map((f) => f.id)).not.toContain('verify/uncovered-difference');
  }, 60_000);

  it('5,000 matches for one destination stop at the limit, with a finding that says so', () => {
    const matches = Array.from({ length: 5_000 }, (_, i) => ({ name: `m${i}`, pathRegex: `/p${i}/.*` }));
    const plan = migrate(new Map([['a.yaml', routes(matches)]]));
    const limit = plan.findings.filter((f) => f.id === 'traffic-target/too-many-matches');
    expect(limit).toHaveLength(1);
    expect(limit[0]?.message).toContain(`${5_000 - MAX_MATCHES_PER_DESTINATION} of TrafficTarget/ns/tt were not translated`);
    expect(plan.findings.map((f) => f.id)).not.toContain('verify/uncovered-difference');
  }, 120_000);

  it('an --exclude glob like **a**a…**b on a 60-character path is matched in linear time', () => {
    const glob = globToRegExp(`${'**a'.repeat(40)}**b`);
    expect(glob.test('a'.repeat(60))).toBe(false);
    expect(glob.test(`${'a'.repeat(30)}b`)).toBe(false);
    expect(glob.test(`${'a/'.repeat(40)}b`)).toBe(true);
    const plan = migrate(new Map([[`${'a'.repeat(60)}.yaml`, DESTINATION]]), { exclude: [`${'**a'.repeat(40)}**b`] });
    expect(plan.summary.osmObjects).toBe(0);
    expect(plan.files.length).toBeGreaterThan(0);
  });

  it('one 1 MiB file with 8,122 meshed Namespaces is migrated (edits applied in one pass)', () => {
    const text = Array.from({ length: 8_122 }, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${i}\n  annotations: {openservicemesh.io/sidecar-injection: enabled}\n`).join('---\n');
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text.length).toBeLessThanOrEqual(1024 * 1024);
    const plan = migrate(new Map([['namespaces.yaml', text]]));
    const content = plan.files.find((f) => f.path === 'namespaces.yaml')?.content ?? '';
    expect(content.match(/linkerd\.io\/inject: enabled/g)).toHaveLength(8_122);
    expect(content).not.toContain('openservicemesh.io');
  }, 120_000);
});
