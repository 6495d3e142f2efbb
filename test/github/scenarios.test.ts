import { afterEach, describe, expect, it } from 'vitest';
import { BOT_LOGIN, type MemoryRepository } from '../../src/github/memory/memory-github.ts';
import { readState } from '../../src/github/state.ts';
import { commentOnPullRequest, checkRunRerequested, harness, openApiViolations, installationCreated, installationRepositoriesAdded, pushToDefault, type Harness } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

const bookstore = () => Object.fromEntries(readTree(`${EXAMPLES}bookstore`));
const BRANCH = 'osm2linkerd/migrate';
/** A change on the default branch that changes the translation: one more meshed namespace. */
const NEW_NAMESPACE = { 'extra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n  annotations:\n    openservicemesh.io/sidecar-injection: enabled\n' };

// Every request the app made in every scenario is one GitHub's OpenAPI description declares, with a valid body.
afterEach(() => {
  expect(openApiViolations()).toEqual([]);
});

async function installed(files: Record<string, string> = bookstore()): Promise<{ h: Harness; repo: MemoryRepository }> {
  const h = await harness();
  const repo = h.github.addRepository('acme', 'mesh', files);
  await h.deliver(installationCreated(repo));
  return { h, repo };
}

function botCommits(repo: MemoryRepository): number {
  const head = repo.headOf(BRANCH);
  const base = repo.headOf(repo.defaultBranch);
  return head && base ? repo.git.aheadOf(base, head).length : 0;
}

describe('install → one pull request', () => {
  it('opens one PR from osm2linkerd/migrate with the Linkerd resources, one COMMENT review and a check run', async () => {
    const { h, repo } = await installed();
    expect(repo.pulls).toHaveLength(1);
    const pr = repo.pulls[0];
    expect(pr).toMatchObject({ head: BRANCH, base: 'main', state: 'open', labels: ['osm2linkerd'] });
    expect(pr?.title).toBe('Migrate from Open Service Mesh to Linkerd 2.20');
    expect(pr?.body).toContain('| TrafficTarget | 3 | 3 |');
    expect(pr?.body).toContain('### Migration strategy');
    expect(pr?.body).toContain('/osm2linkerd strategy <forklift\\|phased>');
    expect(pr?.body.length).toBeLessThan(65_536);
    const files = repo.filesOn(BRANCH);
    expect(files.get('bookstore/traffic-access.linkerd.yaml')).toContain('kind: AuthorizationPolicy');
    expect(files.has('bookstore/traffic-access.yaml')).toBe(false);
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviews[0]?.event).toBe('COMMENT');
    expect(repo.reviewComments.length).toBeGreaterThan(0);
    for (const c of repo.reviewComments) expect(c.body).toMatch(/<!-- osm2linkerd:finding=\S+ fp=\S+ -->/);
    expect(repo.checkRuns).toHaveLength(1);
    expect(repo.checkRuns[0]).toMatchObject({ name: 'osm2linkerd', headSha: repo.headOf(BRANCH) });
    // The default branch is never written to.
    expect(repo.git.aheadOf(repo.headOf('main') ?? '', repo.headOf('main') ?? '')).toHaveLength(0);
    expect(h.github.mutations().some((m) => m.path.endsWith('/git/refs/heads/main'))).toBe(false);
    expect(h.openApiViolations).toEqual([]);
  });

  it('when GitHub rejects an anchor, the review is still posted once, with the comments listed in its body', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    h.github.fail({ method: 'POST', path: /\/reviews$/, status: 422, message: 'Unprocessable Entity' });
    await h.deliver(installationCreated(repo));
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviewComments).toHaveLength(0);
    expect(repo.reviews[0]?.body).toMatch(/\d+ places \(GitHub could not anchor them on the diff\)/);
    expect(repo.checkRuns).toHaveLength(1);
  });

  it('opens nothing where there is no OSM configuration, and says what it searched', async () => {
    const { h, repo } = await installed({ 'deploy/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n', 'README.md': '# hi\n' });
    expect(repo.pulls).toHaveLength(0);
    expect(h.github.mutations()).toEqual([]);
    expect(h.app.outcomes.at(-1)).toMatchObject({ status: 'no-osm', detail: expect.stringContaining('searched 2 files, read 1 YAML/JSON manifests') });
  });

  it('an installation on many repositories opens their PRs a few at a time', async () => {
    const h = await harness();
    const repos = Array.from({ length: 5 }, (_, i) => h.github.addRepository('acme', `mesh-${i}`, bookstore()));
    await h.deliver(installationCreated(...repos));
    expect(repos.map((r) => r.pulls.length)).toEqual([1, 1, 1, 1, 1]);
    expect(h.app.perInstallation.highWater).toBe(2);
  });

  it('reads the config with the default branch, in the run\'s first query (no request of its own)', async () => {
    const { h, repo } = await installed({ ...bookstore(), '.github/osm2linkerd.yml': 'labels: [mesh]\n' });
    repo.permissions.set('octocat', 'write');
    await h.deliver(commentOnPullRequest(repo, 1, 'octocat', '/osm2linkerd rescan'));
    expect(repo.pulls[0]?.labels).toEqual(['mesh']);
    expect(h.github.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
  });

  it('scans repositories added to an installation', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'later', bookstore());
    await h.deliver(installationRepositoriesAdded(repo));
    expect(repo.pulls).toHaveLength(1);
  });
});

describe('idempotency', () => {
  it('the same delivery ten times gives one PR and one review', async () => {
    const { h, repo } = await installed();
    const push = { ...pushToDefault(repo), id: 'same-delivery' };
    await Promise.all(Array.from({ length: 10 }, () => h.deliver(push)));
    expect(repo.pulls).toHaveLength(1);
    expect(repo.reviews).toHaveLength(1);
    expect(repo.checkRuns).toHaveLength(1);
  });

  it('a push and a command at once, before any PR exists, give one PR and no duplicate comments', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    await Promise.all([h.deliver(installationCreated(repo)), h.deliver(pushToDefault(repo)), h.deliver(installationCreated(repo))]);
    expect(repo.pulls).toHaveLength(1);
    expect(repo.reviews).toHaveLength(1);
    const fingerprints = repo.reviewComments.map((c) => /fp=(\S+)/.exec(c.body)?.[1]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('a push that does not change the translation pushes nothing and posts nothing', async () => {
    const { h, repo } = await installed();
    const before = h.github.mutations().length;
    repo.commitFiles('main', { 'docs/notes.yaml': 'notes: unrelated\n' }, 'octocat');
    await h.deliver(pushToDefault(repo, ['docs/notes.yaml']));
    // The translation is the same: the branch is not rebuilt just because it is behind, and nothing is written.
    expect(h.github.mutations().slice(before)).toEqual([]);
    expect(h.app.outcomes.at(-1)?.status).toBe('unchanged');
  });

  it('a push that touches no manifest is not even scanned', async () => {
    const { h, repo } = await installed();
    const before = h.github.requests.length;
    await h.deliver(pushToDefault(repo, ['README.md', 'src/main.go']));
    expect(h.github.requests.length).toBe(before);
  });
});

describe('never overwrite a human', () => {
  it('a commit by a person on the bot branch stops updates; push to main does not clobber it; one note offers recreate', async () => {
    const { h, repo } = await installed();
    const human = repo.commitFiles(BRANCH, { 'bookstore/traffic-access.linkerd.yaml': '# tuned by hand\n' }, 'alice', 'hand tuning');
    repo.commitFiles('main', NEW_NAMESPACE, 'octocat');
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    expect(repo.headOf(BRANCH)).toBe(human);
    const notes = repo.issueComments.filter((c) => c.body.includes('osm2linkerd:blocked'));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('/osm2linkerd recreate');
    expect(h.app.outcomes.at(-1)?.status).toBe('blocked');

    repo.permissions.set('alice', 'write');
    await h.deliver(commentOnPullRequest(repo, 1, 'alice', '/osm2linkerd recreate'));
    expect(repo.headOf(BRANCH)).not.toBe(human);
    expect(repo.git.ancestors(repo.headOf(BRANCH) ?? '').has(human)).toBe(false);
    const result = repo.issueComments.find((c) => c.body.includes('osm2linkerd:result'));
    expect(result?.body).toContain(`${human.slice(0, 7)} by alice: hand tuning`);
  });

  it('appends with a non-forced update when the base did not move', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('octocat', 'write');
    await h.deliver(commentOnPullRequest(repo, 1, 'octocat', '/osm2linkerd target linkerd 2.16'));
    const update = h.github.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/git/refs/')).at(-1);
    expect(update?.body).toMatchObject({ force: false });
    expect(botCommits(repo)).toBe(2);
  });
});

describe('never overwrite a human: the edge cases', () => {
  it('rebuilds on a moved default branch with a fast-forward (parents: branch head and new base), never a force push', async () => {
    const { h, repo } = await installed();
    const before = repo.headOf(BRANCH) ?? '';
    repo.commitFiles('main', NEW_NAMESPACE, 'octocat');
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    const update = h.github.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/git/refs/')).at(-1);
    expect(update?.body).toMatchObject({ force: false });
    const head = repo.git.commits.get(repo.headOf(BRANCH) ?? '');
    expect(head?.parents).toEqual([before, repo.headOf('main')]);
    expect(repo.patches(repo.pulls[0] ?? ({} as never)).has('extra/namespace.yaml')).toBe(true);
  });

  it('a person pushing between our read of the branch and our update keeps their commit (the update is refused)', async () => {
    const { h, repo } = await installed();
    repo.commitFiles('main', NEW_NAMESPACE, 'octocat');
    let human = '';
    h.github.beforeRequest = (method, path) => {
      if (method === 'PATCH' && path.includes('/git/refs/') && !human) human = repo.commitFiles(BRANCH, { 'notes.yaml': 'x: 1\n' }, 'alice', 'racing');
    };
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    h.github.beforeRequest = undefined;
    expect(repo.headOf(BRANCH)).toBe(human);
    await h.deliver({ ...pushToDefault(repo, Object.keys(NEW_NAMESPACE)), id: 'again' });
    expect(repo.headOf(BRANCH)).toBe(human);
    expect(h.app.outcomes.at(-1)?.status).toBe('blocked');
  });

  it('after a merge, the branch (with a reviewer\'s commit in it) is reset for the next migration PR', async () => {
    const { h, repo } = await installed();
    repo.commitFiles(BRANCH, { 'notes.yaml': 'reviewed: true\n' }, 'alice', 'review fix-up');
    const pr = repo.pulls[0];
    if (pr) {
      pr.state = 'closed';
      pr.merged = true;
    }
    repo.commitFiles('main', Object.fromEntries([...repo.filesOn(BRANCH)]), 'octocat', 'squash merge');
    repo.commitFiles('main', NEW_NAMESPACE, 'octocat');
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    expect(h.app.outcomes.at(-1)?.status).toBe('opened');
    expect(repo.pulls).toHaveLength(2);
  });

  it('a branch with a person\'s commit and no open PR gets the PR opened, with the note offering recreate', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    repo.commitFiles(BRANCH, { 'notes.yaml': 'x: 1\n' }, 'alice', 'early start');
    await h.deliver(installationCreated(repo));
    expect(repo.pulls).toHaveLength(1);
    expect(repo.issueComments.filter((c) => c.body.includes('osm2linkerd:blocked'))).toHaveLength(1);
    expect(repo.git.commits.get(repo.headOf(BRANCH) ?? '')?.author).toBe('alice');
  });
});

describe('slash commands', () => {
  it('a reader is refused with a 👎 and nothing else: one read, no result comment, no change', async () => {
    const { h, repo } = await installed();
    const head = repo.headOf(BRANCH);
    repo.permissions.set('mallory', 'read');
    const before = h.github.requests.length;
    for (const [i, command] of ['/osm2linkerd split trafficsplit', '/osm2linkerd help', '/osm2linkerd resacn'].entries()) {
      await h.deliver(commentOnPullRequest(repo, 1, 'mallory', command, 100 + i));
    }
    expect(repo.headOf(BRANCH)).toBe(head);
    expect(repo.reactions).toEqual([100, 101, 102].map((commentId) => ({ commentId, content: '-1' })));
    expect(repo.issueComments.filter((c) => c.body.includes('osm2linkerd:result'))).toEqual([]);
    const asked = h.github.requests.slice(before).filter((r) => !r.path.endsWith('/access_tokens'));
    expect(asked.map((r) => `${r.method} ${r.path}`)).toEqual([0, 1, 2].flatMap((i) => ['GET /repos/acme/mesh/collaborators/mallory/permission', `POST /repos/acme/mesh/issues/comments/${100 + i}/reactions`]));
    expect(readState(repo.pulls[0]?.body ?? '').choices).toEqual({});
  });

  it('a person\'s PR is not the app\'s: a copied state block from a same-named fork branch, or opened by a person', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('octocat', 'write');
    const copied = repo.pulls[0]?.body ?? '';
    repo.refs.set('evil/migrate', repo.headOf(BRANCH) ?? '');
    const fork = { ...(repo.pulls[0] ?? ({} as never)), number: 50, head: BRANCH, headRepository: 'mallory/mesh', author: 'mallory', body: copied, createdAt: 50 };
    const person = { ...fork, number: 51, head: 'evil/migrate', headRepository: undefined, author: 'mallory', createdAt: 51 };
    const forkAsBot = { ...fork, number: 52, author: undefined, createdAt: 52 };
    repo.pulls.push(fork, person, forkAsBot);
    const before = h.github.mutations().length;
    for (const n of [50, 51, 52]) await h.deliver(commentOnPullRequest(repo, n, 'octocat', '/osm2linkerd rescan'));
    expect(h.github.mutations().slice(before)).toEqual([]);
    // The app's own PR is found as before, and a later scan does not adopt the person's PRs.
    repo.commitFiles('main', NEW_NAMESPACE, 'octocat');
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    expect(h.app.outcomes.at(-1)).toMatchObject({ status: 'updated', pullRequest: 1 });
    expect([50, 51, 52].map((n) => repo.pulls.find((p) => p.number === n)?.body)).toEqual([copied, copied, copied]);
  });

  it('`/osm2linkerd split trafficsplit` updates the PR, persists the choice, and a later rescan keeps it', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('octocat', 'maintain');
    await h.deliver(commentOnPullRequest(repo, 1, 'octocat', '/osm2linkerd split trafficsplit'));
    expect(repo.reactions).toEqual([{ commentId: 9001, content: 'eyes' }]);
    expect(repo.filesOn(BRANCH).get('bookstore/traffic-split.linkerd.yaml')).toContain('kind: TrafficSplit');
    expect(readState(repo.pulls[0]?.body ?? '').choices).toEqual({ splitStyle: 'trafficsplit' });
    expect(repo.issueComments.find((c) => c.body.includes('osm2linkerd:result'))?.body).toContain('**done**');
    repo.commitFiles('main', NEW_NAMESPACE, 'octocat');
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    expect(repo.filesOn(BRANCH).get('bookstore/traffic-split.linkerd.yaml')).toContain('kind: TrafficSplit');
    expect(repo.pulls).toHaveLength(1);
  });

  it('help lists the commands; unknown commands get a suggestion; results stay in one comment', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('writer', 'write');
    await h.deliver(commentOnPullRequest(repo, 1, 'writer', '/osm2linkerd help', 1));
    const help = repo.issueComments.find((c) => c.body.includes('osm2linkerd:result'))?.body ?? '';
    expect(help).toContain('/osm2linkerd explain');
    expect(help).toContain('/osm2linkerd rescan');
    await h.deliver(commentOnPullRequest(repo, 1, 'writer', '/osm2linkerd resacn', 2));
    const results = repo.issueComments.filter((c) => c.body.includes('osm2linkerd:result'));
    expect(results).toHaveLength(1);
    expect(results[0]?.body).toContain('Did you mean `/osm2linkerd rescan`?');
  });

  it('explain answers from the catalogue', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('writer', 'write');
    await h.deliver(commentOnPullRequest(repo, 1, 'writer', '/osm2linkerd explain probes/open-to-all-networks'));
    expect(repo.issueComments.find((c) => c.body.includes('osm2linkerd:result'))?.body).toContain('**`probes/open-to-all-networks`** (warning)');
  });

  it('ignores comments that do not start with the command, and comments by bots', async () => {
    const { h, repo } = await installed();
    const before = h.github.requests.length;
    await h.deliver(commentOnPullRequest(repo, 1, 'octocat', 'Thanks!\n/osm2linkerd rescan'));
    await h.deliver(commentOnPullRequest(repo, 1, BOT_LOGIN, '/osm2linkerd rescan'));
    expect(h.github.requests.length).toBe(before);
  });
});

describe('life cycle', () => {
  it('closes the PR with a comment when OSM is removed from the default branch', async () => {
    const { h, repo } = await installed();
    const osmFiles = [...repo.filesOn('main')].filter(([, text]) => /openservicemesh|smi-spec/.test(text)).map(([path]) => path);
    repo.commitFiles('main', Object.fromEntries(osmFiles.map((p) => [p, null])), 'octocat', 'drop OSM');
    await h.deliver(pushToDefault(repo, osmFiles));
    expect(repo.pulls[0]?.state).toBe('closed');
    expect(repo.issueComments.at(-1)?.body).toContain('no longer holds OSM configuration');
  });

  it('marks a comment whose finding went away as resolved and minimises it, instead of leaving it or posting again', async () => {
    const { h, repo } = await installed();
    // The IngressBackend's findings sit on the policy generated from it (issue 8: never on the deleted OSM lines).
    const before = repo.reviewComments.filter((c) => c.path === 'bookstore/ingress-backend.linkerd.yaml');
    expect(before.length).toBeGreaterThan(0);
    const kustomization = repo.filesOn('main').get('bookstore/kustomization.yaml') ?? '';
    repo.commitFiles('main', { 'bookstore/ingress-backend.yaml': null, 'bookstore/ingress.yaml': null, 'bookstore/kustomization.yaml': kustomization.replace(/^.*ingress.*\n/gm, '') }, 'octocat', 'drop the ingress');
    await h.deliver(pushToDefault(repo, ['bookstore/ingress-backend.yaml']));
    for (const c of before) {
      expect(c.body).toMatch(/^✅ \*\*Resolved\*\*/);
      expect(c.minimized).toBe(true);
    }
    expect(repo.reviews).toHaveLength(1);
  });

  it('a PR closed without merging stays closed until the input changes', async () => {
    const { h, repo } = await installed();
    const pr = repo.pulls[0];
    if (pr) pr.state = 'closed';
    repo.commitFiles('main', { 'docs/notes.yaml': 'notes: unrelated\n' }, 'octocat');
    await h.deliver(pushToDefault(repo, ['docs/notes.yaml']));
    expect(repo.pulls[0]?.state).toBe('closed');
    expect(h.app.outcomes.at(-1)?.status).toBe('left-closed');
    repo.commitFiles('main', NEW_NAMESPACE, 'octocat');
    await h.deliver(pushToDefault(repo, Object.keys(NEW_NAMESPACE)));
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]?.state).toBe('open');
  });

  it('a failed GET /app is asked again on the next delivery', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    h.github.fail({ method: 'GET', path: /^\/app$/, status: 401, message: 'Bad credentials' });
    await h.deliver(installationCreated(repo));
    expect(repo.pulls).toHaveLength(0);
    await h.deliver(installationCreated(repo));
    expect(repo.pulls).toHaveLength(1);
  });

  it('a re-run request that waits behind a push scan is not lost', async () => {
    const { h, repo } = await installed();
    await Promise.all([h.deliver(pushToDefault(repo)), h.deliver(pushToDefault(repo)), h.deliver(checkRunRerequested(repo))]);
    expect(repo.checkRuns).toHaveLength(2);
  });

  it('a re-requested check run posts the check again', async () => {
    const { h, repo } = await installed();
    await h.deliver(checkRunRerequested(repo));
    expect(repo.checkRuns).toHaveLength(2);
    expect(repo.reviews).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('an invalid config opens one issue and changes no PR; fixing it closes the issue and opens the PR', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', { ...bookstore(), '.github/osm2linkerd.yml': 'strategy: yolo\nlabelz: [x]\n' });
    await h.deliver(installationCreated(repo));
    await h.deliver(pushToDefault(repo, ['.github/osm2linkerd.yml']));
    expect(repo.pulls).toHaveLength(0);
    expect(repo.issues).toHaveLength(1);
    expect(repo.issues[0]?.title).toBe('Action Required: Fix osm2linkerd configuration');
    expect(repo.issues[0]?.body).toContain('`strategy`');
    expect(repo.issues[0]?.body).toContain('labelz');
    repo.commitFiles('main', { '.github/osm2linkerd.yml': 'exclude: [bookstore/traffic-split.yaml]\nlabels: [mesh, migration]\ndraft: true\n' }, 'octocat');
    await h.deliver(pushToDefault(repo, ['.github/osm2linkerd.yml']));
    expect(repo.issues[0]?.state).toBe('closed');
    expect(repo.pulls[0]).toMatchObject({ draft: true, labels: ['mesh', 'migration'] });
    expect(repo.filesOn(BRANCH).get('bookstore/traffic-split.yaml')).toBe(repo.filesOn('main').get('bookstore/traffic-split.yaml'));
  });

  it('deleting a broken config closes its issue', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', { ...bookstore(), '.github/osm2linkerd.yml': 'strategy: yolo\n' });
    await h.deliver(installationCreated(repo));
    repo.commitFiles('main', { '.github/osm2linkerd.yml': null }, 'octocat');
    await h.deliver(pushToDefault(repo, ['.github/osm2linkerd.yml']));
    expect(repo.issues.map((i) => i.state)).toEqual(['closed']);
    expect(repo.pulls).toHaveLength(1);
  });

  it('a config the plugin cannot extend (bad _extends) opens the issue instead of failing every run', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', { ...bookstore(), '.github/osm2linkerd.yml': '_extends: "not a valid value!"\n' });
    await h.deliver(installationCreated(repo));
    expect(repo.pulls).toHaveLength(0);
    expect(repo.issues).toHaveLength(1);
  });

  it('a reviewer GitHub cannot ask does not stop the review and the check', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', { ...bookstore(), '.github/osm2linkerd.yml': 'reviewers: [nobody-here]\n' });
    h.github.fail({ method: 'POST', path: /\/requested_reviewers$/, status: 422, message: 'Reviews may only be requested from collaborators.' });
    await h.deliver(installationCreated(repo));
    expect(repo.reviews).toHaveLength(1);
    expect(repo.checkRuns).toHaveLength(1);
  });

  it('unparseable YAML in the config is reported the same way', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', { ...bookstore(), '.github/osm2linkerd.yml': 'strategy: [unclosed\n' });
    await h.deliver(installationCreated(repo));
    expect(repo.pulls).toHaveLength(0);
    expect(repo.issues[0]?.body).toContain('could not be parsed');
  });
});
