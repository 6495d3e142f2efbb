import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layers of src/core (eslint.config.js): each layer imports the ones before it, never a later one; rule folders
 * import no other rule folder; verify stands beside the pipeline. Each case lints a probe file placed in a layer.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

async function refusals(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

function specifier(from: string, to: string): string {
  const relative = posix.relative(posix.dirname(from), to);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** Lowest first: a probe file inside each layer, and a real module of it to import. */
const LAYERS: readonly { readonly name: string; readonly probe: string; readonly module: string }[] = [
  { name: 'base', probe: 'src/core/primitives/probe.ts', module: 'src/core/source.ts' },
  { name: 'load', probe: 'src/core/load/probe.ts', module: 'src/core/load/load.ts' },
  { name: 'edits', probe: 'src/core/edits/probe.ts', module: 'src/core/edits/edit-intent.ts' },
  { name: 'inventory', probe: 'src/core/inventory/probe.ts', module: 'src/core/inventory/model.ts' },
  { name: 'osm', probe: 'src/core/osm/probe.ts', module: 'src/core/osm/access-model.ts' },
  { name: 'linkerd', probe: 'src/core/linkerd/probe.ts', module: 'src/core/linkerd/build.ts' },
  { name: 'rules', probe: 'src/core/rules/traffic-split/probe.ts', module: 'src/core/rules/rule.ts' },
  { name: 'plan', probe: 'src/core/plan/probe.ts', module: 'src/core/plan/plan.ts' },
  { name: 'phases', probe: 'src/core/phases/probe.ts', module: 'src/core/phases/order.ts' },
  { name: 'catalogue', probe: 'src/core/migrate-findings.ts', module: 'src/core/findings/catalogue.ts' },
  { name: 'render', probe: 'src/core/render/probe.ts', module: 'src/core/render/json.ts' },
  { name: 'entry', probe: 'src/core/index.ts', module: 'src/core/migrate.ts' },
];
const pairs = LAYERS.flatMap((lower, i) => LAYERS.slice(i + 1).map((higher) => ({ lower, higher })));

describe('src/core layers: base → load → edits → inventory → osm → linkerd → rules → plan → phases → catalogue → render → entry', () => {
  it.each(pairs.filter((p) => p.higher.name !== 'catalogue').map((p) => [p.lower.name, p.higher.name, p] as const))('%s may not import %s, not even a type', async (_l, _h, { lower, higher }) => {
    const from = specifier(lower.probe, higher.module);
    expect(await refusals(lower.probe, `import type * as later from '${from}';\nexport type Later = typeof later;`)).toEqual([
      expect.stringContaining(`'${from}' import is restricted from being used by a pattern. ${lower.name} comes before ${higher.name}`),
    ]);
  });

  it.each(pairs.map((p) => [p.higher.name, p.lower.name, p] as const))('%s imports %s', async (_h, _l, { lower, higher }) => {
    expect(await refusals(higher.probe, `import * as earlier from '${specifier(higher.probe, lower.module)}';\nexport const used = earlier;`)).toEqual([]);
  });

  it.each(pairs.filter((p) => p.higher.name === 'catalogue').map((p) => [p.lower.name, p] as const))('%s names finding ids through the catalogue as a type only', async (_l, { lower, higher }) => {
    const from = specifier(lower.probe, higher.module);
    expect(await refusals(lower.probe, `import type { FindingId } from '${from}';\nexport type Id = FindingId;`)).toEqual([]);
    expect(await refusals(lower.probe, `import { catalogue } from '${from}';\nexport const c = catalogue;`)).toEqual([
      expect.stringContaining(`'${from}' import is restricted from being used by a pattern. ${lower.name} comes before catalogue`),
    ]);
  });

  it('the moved shared modules are importable from every rule folder', async () => {
    expect(await refusals('src/core/rules/egress/probe.ts', [
      "import { translateHttpMatch } from '../../linkerd/http-match.ts';",
      "import { contains } from '../../osm/match-overlap.ts';",
      "import { routeGroupsOfEgresses } from '../../osm/egress-route-groups.ts';",
      "import type { EditIntent } from '../../edits/edit-intent.ts';",
      "import { Emitter } from '../emitter.ts';",
      "import { readEgressPolicies } from './read-egress.ts';",
      'export type Edit = EditIntent;',
      'export const all = [translateHttpMatch, contains, routeGroupsOfEgresses, Emitter, readEgressPolicies];',
    ].join('\n'))).toEqual([]);
  });
});

describe('rule folders', () => {
  const folders = readdirSync(join(root, 'src/core/rules'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const neighbours = folders.map((folder, i) => [folder, folders[(i + 1) % folders.length] ?? folder] as const);

  it('are more than one (the cases below compare pairs of them)', () => {
    expect(folders.length).toBeGreaterThan(1);
  });

  it.each(neighbours)('rules/%s may not import rules/%s', async (folder, other) => {
    expect(await refusals(`src/core/rules/${folder}/probe.ts`, `import * as sibling from '../${other}/${other}.ts';\nexport const used = sibling;`)).toEqual([
      expect.stringContaining(`rules/${folder} imports no other rule folder`),
    ]);
  });

  it('a shared rule module imports no rule folder; registry.ts lists them', async () => {
    const source = "import { trafficSplitRule } from './traffic-split/traffic-split.ts';\nexport const used = trafficSplitRule;";
    expect(await refusals('src/core/rules/emitter.ts', source)).toEqual([expect.stringContaining('A shared rule module imports no rule folder')]);
    expect(await refusals('src/core/rules/registry.ts', source)).toEqual([]);
  });
});

describe('verify stands beside the pipeline', () => {
  const belowPlan = LAYERS.slice(0, LAYERS.findIndex((l) => l.name === 'plan'));
  const reporters = LAYERS.filter((l) => ['plan', 'phases', 'render'].includes(l.name));

  it.each(belowPlan.map((l) => [l.name, l] as const))('%s may not import verify', async (_n, layer) => {
    const from = specifier(layer.probe, 'src/core/verify/types.ts');
    expect(await refusals(layer.probe, `import type { Decision } from '${from}';\nexport type D = Decision;`)).toEqual([
      expect.stringContaining(`verify is the check on the translator, not a part of it: ${layer.name} may not import it`),
    ]);
  });

  it.each(reporters.map((l) => [l.name, l] as const))('%s takes its report types, not its checks', async (_n, layer) => {
    const phaseVerify = specifier(layer.probe, 'src/core/verify/phase-verify.ts');
    const types = specifier(layer.probe, 'src/core/verify/types.ts');
    expect(await refusals(layer.probe, [
      `import type { PhaseVerification } from '${phaseVerify}';`,
      `import { describeSource } from '${types}';`,
      'export type P = PhaseVerification;',
      'export const d = describeSource;',
    ].join('\n'))).toEqual([]);
    expect(await refusals(layer.probe, `import { verifyPhase } from '${phaseVerify}';\nexport const v = verifyPhase;`)).toEqual([
      expect.stringContaining(`${layer.name} takes verify's report types`),
    ]);
  });

  it('migrate.ts runs it', async () => {
    expect(await refusals('src/core/migrate.ts', "import { verify } from './verify/verify.ts';\nexport const v = verify;")).toEqual([]);
  });

  it('verify imports load and inventory readers, OSM mesh-mode readings as types only, nothing later', async () => {
    expect(await refusals('src/core/verify/probe.ts', [
      "import { loadRepository } from '../load/load.ts';",
      "import { buildInventory } from '../inventory/inventory.ts';",
      "import type { MeshMode } from '../inventory/mesh-mode.ts';",
      'export type M = MeshMode;',
      'export const all = [loadRepository, buildInventory];',
    ].join('\n'))).toEqual([]);
    const later = ['../inventory/mesh-mode.ts', '../edits/edit-intent.ts', '../phases/order.ts', '../render/json.ts', '../migrate.ts'];
    expect(await refusals('src/core/verify/probe.ts', [
      ...later.map((from, i) => `import * as m${i} from '${from}';`),
      `export const all = [${later.map((_, i) => `m${i}`).join(', ')}];`,
    ].join('\n'))).toEqual(later.map((from) => expect.stringContaining(`'${from}' import is restricted`)));
  });
});

describe('a src/core module in no layer', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'layers-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('stops the lint with where to put it', async () => {
    copyFileSync(join(root, 'eslint.config.js'), join(scratch, 'eslint.config.js'));
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
    mkdirSync(join(scratch, 'src/core/rules/some-kind'), { recursive: true });
    mkdirSync(join(scratch, 'src/core/stray'));
    writeFileSync(join(scratch, 'src/core/stray/stray.ts'), 'export const stray = 1;\n');
    await expect(new ESLint({ cwd: scratch }).lintFiles(['src/core/stray/stray.ts'])).rejects.toThrow('src/core/stray/ is in no layer: add it to CORE_LAYERS.');
  });
});
