import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/github/app.ts';
import { memoryProbot } from '../../src/github/dry-run.ts';
import { MemoryGitHub, type MemoryRepository } from '../../src/github/memory/memory-github.ts';
import { BOT_LOGIN } from '../../src/github/memory/memory-github.ts';
import { harness, installationCreated, pushToDefault, type WebhookEvent } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

/**
 * Replicas: separate app instances (own queue, delivery log, caches) in front of one GitHub whose answers take a
 * few milliseconds, in a seeded random order, so the replicas' requests interleave as they would over a network.
 */
async function replicas(count: number, seed = 1) {
  const github = new MemoryGitHub();
  const repo = github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
  let state = seed;
  const jitter = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % 4;
  };
  const serve = github.fetch;
  Object.defineProperty(github, 'fetch', {
    value: async (input: string | URL | Request, init?: RequestInit) => {
      await new Promise((done) => setTimeout(done, jitter()));
      return serve(input, init);
    },
  });
  const apps = await Promise.all(Array.from({ length: count }, async () => {
    const probot = memoryProbot(github, undefined, 'fatal');
    const app = createApp();
    await probot.load(app.appFn);
    return { probot, app };
  }));
  let n = 0;
  const deliver = async (events: readonly WebhookEvent[]) => {
    await Promise.all(events.map((e, i) => apps[i % count]?.probot.receive({ id: e.id ?? `d-${++n}`, name: e.name, payload: e.payload } as never)));
    await Promise.all(apps.map((a) => a.app.idle()));
  };
  return { github, repo, apps, deliver };
}

/** What must hold once however many replicas raced: [PRs, refs, reviews, duplicate comments, heads with ≠1 check run, head checked]. */
function effects(repo: MemoryRepository): unknown[] {
  const fingerprints = repo.reviewComments.map((c) => /fp=(\S+)/.exec(c.body)?.[1]);
  const perHead = new Map<string, number>();
  for (const run of repo.checkRuns) perHead.set(run.headSha, (perHead.get(run.headSha) ?? 0) + 1);
  return [repo.pulls.length, [...repo.refs.keys()].sort(), repo.reviews.length, fingerprints.length > 0 ? fingerprints.length - new Set(fingerprints).size : 'no comments',
    [...perHead.values()].filter((count) => count !== 1).length, perHead.has(repo.headOf('osm2linkerd/migrate') ?? '')];
}

const ONCE = [1, ['main', 'osm2linkerd/migrate'], 1, 0, 0, true];

describe('two replicas racing on one repository', () => {
  it.each([1, 2, 3])('the installation and the same push ×10 spread over two replicas: 1 branch, 1 PR, 1 review, 0 duplicate comments, 1 check run per head (seed %i)', async (seed) => {
    const { repo, deliver } = await replicas(2, seed);
    await deliver([installationCreated(repo), installationCreated(repo), ...Array.from({ length: 10 }, () => pushToDefault(repo))]);
    expect(effects(repo)).toEqual(ONCE);
  });

  it.each([1, 2])('a later change pushed to both replicas at once moves the head once and posts its check once (seed %i)', async (seed) => {
    const { repo, deliver } = await replicas(2, seed);
    await deliver([installationCreated(repo)]);
    repo.commitFiles('main', { 'extra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n' }, 'octocat');
    await deliver(Array.from({ length: 6 }, () => pushToDefault(repo, ['extra/namespace.yaml'])));
    expect(effects(repo)).toEqual(ONCE);
  });

  it('lost answers while racing (review, check run) are found again, not posted twice', async () => {
    const { github, repo, deliver } = await replicas(2);
    github.fail({ method: 'POST', path: /\/reviews$/, status: 502, afterApplying: true });
    github.fail({ method: 'POST', path: /\/check-runs$/, status: 502, afterApplying: true });
    await deliver([installationCreated(repo), pushToDefault(repo), pushToDefault(repo), installationCreated(repo)]);
    expect(github.requests.filter((r) => r.status === 502)).toHaveLength(2);
    expect(effects(repo)).toEqual(ONCE);
  });

  it('a run whose branch create finds another run\'s commit with the same tree leaves the PR, review and check to that run', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
    h.github.beforeRequest = (_method, path, body) => {
      if (path !== '/graphql' || !String(body.query).startsWith('mutation Osm2linkerdCreateBranchWithCommit') || repo.headOf('osm2linkerd/migrate')) return;
      // The other replica got there first: its commit has the tree this run is about to push (the base and its changes).
      const { base, changes } = body.variables as { base: string; changes: { additions: { path: string; contents: string }[]; deletions: { path: string }[] } };
      const files = new Map(repo.git.filesAt(base));
      for (const a of changes.additions) files.set(a.path, repo.git.blob(Buffer.from(a.contents, 'base64').toString('utf8')));
      for (const d of changes.deletions) files.delete(d.path);
      repo.refs.set('osm2linkerd/migrate', repo.git.commit(repo.git.tree(files), [base], 'Migrate from Open Service Mesh to Linkerd', BOT_LOGIN, 'web-flow', true));
    };
    await h.deliver(installationCreated(repo));
    expect(h.app.outcomes.at(-1)).toMatchObject({ status: 'unchanged', detail: expect.stringContaining('another run pushed osm2linkerd/migrate first') });
    expect([repo.pulls.length, repo.reviews.length, repo.checkRuns.length]).toEqual([0, 0, 0]);
  });

  it('a run that lost the race to open the PR from a head it did not push leaves the review and check to the winner', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
    await h.deliver(installationCreated(repo));
    const [pull] = repo.pulls.splice(0);
    repo.reviews.length = 0;
    repo.reviewComments.length = 0;
    repo.checkRuns.length = 0;
    h.github.beforeRequest = (method, path) => {
      if (method === 'POST' && path.endsWith('/pulls') && pull && repo.pulls.length === 0) repo.pulls.push(pull);
    };
    await h.deliver(pushToDefault(repo));
    expect(h.app.outcomes.at(-1)).toMatchObject({ status: 'unchanged', detail: 'another run opened PR #1 first; it publishes the review and check' });
    expect([repo.pulls.length, repo.reviews.length, repo.checkRuns.length]).toEqual([1, 0, 0]);
  });
});
