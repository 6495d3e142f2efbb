import { mkdtempSync, readFileSync, existsSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, EXAMPLE } from '../../test/support/cli.ts';
import { run } from './main.ts';


describe('osm2linkerd CLI', () => {
  it('translate --format json prints exactly one JSON object with the contract fields', async () => {
    const { code, stdout } = await cli('translate', EXAMPLE, '--format', 'json');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { files: { path: string; action: string; content: string }[]; findings: { id: string }[]; summary: object };
    expect(Object.keys(parsed)).toEqual(['files', 'findings', 'summary']);
    expect(parsed.files.find((f) => f.path === 'bookstore/traffic-access.linkerd.yaml')?.action).toBe('create');
    expect(parsed.findings.length).toBeGreaterThan(0);
  });

  it('translate prints the access changes, the steps before merging, the findings by severity, a summary, then the diff', async () => {
    const { stdout } = await cli('translate', EXAMPLE);
    expect(stdout).toMatch(/^ACCESS CHANGES: 14 \(source → destination workload:port\) pairs; 2 denied after merging that OSM allowed/);
    expect(stdout).toContain('  ALLOWED BEFORE, DENIED AFTER: Ingress controller Service not in the repository: fill in its identity [ingress-backend/source-service-not-found]\n');
    expect(stdout).toContain('    ingress:service/ingress-nginx/ingress-nginx-controller → bookstore/bookstore-v1:14001 (244 requests, e.g. GET /)\n');
    const order = ['ACCESS CHANGES', '\nBEFORE YOU MERGE\n  [ ] Mesh the ingress controller behind Service/ingress-nginx/ingress-nginx-controller', '\nWarnings (', '\nSummary: Linkerd 2.20, forklift, OSM smi mode.', '\ndiff --git a/base/mesh-config.yaml'];
    const at = order.map((s) => stdout.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    // No Markdown in a terminal: no fences, no inline code; the identity to create is an indented YAML block.
    expect(stdout.slice(0, stdout.indexOf('\ndiff --git'))).not.toMatch(/```|`/);
    expect(stdout).toContain('\n        apiVersion: policy.linkerd.io/v1alpha1\n        kind: MeshTLSAuthentication\n');
    expect(stdout).not.toContain('\u001b[');
  });

  it('colours the text output only when asked (a terminal without NO_COLOR)', async () => {
    let coloured = '';
    await run(['translate', EXAMPLE], (t) => { coloured += t; }, () => undefined, { colour: true });
    expect(coloured).toContain('\u001b[1mBEFORE YOU MERGE\u001b[0m');
    expect(coloured).toContain('\u001b[33mWarnings (6)\u001b[0m');
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
    expect(stdout).toMatch(/^ACCESS CHANGES: \d+ \(source → destination workload:port\) pairs change verdict; \d+ of \d+ requests differ, 0 not explained by a finding\./);
    expect(stdout).toContain('\nDETAILS: ');
  });

  it('verify --format json prints the report as one object, access changes first', async () => {
    const { code, stdout } = await cli('verify', EXAMPLE, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { summary: { accessChanges: number; uncovered: number }; accessChanges: { source: string; destination: string; coveredBy: string[] }[] };
    expect(Object.keys(report)).toEqual(['summary', 'accessChanges', 'unknowns', 'differences']);
    expect(report.summary.uncovered).toBe(0);
    expect(report.accessChanges).toHaveLength(report.summary.accessChanges);
    expect(report.accessChanges.every((c) => c.coveredBy.length > 0 && / → /.test(`${c.source} → ${c.destination}`))).toBe(true);
  });

  // linkerd-reference §3.3: `all-authenticated` admits "any mesh identity", `audit` admits without authentication.
  it('--permissive-access picks the accessPolicy of permissive-mode Servers: all-authenticated unless audit is asked for', async () => {
    const accessPolicies = async (...args: string[]) => {
      const { code, stdout } = await cli('translate', EXAMPLE, '--format', 'json', '--mode', 'permissive', ...args);
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

describe('osm2linkerd CLI: strategies', () => {
  const SHOP = fileURLToPath(new URL('../../examples/shop', import.meta.url));

  it('translate --strategy phased --format json lists the phases in order, each with its files and checklist', async () => {
    const { code, stdout } = await cli('translate', SHOP, '--strategy', 'phased', '--format', 'json');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { phases: { index: number; id: string; namespaces: string[]; files: unknown[]; checklist: string[] }[] };
    expect(parsed.phases.map((p) => [p.index, p.id, p.namespaces])).toEqual([
      [0, '00-bridge', []], [1, '01-payments', ['payments']], [2, '02-inventory-orders', ['inventory', 'orders']], [3, '03-storefront', ['storefront']], [4, '04-lock-down', []],
    ]);
    expect(parsed.phases.every((p) => p.files.length > 0 && p.checklist.length > 0)).toBe(true);
  });

  it('--phase n --write writes the tree after phases 0..n, and refuses a tree that already holds generated files', async () => {
    const through2 = mkdtempSync(join(tmpdir(), 'osm2linkerd-phase2-'));
    cpSync(SHOP, through2, { recursive: true });
    const step = await cli('translate', through2, '--strategy', 'phased', '--phase', '2', '--write');
    expect(step.code, step.stderr).toBe(0);
    expect(step.stdout).toMatch(/^=== Phase 2 of 4: Move inventory, orders to Linkerd/);
    expect(readFileSync(join(through2, 'mesh-config.yaml'), 'utf8')).toContain('enablePermissiveTrafficPolicyMode: true');
    expect(readFileSync(join(through2, 'payments.linkerd.yaml'), 'utf8')).toContain('accessPolicy: audit');
    expect(readFileSync(join(through2, 'orders.linkerd.yaml'), 'utf8')).toContain('kind: Server');
    expect(existsSync(join(through2, 'storefront.linkerd.yaml'))).toBe(false);
    const again = await cli('translate', through2, '--strategy', 'phased', '--phase', '3', '--write');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/needs the tree from before the migration, and .*\.linkerd\.yaml/);
    const all = mkdtempSync(join(tmpdir(), 'osm2linkerd-phase4-'));
    cpSync(SHOP, all, { recursive: true });
    await cli('translate', all, '--strategy', 'phased', '--phase', '4', '--write');
    const forklift = mkdtempSync(join(tmpdir(), 'osm2linkerd-forklift-'));
    cpSync(SHOP, forklift, { recursive: true });
    await cli('translate', forklift, '--write', '--format', 'json');
    for (const file of ['namespaces.yaml', 'orders.yaml', 'orders.linkerd.yaml', 'payments.linkerd.yaml', 'kustomization.yaml']) {
      expect(readFileSync(join(all, file), 'utf8'), file).toBe(readFileSync(join(forklift, file), 'utf8'));
    }
    expect(existsSync(join(all, 'mesh-config.yaml'))).toBe(existsSync(join(forklift, 'mesh-config.yaml')));
  });

  it('separate-cluster writes the translation under --cluster-path and leaves the old cluster\'s files alone', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'osm2linkerd-separate-'));
    cpSync(EXAMPLE, copy, { recursive: true });
    const before = readFileSync(join(copy, 'bookstore/traffic-access.yaml'), 'utf8');
    const { code, stdout } = await cli('translate', copy, '--strategy', 'separate-cluster', '--cluster-path', 'clusters/linkerd', '--write');
    expect(code).toBe(0);
    expect(stdout).toContain('Lower the DNS TTL of the hosts `bookstore.example.com`');
    expect(readFileSync(join(copy, 'bookstore/traffic-access.yaml'), 'utf8')).toBe(before);
    expect(readFileSync(join(copy, 'clusters/linkerd/bookstore/traffic-access.linkerd.yaml'), 'utf8')).toContain('kind: Server');
    expect(existsSync(join(copy, 'clusters/linkerd/bookstore/traffic-access.yaml'))).toBe(false);
    // Run again on the result: the copy is the tool's own and is not read back, so nothing changes.
    const again = await cli('translate', copy, '--strategy', 'separate-cluster', '--cluster-path', 'clusters/linkerd', '--format', 'json');
    expect((JSON.parse(again.stdout) as { files: unknown[] }).files).toEqual([]);
  });

  it('a usage error is one line and a pointer to --help', async () => {
    const { code, stderr } = await cli('translate', EXAMPLE, '--strategy', 'coexist');
    expect(code).toBe(2);
    expect(stderr).toBe('osm2linkerd: --strategy must be one of forklift, phased, separate-cluster (got "coexist")\nRun \'osm2linkerd --help\' for the options.\n');
  });
});
