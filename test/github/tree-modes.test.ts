import { afterEach, describe, expect, it } from 'vitest';
import { harness, installationCreated, openApiViolations } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

const BRANCH = 'osm2linkerd/migrate';
const SUBMODULE_COMMIT = 'c0ffee'.padEnd(40, '0');

afterEach(() => {
  expect(openApiViolations()).toEqual([]);
});

describe('symbolic links and submodules in the repository tree', () => {
  it('are never read as manifests and never overwritten; each is a finding', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
    repo.commitFiles('main', {
      // Where the translation of traffic-access.yaml would go: a link GitHub stores as a blob of mode 120000.
      'bookstore/traffic-access.linkerd.yaml': { symlink: '../../../.github/workflows/deploy.yml' },
      // A link to a manifest elsewhere: its target text is an OSM manifest, but a link is not read.
      'mirror/access.yaml': { symlink: '../bookwarehouse/access.yaml' },
      'charts/upstream': { submodule: SUBMODULE_COMMIT },
    }, 'octocat');
    await h.deliver(installationCreated(repo));

    const head = repo.headOf(BRANCH) ?? '';
    const tree = repo.git.commits.get(head)?.tree ?? '';
    const modes = repo.git.modesOf(tree);
    expect(modes.get('bookstore/traffic-access.linkerd.yaml')).toBe('120000');
    expect(repo.git.textAt(head, 'bookstore/traffic-access.linkerd.yaml')).toBe('../../../.github/workflows/deploy.yml');
    expect(modes.get('mirror/access.yaml')).toBe('120000');
    expect(modes.get('charts/upstream')).toBe('160000');
    expect(repo.filesOn(BRANCH).has('mirror/access.linkerd.yaml')).toBe(false);
    // The rest of the migration still happens.
    expect(repo.filesOn(BRANCH).get('bookwarehouse/access.linkerd.yaml')).toContain('kind: AuthorizationPolicy');

    const body = repo.pulls[0]?.body ?? '';
    const annotations = repo.checkRuns.flatMap((c) => c.annotations) as { path: string; title: string }[];
    const reported = `${body}\n${annotations.map((a) => `${a.title} ${a.path}`).join('\n')}\n${repo.reviewComments.map((c) => c.body).join('\n')}`;
    for (const id of ['plan/path-not-writable', 'load/symlink-not-read', 'load/submodule-not-read']) expect(reported).toContain(id);
  });

  it('a blob with NUL bytes or bytes that are not UTF-8 is left untouched, with a finding; a file that holds U+FFFD itself is migrated', async () => {
    const h = await harness();
    const files = Object.fromEntries(readTree(`${EXAMPLES}bookstore`));
    const buyer = files['bookbuyer/bookbuyer.yaml'] ?? '';
    const namespaces = files['base/namespaces.yaml'] ?? '';
    // "café" in Latin-1: the byte E9 is not UTF-8 (GitHub's text shows U+FFFD for it).
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${buyer}`)]);
    const repo = h.github.addRepository('acme', 'mesh', { ...files, 'binary.yaml': `${buyer}\u0000` });
    repo.commitFiles('main', {
      'bookbuyer/bookbuyer.yaml': { bytes: latin1 },
      // Valid UTF-8 that spells U+FFFD (bytes EF BF BD): an ordinary text file.
      'base/namespaces.yaml': `# placeholder glyph: \uFFFD\n${namespaces}`,
    }, 'octocat');
    await h.deliver(installationCreated(repo));
    const head = repo.headOf(BRANCH) ?? '';
    const blobOf = (path: string) => repo.git.bytesOf(repo.git.filesAt(head).get(path) ?? '');
    expect(blobOf('bookbuyer/bookbuyer.yaml')?.equals(latin1)).toBe(true);
    expect(repo.filesOn(BRANCH).get('binary.yaml')).toBe(`${buyer}\u0000`);
    const migrated = repo.filesOn(BRANCH).get('base/namespaces.yaml') ?? '';
    expect(migrated).not.toBe(`# placeholder glyph: \uFFFD\n${namespaces}`);
    expect(migrated.startsWith('# placeholder glyph: \uFFFD\n')).toBe(true);
    const body = repo.pulls[0]?.body ?? '';
    expect(body).toContain('load/invalid-utf8');
    expect(body).toContain('load/binary-file');
    expect(body).not.toMatch(/load\/invalid-utf8[^\n]*namespaces/);
    // Only the files whose GraphQL text could be lossy were read again as bytes, one request each.
    const blobReads = h.github.requests.filter((r) => r.path.includes('/git/blobs/'));
    expect(blobReads).toHaveLength(2);
  });
});
