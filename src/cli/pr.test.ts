import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrate } from '../core/index.ts';
import { dryRun } from '../github/dry-run.ts';
import { run } from './main.ts';
import { readCheckout } from './read-checkout.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/bookstore', import.meta.url));

async function cli(...args: string[]) {
  let stdout = '';
  const code = await run(args, (t) => { stdout += t; }, () => {});
  return { code, stdout };
}

describe('osm2linkerd pr (the GitHub App dry run)', () => {
  it('prints the pull request the app opens, its diff, review comments, check annotations and API mutations', async () => {
    const { code, stdout } = await cli('pr', EXAMPLE);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Pull request #1 osm2linkerd\/migrate → main, labels: osm2linkerd\n\nTitle: Migrate from Open Service Mesh to Linkerd 2\.20\n/);
    for (const section of ['===== Body =====', '===== Diff =====', '===== Review (', '===== Check run: ', '===== API mutations (']) expect(stdout).toContain(section);
    expect(stdout).toMatch(/\+\+\+ b\/bookstore\/traffic-access\.linkerd\.yaml\n@@ -0,0 \+1,\d+ @@/);
    expect(stdout).toMatch(/● \S+:\d+ \((LEFT|RIGHT)\)\n {4}\*\*(error|warning|info)\*\*/);
    expect(stdout).toContain('  POST /repos/example/bookstore/pulls → 201');
    expect(stdout).not.toMatch(/refs\/heads\/main/);
  });

  it('turns the options into the repository config the app reads', async () => {
    const { stdout } = await cli('pr', EXAMPLE, '--linkerd-version', '2.16', '--split-style', 'trafficsplit');
    expect(stdout).toContain('Title: Migrate from Open Service Mesh to Linkerd 2.16');
    expect(stdout).toMatch(/\+kind: TrafficSplit/);
  });
});

describe('osm2linkerd pr on a checkout with links and files the app would not read', () => {
  it('puts them in the in-memory repository as GitHub holds them (mode 120000, the raw bytes), so the PR is the one the app would open', async () => {
    const checkout = mkdtempSync(join(tmpdir(), 'osm2linkerd-pr-'));
    cpSync(EXAMPLE, checkout, { recursive: true });
    // Where the translation of traffic-access.yaml would go, a link; and a link that mirrors a manifest.
    symlinkSync('../../outside/deploy.sh', join(checkout, 'bookstore/traffic-access.linkerd.yaml'));
    symlinkSync('../bookwarehouse/access.yaml', join(checkout, 'bookstore/mirror.yaml'));
    const buyer = readFileSync(join(checkout, 'bookbuyer/bookbuyer.yaml'));
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n'), buyer]);
    writeFileSync(join(checkout, 'bookbuyer/bookbuyer.yaml'), latin1);
    writeFileSync(join(checkout, 'binary.yaml'), Buffer.concat([buyer, Buffer.from([0])]));
    // Over the 1 MiB a manifest may have.
    writeFileSync(join(checkout, 'huge.yaml'), `# ${'x'.repeat(1024 * 1024)}\n${buyer.toString('utf8')}`);

    const read = await readCheckout(checkout);
    const { repository, report } = await dryRun(read.files, {}, 'example/hostile', read.special);
    const head = repository.headOf('osm2linkerd/migrate') ?? '';
    const tree = repository.git.commits.get(head)?.tree ?? '';
    expect(repository.git.modesOf(tree).get('bookstore/traffic-access.linkerd.yaml')).toBe('120000');
    expect(repository.git.modesOf(tree).get('bookstore/mirror.yaml')).toBe('120000');
    expect(repository.git.textAt(head, 'bookstore/traffic-access.linkerd.yaml')).toBe('../../outside/deploy.sh');
    // The refused files are on the PR branch byte for byte, untouched.
    expect(repository.git.bytesOf(repository.git.filesAt(head).get('bookbuyer/bookbuyer.yaml') ?? '')?.equals(latin1)).toBe(true);
    expect(report).not.toContain('+++ b/bookbuyer/bookbuyer.yaml');
    expect(report).not.toContain('+++ b/bookstore/traffic-access.linkerd.yaml');
    const body = repository.pulls[0]?.body ?? '';
    const reported = `${body}\n${report}`;
    for (const id of ['load/symlink-not-read', 'load/invalid-utf8', 'load/binary-file', 'load/file-too-large', 'plan/path-not-writable']) expect(reported).toContain(id);
    // The same findings as the CLI's own translation of the checkout.
    const plan = migrate(read.files, {}, read.unread);
    for (const f of plan.findings.filter((x) => x.id.startsWith('load/'))) expect(reported).toContain(f.id);
  });
});
