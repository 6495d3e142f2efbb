import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { migrate } from '../../src/core/migrate.ts';
import type { MigrationOptionsInput } from '../../src/core/options.ts';
import type { MigrationPlan } from '../../src/core/plan/types.ts';
import { readTree } from './shared.ts';

/**
 * Golden fixtures beside a rule: `<rule>/fixtures/<case>/` holds
 *   input/          a small repository, as a person would commit it;
 *   options.json    the migration options, when not the defaults (e.g. `{"meshMode": "smi"}`);
 *   expected/       every file the migration creates or modifies, with its new content;
 *   report.txt      what it does to each file, every finding (severity, id, file:line, message), and verify's counts.
 * A fixture is reviewed by a person once; any change to what the migration makes of it then fails its test. Refresh
 * with `UPDATE_GOLDEN=1 npx vitest run <test file>` and review the git diff, as test/golden does.
 */

/** The fixture cases in a rule's `fixtures/` folder (`new URL('./fixtures/', import.meta.url)`), by name. */
export function fixtureCases(folder: URL): string[] {
  const root = fileURLToPath(folder);
  return readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()).sort();
}

/** A fixture's input repository and options. */
export function readFixture(folder: URL, name: string): { files: Map<string, string>; options: MigrationOptionsInput } {
  const dir = join(fileURLToPath(folder), name);
  const optionsFile = join(dir, 'options.json');
  const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as MigrationOptionsInput) : {};
  return { files: readTree(join(dir, 'input')), options };
}

/** The report.txt of a plan: one line a file change, one a finding, then verify's counts. */
export function fixtureReport(plan: MigrationPlan): string {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  return [
    '# files',
    ...plan.files.map((f) => `${f.action} ${f.path}`),
    '# findings',
    ...plan.findings.map((f) => `${f.severity} ${f.id} ${f.file}:${f.line} ${oneLine(f.message)}`),
    '# verify',
    `requests ${plan.verification.requests}, differences ${plan.verification.differences.length}, uncovered ${plan.verification.uncovered.length}`,
    '',
  ].join('\n');
}

/**
 * Migrates fixture `name` and compares the result with its expected files and report (rewriting them first under
 * UPDATE_GOLDEN=1). Returns the plan, for the assertions a rule's test makes beyond the golden files.
 */
export function expectFixture(folder: URL, name: string): MigrationPlan {
  const dir = join(fileURLToPath(folder), name);
  const { files, options } = readFixture(folder, name);
  const plan = migrate(files, options);
  const written = new Map(plan.files.filter((f) => f.action !== 'delete').map((f) => [f.path, f.content]));
  const report = fixtureReport(plan);
  const expectedDir = join(dir, 'expected');
  if (process.env['UPDATE_GOLDEN']) {
    rmSync(expectedDir, { recursive: true, force: true });
    for (const [path, content] of written) {
      mkdirSync(dirname(join(expectedDir, path)), { recursive: true });
      writeFileSync(join(expectedDir, path), content);
    }
    writeFileSync(join(dir, 'report.txt'), report);
  }
  expect(existsSync(join(dir, 'report.txt')), `${name}: no report.txt; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(report, `${name}/report.txt`).toBe(readFileSync(join(dir, 'report.txt'), 'utf8'));
  const expected = existsSync(expectedDir) ? readTree(expectedDir) : new Map<string, string>();
  expect([...written.keys()].sort(), `${name}: the files the migration writes`).toEqual([...expected.keys()].sort());
  for (const [path, content] of written) expect(content, `${name}/expected/${path}`).toBe(expected.get(path));
  return plan;
}

/** One test a fixture of `folder`: the migration writes the reviewed files and report, and verify asked some requests and found none unexplained. */
export function itMigratesEachFixture(folder: URL): void {
  it.each(fixtureCases(folder))('%s: the migration writes the reviewed files and findings, and verify finds nothing unexplained', (name) => {
    const plan = expectFixture(folder, name);
    expect(plan.verification.requests).toBeGreaterThan(0);
    expect(plan.verification.uncovered).toEqual([]);
  });
}
