import { describe, expect, it } from 'vitest';
import { EXAMPLES, readTree } from '../../../test/support/shared.ts';
import { migrate } from '../migrate.ts';
import { parseAllDocuments } from 'yaml';
import { renderCheckRun } from './check-run.ts';
import { PULL_REQUEST_BODY_LIMIT, renderPullRequest } from './pull-request.ts';

const context = { lineUrl: (path: string, line: number) => `https://example.test/${path}#L${line}`, commandHelp: '### Talk to osm2linkerd' };
const plan = migrate(readTree(`${EXAMPLES}bookstore`));

describe('renderPullRequest', () => {
  it('has the found table, the changes, the findings with links, the strategy checklist, the verify result and the commands', () => {
    const { title, body } = renderPullRequest(plan, context);
    expect(title).toBe('Migrate from Open Service Mesh to Linkerd 2.20');
    expect(body).toContain('| TrafficTarget | 3 | 3 | 0 |');
    expect(body).toContain('adds `bookstore/traffic-access.linkerd.yaml`');
    expect(body).toMatch(/\[bookstore\/bookstore-v1\.yaml:\d+\]\(<https:\/\/example\.test\/bookstore\/bookstore-v1\.yaml#L\d+>\)/);
    expect(body).toContain('- [ ] Set the node network CIDRs for kubelet probes');
    expect(body).toContain('- [ ] Plan the restart right after merging, of every kind of workload (Deployments, StatefulSets and DaemonSets): `kubectl rollout restart deployment,statefulset,daemonset -n bookbuyer`');
    expect(body).toContain(`${plan.summary.verification.requests} requests`);
    expect(body).toContain('### Talk to osm2linkerd');
  });

  it('stays under GitHub\'s limit (with room for the state block) however many findings there are', () => {
    const many = { ...plan, findings: Array.from({ length: 5_000 }, (_, i) => ({ ...plan.findings[0], line: i + 1 })) } as typeof plan;
    const { body } = renderPullRequest(many, context);
    expect(body.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT - 4_096);
    expect(body).toMatch(/…and \d+ more findings that do not fit here/);
    expect(body).toContain('### Migration strategy');
  });

  it('leads with the access changes: the pairs OSM allowed that this PR denies first, each under what explains it', () => {
    const { body } = renderPullRequest(plan, context);
    const headings = [...body.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings.slice(0, 4)).toEqual(['Access changes', 'Before you merge', 'Who may call whom after merging', 'Findings']);
    const access = body.slice(body.indexOf('### Access changes'), body.indexOf('### Before you merge'));
    expect(access).toContain('**2 denied after merging** that OSM allowed, 12 allowed after merging');
    const denied = access.indexOf('🛑 **Allowed before, denied after**: Ingress controller Service not in the repository');
    expect(denied).toBeGreaterThan(0);
    expect(access.indexOf('- `ingress:service/ingress-nginx/ingress-nginx-controller` → `bookstore/bookstore-v1:14001` (244 requests')).toBeGreaterThan(denied);
    expect(access.indexOf('⚠️ **Denied before, allowed after**: Probe paths reachable without authentication')).toBeGreaterThan(denied);
    // One line per pair whose verdict changes, never a bare count.
    expect(access.match(/^- `/gm)).toHaveLength(plan.verification.accessChanges.length);
  });

  it('lists before merging only the steps the findings call for, with the identity to create as a YAML block', () => {
    const { body } = renderPullRequest(plan, context);
    const steps = body.slice(body.indexOf('### Before you merge'), body.indexOf('### Findings'));
    expect(steps).toContain('- [ ] Mesh the ingress controller behind `Service/ingress-nginx/ingress-nginx-controller`');
    expect(steps).toContain('- [ ] Create the missing identity for `IngressBackend/bookstore/bookstore-external-access`');
    expect(steps).toContain('- [ ] Set the node network CIDRs for kubelet probes');
    expect(steps).not.toContain('kubectl annotate namespace');
    const blocks = [...steps.matchAll(/^ {2}```yaml\n([\s\S]*?)\n {2}```$/gm)].map((m) => m[1]?.replace(/^ {2}/gm, '') ?? '');
    expect(blocks).toHaveLength(1);
    const [identity] = parseAllDocuments(blocks[0] ?? '');
    expect(identity?.errors).toEqual([]);
    expect(identity?.toJS()).toMatchObject({ kind: 'MeshTLSAuthentication', metadata: { name: 'ingress-nginx-controller-identity', namespace: 'bookstore' } });
    // A repository whose pods were meshed outside Git gets the annotate step for exactly those namespaces.
    const outside = { ...plan, findings: [...plan.findings, { ...plan.findings[0], id: 'injection/namespace-inject-outside-git', resource: 'Deployment/shop/web' }] } as typeof plan;
    expect(renderPullRequest(outside, context).body).toContain('`kubectl annotate namespace shop linkerd.io/inject=enabled`');
  });

  it('collapses the notes into one counted line per finding id', () => {
    const { body } = renderPullRequest(plan, context);
    const notes = body.slice(body.indexOf('ℹ️ Notes'));
    expect(notes).toContain('[`injection/annotation-rewritten`](https://github.com/osm2linkerd/osm2linkerd/blob/main/docs/findings.md#injectionannotation-rewritten) ×4: ');
    expect(notes.match(/`injection\/annotation-rewritten`/g)).toHaveLength(1);
  });
});

describe('renderCheckRun', () => {
  it('needs action when merging would cut traffic OSM allowed, fails on errors, stays neutral on other warnings', () => {
    expect(plan.verification.accessChanges.some((c) => c.narrower > 0)).toBe(true);
    expect(renderCheckRun(plan, []).conclusion).toBe('action_required');
    const widerOnly = { ...plan, verification: { ...plan.verification, accessChanges: plan.verification.accessChanges.filter((c) => c.narrower === 0) } };
    expect(renderCheckRun(widerOnly, []).conclusion).toBe('neutral');
    const withError = { ...plan, summary: { ...plan.summary, findings: { ...plan.summary.findings, error: 1 } } };
    expect(renderCheckRun(withError, []).conclusion).toBe('failure');
  });
});
