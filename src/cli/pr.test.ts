import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './main.ts';

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
