import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/index.ts';
import { harness, installationCreated, pushToDefault } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

/** The bookstore example, `manifests` YAML files in all, and `files` files in all (the rest source code and docs). */
function repository(files: number, manifests: number): Record<string, string> {
  const contents: Record<string, string> = Object.fromEntries(readTree(`${EXAMPLES}bookstore`));
  const base = Object.keys(contents).length;
  for (let i = 0; i < manifests - base; i++) contents[`apps/app-${i}/config.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\n  namespace: apps\ndata:\n  key: "${i}"\n`;
  for (let i = 0; Object.keys(contents).length < files; i++) contents[`src/pkg${i % 50}/file${i}.go`] = `package pkg${i % 50}\n`;
  return contents;
}

async function scan(files: number, manifests: number) {
  const h = await harness();
  const repo = h.github.addRepository('acme', 'big', repository(files, manifests));
  await h.deliver(installationCreated(repo));
  expect(repo.pulls).toHaveLength(1);
  const label = (r: { method: string; path: string; body: unknown }) => {
    const operation = r.path === '/graphql' ? /^\s*(?:query|mutation)\s+(\w+)/.exec(String((r.body as { query?: string }).query))?.[1] : undefined;
    return `${r.method} ${r.path.replace(/[0-9a-f]{40}/g, '<sha>')}${operation ? ` ${operation}` : ''}`;
  };
  return { h, requests: h.github.requests.map(label), repo };
}

/**
 * What is counted: every request the app sends to GitHub for the scan, the installation token included (Probot asks
 * for one per installation and keeps it for its hour). `GET /app` (the app's own slug, for its bot login) is asked
 * once per process, not per scan: it is listed, and shown not to come back on the next scan, but not counted.
 */
const FIRST_SCAN = [
  'POST /app/installations/1/access_tokens',
  // Default branch and head, config (and the owner's .github fallback), the bot branch, its PR, the open issues.
  'POST /graphql Osm2linkerdSnapshot',
  'GET /repos/acme/big/git/trees/<sha>', // one recursive tree (stays REST)
  'POST /graphql Osm2linkerdBlobs', // the 200 manifests in one query
  'POST /graphql Osm2linkerdCreateBranchWithCommit', // createRef + createCommitOnBranch (signed by GitHub)
  'POST /repos/acme/big/pulls',
  'POST /repos/acme/big/issues/1/labels',
  'GET /repos/acme/big/pulls/1/files', // GitHub's patches anchor the review comments
  'POST /repos/acme/big/pulls/1/reviews',
  'POST /repos/acme/big/check-runs',
];

describe('API budget of a first scan', () => {
  it('reads and writes a 5,000-file repository with 200 manifests in 10 requests (19 before the GraphQL snapshot and createCommitOnBranch)', async () => {
    const { h, requests } = await scan(5_000, 200);
    expect(requests[0]).toBe('GET /app');
    const counted = requests.slice(1);
    expect(counted).toEqual(FIRST_SCAN);
    expect(counted.length).toBeLessThanOrEqual(10);
    // The next scan in this process (a push) does not ask for the app's slug or a token again.
    const before = h.github.requests.length;
    const repo = h.github.repository('acme/big');
    await h.deliver(pushToDefault(repo, ['apps/app-0/config.yaml']));
    const later = h.github.requests.slice(before).map((r) => r.path);
    expect(later.filter((p) => p === '/app' || p.endsWith('/access_tokens'))).toEqual([]);
  });

  it('does not grow with the number of files', async () => {
    const small = await scan(5_000, 200);
    const large = await scan(10_000, 200);
    expect(large.requests).toEqual(small.requests);
  });

  it('completes a truncated recursive tree folder by folder and still reads every manifest', async () => {
    const h = await harness();
    const files = repository(300, 40);
    const repo = h.github.addRepository('acme', 'huge', files);
    repo.truncateTrees = true;
    await h.deliver(installationCreated(repo));
    expect(repo.pulls).toHaveLength(1);
    expect(h.github.requests.filter((r) => r.path.includes('/git/trees/') && r.method === 'GET').length).toBeGreaterThan(1);
    const everything = migrate(new Map(Object.entries(files)));
    expect(h.app.outcomes.at(-1)?.plan?.summary).toEqual(everything.summary);
  });
});
