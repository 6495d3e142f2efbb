import Bottleneck from 'bottleneck';
import { describe, expect, it } from 'vitest';
import type { MemoryGitHub } from '../../src/github/memory/memory-github.ts';
import { harness, installationCreated, pushToDefault, type Harness } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

/** Octokit's retry and throttling plugins as in production, with the waits shrunk to milliseconds. */
const FAST_RETRIES = {
  retry: { retryAfterBaseValue: 1 },
  throttle: {
    retryAfterBaseValue: 1,
    fallbackSecondaryRateRetryAfter: 1,
    global: new Bottleneck.Group({ maxConcurrent: 10, minTime: 0 }),
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
  },
};

/** The requests of a first scan (GraphQL documents by operation name), in order. */
const STEPS: [string, string, RegExp, string?][] = [
  ['read the default branch, config and PR', 'POST', /^\/graphql$/, 'Osm2linkerdSnapshot'],
  ['read the tree', 'GET', /\/git\/trees\//],
  ['read the blobs', 'POST', /^\/graphql$/, 'Osm2linkerdBlobs'],
  ['create the branch and its commit', 'POST', /^\/graphql$/, 'Osm2linkerdCreateBranchWithCommit'],
  ['open the PR', 'POST', /\/pulls$/],
  ['create the check run', 'POST', /\/check-runs$/],
];
/** Steps Octokit repeats on a 5xx: not the branch-and-commit mutation (see below). */
const REPEATED_STEPS = STEPS.filter(([, , , operation]) => operation !== 'Osm2linkerdCreateBranchWithCommit');

async function setup(): Promise<{ h: Harness; github: MemoryGitHub }> {
  const h = await harness(FAST_RETRIES);
  h.github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
  return { h, github: h.github };
}

function expectConverged(github: MemoryGitHub): void {
  const repo = github.repository('acme/mesh');
  expect(repo.pulls).toHaveLength(1);
  expect(repo.pulls[0]?.state).toBe('open');
  expect([...repo.refs.keys()].sort()).toEqual(['main', 'osm2linkerd/migrate']);
  expect(repo.reviews).toHaveLength(1);
  expect(repo.checkRuns.length).toBeGreaterThanOrEqual(1);
}

describe('GitHub failures', () => {
  it.each(REPEATED_STEPS)('a 502 when we %s is retried by Octokit and the run completes', async (_step, method, path, operation) => {
    const { h, github } = await setup();
    github.fail({ method, path, status: 502, message: 'Bad Gateway', ...(operation ? { operation } : {}) });
    await h.deliver(installationCreated(github.repository('acme/mesh')));
    expect(github.requests.filter((r) => r.status === 502)).toHaveLength(1);
    expectConverged(github);
  });

  it('a review GitHub stored but whose answer was lost is not posted twice: the next delivery finds it', async () => {
    const { h, github } = await setup();
    const repo = github.repository('acme/mesh');
    github.fail({ method: 'POST', path: /\/reviews$/, status: 502, afterApplying: true });
    await h.deliver(installationCreated(repo));
    expect(repo.reviews).toHaveLength(1);
    await h.deliver(pushToDefault(repo, ['bookstore/traffic-access.yaml']));
    expectConverged(github);
    const fingerprints = repo.reviewComments.map((c) => /fp=(\S+)/.exec(c.body)?.[1]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('a 502 when we post the review is not repeated blindly: the review is looked up by its marker, then posted once', async () => {
    const { h, github } = await setup();
    const repo = github.repository('acme/mesh');
    github.fail({ method: 'POST', path: /\/reviews$/, status: 502 });
    await h.deliver(installationCreated(repo));
    expect(github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/reviews'))).toHaveLength(1);
    expect(repo.reviews).toHaveLength(1);
    await h.deliver(pushToDefault(repo, ['bookstore/traffic-access.yaml']));
    expectConverged(github);
  });

  it.each([
    ['the review', /\/reviews$/],
    ['the check run', /\/check-runs$/],
    ['the config issue', /\/issues$/],
    ['the blocked note', /\/issues\/\d+\/comments$/],
  ])('%s GitHub stored but whose answer was lost (or timed out) is found by its marker and not created again', async (what, path) => {
    for (const status of [502, 0]) {
      const { h, github } = await setup();
      const repo = github.repository('acme/mesh');
      if (what === 'the config issue') repo.commitFiles('main', { '.github/osm2linkerd.yml': 'strategy: yolo\n' }, 'octocat');
      if (what === 'the blocked note') repo.commitFiles('osm2linkerd/migrate', { 'notes.yaml': 'x: 1\n' }, 'alice', 'early start');
      github.fail({ method: 'POST', path, status, afterApplying: true });
      await h.deliver(installationCreated(repo));
      expect(github.requests.filter((r) => r.status === status && path.test(r.path))).toHaveLength(1);
      const expected = { 'the review': [1, 1, 0, 0], 'the check run': [1, 1, 0, 0], 'the config issue': [0, 0, 1, 0], 'the blocked note': [0, 0, 0, 1] }[what];
      expect([repo.reviews.length, repo.checkRuns.length, repo.issues.length, repo.issueComments.length]).toEqual(expected);
    }
  });

  it('a secondary rate limit (403 with retry-after) is waited out and retried', async () => {
    const { h, github } = await setup();
    github.fail({ method: 'POST', path: /\/pulls$/, status: 403, message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '1' } });
    await h.deliver(installationCreated(github.repository('acme/mesh')));
    expect(github.requests.filter((r) => r.status === 403)).toHaveLength(1);
    expectConverged(github);
  });

  it('a 502 on the branch-and-commit mutation is not repeated by Octokit (a repeat of an applied one would see the branch moved): the next delivery completes the run with one commit', async () => {
    for (const afterApplying of [false, true]) {
      const { h, github } = await setup();
      const repo = github.repository('acme/mesh');
      github.fail({ method: 'POST', path: /^\/graphql$/, operation: 'Osm2linkerdCreateBranchWithCommit', status: 502, afterApplying });
      await h.deliver(installationCreated(repo));
      expect(github.requests.filter((r) => r.status === 502)).toHaveLength(1);
      expect(repo.pulls).toHaveLength(0);
      expect(repo.refs.has('osm2linkerd/migrate')).toBe(afterApplying);
      await h.deliver(pushToDefault(repo, ['bookstore/traffic-access.yaml']));
      expectConverged(github);
      const head = repo.headOf('osm2linkerd/migrate') ?? '';
      expect(repo.git.aheadOf(repo.headOf('main') ?? '', head)).toHaveLength(1);
    }
  });

  it('a connection that times out is retried', async () => {
    const { h, github } = await setup();
    github.fail({ method: 'GET', path: /\/git\/trees\//, status: 0 });
    await h.deliver(installationCreated(github.repository('acme/mesh')));
    expect(github.requests.filter((r) => r.status === 0)).toHaveLength(1);
    expectConverged(github);
  });

  it.each([...STEPS.slice(3), ['post the review', 'POST', /\/reviews$/] as [string, string, RegExp]])('when GitHub keeps failing as we %s, the next delivery converges: no orphan branch, no second PR', async (_step, method, path, operation?: string) => {
    const { h, github } = await setup();
    const repo = github.repository('acme/mesh');
    github.fail({ method, path, status: 500, times: 10, ...(operation ? { operation } : {}) });
    await h.deliver(installationCreated(repo));
    expect(repo.pulls.length).toBeLessThanOrEqual(1);
    github.failures.length = 0;
    await h.deliver(pushToDefault(repo, ['bookstore/traffic-access.yaml']));
    expectConverged(github);
    expect(repo.checkRuns).toHaveLength(1);
  });
});
