import { describe, expect, it } from 'vitest';
import { BOT_LOGIN, type MemoryGitHub, type RecordedRequest } from '../../src/github/memory/memory-github.ts';
import { OctokitRepository } from '../../src/github/octokit-repository.ts';
import { checkGraphqlRequest } from '../support/graphql.ts';
import { harness, installationCreated, pushToDefault, type Harness } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

const BRANCH = 'osm2linkerd/migrate';
const bookstore = () => Object.fromEntries(readTree(`${EXAMPLES}bookstore`));

function operationOf(r: RecordedRequest): string {
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(String((r.body as { query?: string }).query))?.[1] ?? '(anonymous)';
}

function graphqlRequests(github: MemoryGitHub): RecordedRequest[] {
  return github.requests.filter((r) => r.path === '/graphql');
}

/** The port over the harness's Octokit, as the app builds it for a job. */
async function port(h: Harness, repo: string): Promise<OctokitRepository> {
  return new OctokitRepository(await h.probot.auth(1), 'acme', repo);
}

describe('GraphQL documents the app sends, against GitHub\'s public schema', () => {
  it('every document of a first scan, an update that resolves a comment, and a push without a snapshot validates, variables included', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    await h.deliver(installationCreated(repo));
    // The ingress findings go away: their comments are resolved and minimised (minimizeComment).
    const kustomization = repo.filesOn('main').get('bookstore/kustomization.yaml') ?? '';
    repo.commitFiles('main', { 'bookstore/ingress-backend.yaml': null, 'bookstore/ingress.yaml': null, 'bookstore/kustomization.yaml': kustomization.replace(/^.*ingress.*\n/gm, '') }, 'octocat', 'drop the ingress');
    await h.deliver(pushToDefault(repo, ['bookstore/ingress-backend.yaml']));
    expect(repo.reviewComments.some((c) => c.minimized)).toBe(true);
    // A port that writes before reading anything asks for the repository's node id on its own.
    const other = h.github.addRepository('acme', 'other', { 'a.yaml': 'a: 1\n' });
    const fresh = await port(h, 'other');
    expect(await fresh.createBranchWithCommit('topic', other.headOf('main') ?? '', 'add b\n\nbody', [{ path: 'b.yaml', content: 'b: 2\n' }])).toMatchObject({ kind: 'pushed' });

    const documents = graphqlRequests(h.github);
    expect(new Set(documents.map(operationOf))).toEqual(new Set([
      'Osm2linkerdSnapshot', 'Osm2linkerdBlobs', 'Osm2linkerdCreateBranchWithCommit', 'Osm2linkerdMinimizeComment', 'Osm2linkerdRepositoryId',
    ]));
    expect(documents.flatMap((r) => checkGraphqlRequest(r.body))).toEqual([]);
    expect(h.openApiViolations).toEqual([]);
  });

  it('the check fails a misspelt field, argument or input field (so it would catch a typo in the app)', () => {
    const blobs = { query: 'query Osm2linkerdBlobs($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { f0: object(expression: "HEAD:a.yaml") { ... on Blob { byteSise text } } } }', variables: { owner: 'a', repo: 'b' } };
    expect(checkGraphqlRequest(blobs).join('\n')).toContain('Cannot query field "byteSise" on type "Blob"');
    const argument = { query: 'query X($owner: String!) { repository(owner: $owner, nam: "b") { id } }', variables: { owner: 'a' } };
    expect(checkGraphqlRequest(argument).join('\n')).toMatch(/Unknown argument "nam"/);
    const input = {
      query: 'mutation M($changes: FileChanges!) { createCommitOnBranch(input: {branch: {branchName: "b", repositoryNameWithOwner: "a/b"}, expectedHeadOid: "0000000000000000000000000000000000000000", message: {headline: "h"}, fileChanges: $changes}) { commit { oid } } }',
      variables: { changes: { additions: [{ path: 'a.yaml', content: 'YTogMQo=' }] } },
    };
    expect(checkGraphqlRequest(input).join('\n')).toMatch(/\$changes\.additions\.0.*"content" is not defined|Field "contents" of required type/);
  });
});

describe('createCommitOnBranch: a compare-and-swap on the branch head', () => {
  it('a stale expectedHeadOid fails as on GitHub (STALE_DATA): the port reports the branch taken and writes nothing', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', { 'a.yaml': 'a: 1\n' });
    const base = repo.headOf('main') ?? '';
    // A person made the branch first, with a commit of their own.
    const theirs = repo.commitFiles('topic', { 'a.yaml': 'a: 2\n' }, 'alice', 'mine');
    const result = await (await port(h, 'mesh')).createBranchWithCommit('topic', base, 'osm2linkerd', [{ path: 'a.yaml', content: 'a: 3\n' }]);
    expect(result).toEqual({ kind: 'exists' });
    expect(repo.headOf('topic')).toBe(theirs);
    const answer = h.github.requests.at(-1);
    expect(answer?.status).toBe(200);
    expect(operationOf(answer as RecordedRequest)).toBe('Osm2linkerdCreateBranchWithCommit');
  });

  it('a branch left at the base by a run that died after createRef gets the commit (the swap holds: it still points at the base)', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', { 'a.yaml': 'a: 1\n' });
    const base = repo.headOf('main') ?? '';
    repo.refs.set('topic', base);
    const result = await (await port(h, 'mesh')).createBranchWithCommit('topic', base, 'osm2linkerd\n\nGenerated.', [{ path: 'a.yaml', content: 'a: 3\n' }, { path: 'gone.yaml', delete: true }]);
    expect(result).toMatchObject({ kind: 'pushed' });
    const head = repo.git.commits.get(repo.headOf('topic') ?? '');
    expect(head).toMatchObject({ parents: [base], author: BOT_LOGIN, committer: 'web-flow', verified: true, message: 'osm2linkerd\n\nGenerated.' });
    expect(repo.filesOn('topic').get('a.yaml')).toBe('a: 3\n');
  });

  it('in a run: a person who creates the bot branch between the app\'s read and its push is never overwritten; the run stops as blocked', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    let theirs = '';
    h.github.beforeRequest = (_method, path, body) => {
      if (path !== '/graphql' || !String(body.query).startsWith('mutation Osm2linkerdCreateBranchWithCommit') || theirs) return;
      theirs = repo.commitFiles(BRANCH, { 'notes.md': 'my notes\n' }, 'alice', 'early start');
    };
    await h.deliver(installationCreated(repo));
    expect(repo.headOf(BRANCH)).toBe(theirs);
    expect(h.app.outcomes.at(-1)?.status).toBe('blocked');
    // One attempt (refused by the swap), then the run read the branch again and saw a person's commit.
    expect(graphqlRequests(h.github).map(operationOf).filter((o) => o === 'Osm2linkerdCreateBranchWithCommit')).toHaveLength(1);
  });

  it('never commits to the default branch: a config whose bot branch is the default branch stops the run before any write', async () => {
    const h = await harness();
    // The default branch is `migrate`, and an empty prefix makes the bot branch `migrate` too.
    const repo = h.github.addRepository('acme', 'mesh', { ...bookstore(), '.github/osm2linkerd.yml': 'branchPrefix: ""\n' }, 'migrate');
    const head = repo.headOf('migrate');
    await h.deliver(installationCreated(repo));
    expect(repo.headOf('migrate')).toBe(head);
    expect(graphqlRequests(h.github).map(operationOf).filter((o) => o.includes('Create'))).toEqual([]);
    expect(h.github.mutations().filter((r) => r.path.includes('/git/'))).toEqual([]);
  });
});

describe('the snapshot query', () => {
  it('takes the config from the owner\'s .github repository when the repository has none (the config plugin\'s fallback), with no REST read', async () => {
    const h = await harness();
    h.github.addRepository('acme', '.github', { '.github/osm2linkerd.yml': 'labels: [from-org]\n' });
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    await h.deliver(installationCreated(repo));
    expect(repo.pulls[0]?.labels).toEqual(['from-org']);
    expect(h.github.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
  });

  it('finds the app\'s existing PR (GraphQL names the bot without "[bot]") and does not open another', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', bookstore());
    await h.deliver(installationCreated(repo));
    repo.commitFiles('main', { 'bookstore/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n' }, 'octocat');
    await h.deliver(pushToDefault(repo, ['bookstore/extra.yaml']));
    expect(repo.pulls).toHaveLength(1);
    expect(h.github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pulls'))).toEqual([]);
  });
});
