import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/index.ts';
import { harness, installationCreated } from '../support/github.ts';
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
  return { requests: h.github.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{40}/g, '<sha>')}`), repo };
}

describe('API budget of a first scan', () => {
  it('reads a 5,000-file repository with 200 manifests in a fixed number of requests', async () => {
    const { requests } = await scan(5_000, 200);
    expect(requests.filter((r) => r.includes('/git/trees/'))).toHaveLength(1); // one recursive tree
    expect(requests.filter((r) => r === 'POST /graphql')).toHaveLength(2); // 200 blobs, 100 per query
    expect(requests.filter((r) => r.includes('/contents/') && !r.includes('osm2linkerd.yml'))).toEqual([]); // never one request per file
    // Writes: one tree, one commit, one ref, one PR (+ its labels), one review, one check run.
    expect(requests.filter((r) => !r.startsWith('GET') && r !== 'POST /graphql' && !r.includes('access_tokens'))).toEqual([
      'POST /repos/acme/big/git/trees', 'POST /repos/acme/big/git/commits', 'POST /repos/acme/big/git/refs', 'POST /repos/acme/big/pulls',
      'POST /repos/acme/big/issues/1/labels', 'POST /repos/acme/big/pulls/1/reviews', 'POST /repos/acme/big/check-runs',
    ]);
    expect(requests.length).toBeLessThanOrEqual(20);
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
