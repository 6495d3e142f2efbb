import type { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { createApp, type Osm2LinkerdApp } from '../../src/github/app.ts';
import { memoryProbot } from '../../src/github/dry-run.ts';
import { MemoryGitHub } from '../../src/github/memory/memory-github.ts';
import { readState, writeState } from '../../src/github/state.ts';
import { installationCreated } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

const BRANCH = 'osm2linkerd/migrate';
const bookstore = () => Object.fromEntries(readTree(`${EXAMPLES}bookstore`));

/** An app replica with its own embedded queue (and so its own record of translated heads) on `github`. */
async function replica(github: MemoryGitHub): Promise<{ probot: Probot; app: Osm2LinkerdApp }> {
  const probot = memoryProbot(github, undefined, 'fatal');
  const app = createApp();
  await probot.load(app.appFn);
  return { probot, app };
}

/** The reconcile's requests after the installation listing: `GET /repos/…` paths by kind. */
function reconcileRequests(github: MemoryGitHub, from: number): { branches: string[]; pulls: string[]; other: string[] } {
  const seen = github.requests.slice(from).filter((r) => !r.path.endsWith('/access_tokens')).map((r) => `${r.method} ${r.path}`);
  return {
    branches: seen.filter((r) => /\/branches\//.test(r)),
    pulls: seen.filter((r) => /\/pulls$/.test(r)),
    other: seen.filter((r) => !/\/branches\/|\/pulls$/.test(r)),
  };
}

describe('reconcile: what the app translated is read from its pull requests\' hidden state', () => {
  it('records the translated base in the state; a replica with no record of its own queues only heads not translated, at one branch read and one PR listing per repository', async () => {
    const github = new MemoryGitHub();
    const repos = Array.from({ length: 3 }, (_, i) => github.addRepository('acme', `mesh-${i}`, bookstore()));
    const first = await replica(github);
    await first.probot.receive({ id: 'install-1', name: 'installation', payload: installationCreated(...repos).payload } as Parameters<Probot['receive']>[0]);
    await first.app.idle();
    for (const repo of repos) expect(readState(repo.pulls[0]?.body ?? '').base).toBe(repo.headOf('main'));

    // A person pushes to mesh-1; in another repository a person's PR from the app's branch name carries a copied state block.
    repos[1]?.commitFiles('main', { 'bookstore/extra.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n' }, 'octocat');
    const forged = github.addRepository('acme', 'forged', bookstore());
    forged.pulls.push({
      number: 1, state: 'closed', merged: false, title: 'mine', body: writeState('copied', { choices: {}, output: 'x', base: forged.headOf('main') ?? '' }),
      head: BRANCH, base: 'main', draft: false, labels: [], reviewers: [], createdAt: 0, author: 'mallory',
    });

    // The queue's record of translated heads is another replica's (a new Redis, or the embedded queue restarted).
    const second = await replica(github);
    const before = github.requests.length;
    expect(await second.app.reconcile()).toBe(2);
    const spent = reconcileRequests(github, before);
    expect(spent.branches).toHaveLength(4);
    expect(spent.pulls).toHaveLength(4);
    expect(spent.other).toEqual(['GET /app/installations', 'GET /app', 'GET /installation/repositories']);
    await second.app.idle();
    expect(repos[1]?.filesOn(BRANCH).get('bookstore/extra.yaml')).toContain('linkerd.io/inject');
    // The person's PR did not count as translated: the repository was scanned and has the app's own PR now.
    expect(forged.pulls.filter((p) => p.author === undefined)).toHaveLength(1);

    // Now every head is recorded (from the state, or by the run that translated it): branch reads only.
    const again = github.requests.length;
    expect(await second.app.reconcile()).toBe(0);
    expect(reconcileRequests(github, again).pulls).toEqual([]);
    expect(reconcileRequests(github, again).branches).toHaveLength(4);
  });
});
