import { mkdtempSync, readFileSync, existsSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './main.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/bookstore', import.meta.url));

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, (t) => { stdout += t; }, (t) => { stderr += t; });
  return { code, stdout, stderr };
}

describe('osm2linkerd CLI', () => {
  it('translate --format json prints exactly one JSON object with the contract fields', async () => {
    const { code, stdout } = await cli('translate', EXAMPLE, '--format', 'json');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { files: { path: string; action: string; content: string }[]; findings: { id: string }[]; summary: object };
    expect(Object.keys(parsed)).toEqual(['files', 'findings', 'summary']);
    expect(parsed.files.find((f) => f.path === 'bookstore/traffic-access.linkerd.yaml')?.action).toBe('create');
    expect(parsed.findings.length).toBeGreaterThan(0);
  });

  it('translate prints the diff, the findings by severity and a summary', async () => {
    const { stdout } = await cli('translate', EXAMPLE);
    expect(stdout).toMatch(/^diff --git a\/base\/mesh-config.yaml/);
    expect(stdout).toContain('\nWarnings (');
    expect(stdout).toMatch(/Summary: Linkerd 2\.20, forklift, OSM smi mode\./);
  });

  it('sarif output is SARIF 2.1.0 with fingerprints', async () => {
    const { stdout } = await cli('translate', EXAMPLE, '--format', 'sarif');
    const sarif = JSON.parse(stdout) as { version: string; runs: { results: { partialFingerprints: object }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results[0]?.partialFingerprints).toHaveProperty('osm2linkerd/v1');
  });

  it('--out writes new and changed files elsewhere; --write applies in place', async () => {
    const out = mkdtempSync(join(tmpdir(), 'osm2linkerd-out-'));
    expect((await cli('translate', EXAMPLE, '--out', out, '--format', 'json')).code).toBe(0);
    expect(readFileSync(join(out, 'bookstore/traffic-access.linkerd.yaml'), 'utf8')).toContain('kind: Server');
    const copy = mkdtempSync(join(tmpdir(), 'osm2linkerd-write-'));
    cpSync(EXAMPLE, copy, { recursive: true });
    await cli('translate', copy, '--write', '--format', 'json');
    expect(existsSync(join(copy, 'bookstore/traffic-access.yaml'))).toBe(false);
    expect(readFileSync(join(copy, 'base/namespaces.yaml'), 'utf8')).toContain('linkerd.io/inject: enabled');
  });

  it('verify exits 0 when every difference is covered', async () => {
    const { code, stdout } = await cli('verify', EXAMPLE);
    expect(code).toBe(0);
    expect(stdout).toMatch(/requests compared, \d+ differences, 0 not covered by a finding/);
  });

  // linkerd-reference §3.3: `all-authenticated` admits "any mesh identity", `audit` admits without authentication.
  it('--permissive-access picks the accessPolicy of permissive-mode Servers: all-authenticated unless audit is asked for', async () => {
    const accessPolicies = async (...args: string[]) => {
      const { code, stdout } = await cli('translate', EXAMPLE, '--format', 'json', '--mesh-mode', 'permissive', ...args);
      expect(code).toBe(0);
      const { files } = JSON.parse(stdout) as { files: { content: string }[] };
      return new Set(files.flatMap((f) => [...f.content.matchAll(/accessPolicy: (\S+)/g)].map((m) => m[1])));
    };
    expect(await accessPolicies()).toEqual(new Set(['all-authenticated']));
    expect(await accessPolicies('--permissive-access', 'audit')).toEqual(new Set(['audit']));
    expect(await accessPolicies('--permissive-access', 'exact')).toEqual(new Set(['all-authenticated']));
    const { code, stderr } = await cli('translate', EXAMPLE, '--permissive-access', 'open');
    expect(code).toBe(2);
    expect(stderr).toContain('--permissive-access must be one of exact, audit');
  });

  it('exits 1 on error findings and 2 on usage or I/O errors', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'osm2linkerd-bad-'));
    cpSync(join(EXAMPLE, 'base'), broken, { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(broken, 'bad.yaml'), 'kind: A\n  bad: [\n');
    expect((await cli('translate', broken, '--format', 'json')).code).toBe(1);
    expect((await cli('translate')).code).toBe(2);
    expect((await cli('translate', '/nonexistent/dir')).code).toBe(2);
    expect((await cli('translate', EXAMPLE, '--linkerd-version', '3.0')).code).toBe(2);
    expect((await cli('frobnicate', EXAMPLE)).stderr).toContain('unknown command "frobnicate"');
  });
});
