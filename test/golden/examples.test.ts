import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { migrate, renderText, renderUnifiedDiff, renderVerificationReport } from '../../src/core/index.ts';
import { dryRun } from '../../src/github/dry-run.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

/**
 * Golden files for examples/bookstore: the diff and the findings are reviewed by a person once, then any change to
 * them fails here. Refresh with `UPDATE_GOLDEN=1 npx vitest run test/golden` and review the git diff.
 */
const GOLDEN = new URL('./bookstore/', import.meta.url);
const files = readTree(join(EXAMPLES, 'bookstore'), (p) => p !== 'README.md');
const plan = migrate(files);

function golden(name: string, actual: string): void {
  const path = new URL(name, GOLDEN);
  if (process.env['UPDATE_GOLDEN'] || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('examples/bookstore', () => {
  it('produces the reviewed diff', () => golden('migration.diff', renderUnifiedDiff(plan)));

  it('produces the reviewed findings and summary', () => golden('report.txt', renderText(plan)));

  // `osm2linkerd verify examples/bookstore`: access changes first, then what was not decided, then every difference.
  it('produces the reviewed verify report', () => golden('verify.txt', renderVerificationReport(plan.verification)));

  // The GitHub App's pull request for the same repository (npm run demo): body, diff, review, check, API calls.
  it('opens the reviewed pull request', async () => golden('pull-request.txt', (await dryRun(files, {}, 'example/bookstore')).report));

  it('has a pull request body that reads and renders: access changes first, tables whose cells hold every |, YAML snippets', async () => {
    const report = (await dryRun(files, {}, 'example/bookstore')).report;
    const body = report.slice(report.indexOf('===== Body =====\n') + 17, report.indexOf('\n===== Diff ====='));
    expect([...body.matchAll(/^### (.+)$/gm)].map((m) => m[1]).slice(0, 2)).toEqual(['Access changes', 'Before you merge']);
    expect(body).not.toMatch(/\d+ requests differ ✅/);
    expect(body).not.toContain('Each finding is also a review comment');
    // Every row of a table has as many cells as its header: a `|` GitHub would split on is escaped.
    const cells = (row: string) => row.replace(/\\\|/g, '').split('|').length;
    const tables = body.split('\n\n').map((block) => block.split('\n').filter((l) => l.startsWith('|'))).filter((rows) => rows.length > 0);
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const rows of tables) for (const row of rows) expect(cells(row), row).toBe(cells(rows[0] ?? ''));
    expect(body).toContain('`/osm2linkerd split <httproute\\|trafficsplit>`');
    const snippets = [...body.matchAll(/^( *)```yaml\n([\s\S]*?)\n\1```$/gm)].map((m) => (m[2] ?? '').split('\n').map((l) => l.slice(m[1]?.length ?? 0)).join('\n'));
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    for (const snippet of snippets) for (const doc of parseAllDocuments(snippet)) expect(doc.errors, snippet).toEqual([]);
  });

  it('is equivalent to OSM: every difference is explained by a finding', () => {
    expect(plan.verification.requests).toBeGreaterThan(500);
    expect(plan.verification.uncovered).toEqual([]);
  });

  it('keeps comments and untouched documents byte-identical in the files it edits', () => {
    for (const change of plan.files.filter((f) => f.action === 'modify')) {
      const before = (change.previous ?? '').split('\n');
      const after = change.content.split('\n');
      for (const line of before.filter((l) => l.trim().startsWith('#') || /#\s/.test(l))) {
        if (/openservicemesh\.io|appProtocol:/.test(line)) continue;
        expect(after, `${change.path}: comment "${line}" kept`).toContain(line);
      }
    }
  });

  it('lists every generated file in the kustomization that lists its source', () => {
    const created = plan.files.filter((f) => f.action === 'create').map((f) => f.path);
    expect(created).toContain('bookstore/traffic-access.linkerd.yaml');
    const kustomization = plan.files.find((f) => f.path === 'bookstore/kustomization.yaml');
    expect(kustomization?.content).toContain('traffic-access.linkerd.yaml');
  });

  it('writes no namespace where kustomize sets it, and keeps explicit ones', () => {
    const bookstore = plan.files.find((f) => f.path === 'bookstore/traffic-access.linkerd.yaml')?.content ?? '';
    expect(bookstore).not.toMatch(/namespace: bookstore\n/);
    const warehouse = plan.files.find((f) => f.path === 'bookwarehouse/access.linkerd.yaml')?.content ?? '';
    expect(warehouse).toContain('namespace: bookwarehouse');
  });
});
