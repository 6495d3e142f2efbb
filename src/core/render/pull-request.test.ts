import { describe, expect, it } from 'vitest';
import { EXAMPLES, readTree } from '../../../test/support/shared.ts';
import { migrate } from '../migrate.ts';
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
    expect(body).toContain('- [ ] Restart the workloads of `bookbuyer`, `bookstore`, `bookwarehouse`');
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
});
