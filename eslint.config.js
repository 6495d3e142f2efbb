import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';
import { readdirSync } from 'node:fs';

/*
 * The layers of src/core, lowest first. A module imports its own layer and the layers before it, never a later one:
 *
 *   base (source.ts, values.ts, options.ts, findings/, primitives/)
 *     → load → edits → inventory → osm → linkerd → rules → plan → phases → catalogue → render → migrate.ts, index.ts
 *
 * The finding catalogue (findings/catalogue.ts) collects the findings every layer declares beside its code, so it sits
 * above them all and below render, which shows titles and remediations; a lower layer names a finding id through it
 * as a type only (FindingId). migrate.ts's own findings (migrate-findings.ts) are collected with it.
 *
 * edits/ is what a rule asks to change in a loaded document (rules produce it, plan applies it). linkerd/ (the Linkerd
 * resource model, its builders, the Server plan, OSM match → route match) sits below rules: every rule builds its
 * Linkerd resources through it. Inside rules/, a rule folder imports its own files and the shared rules/*.ts, never
 * another rule folder; only rules/registry.ts imports the folders.
 *
 * verify/ stands beside the pipeline, not in it: it imports only base, load and inventory (OSM's mesh mode and
 * MeshConfig readings and Linkerd's resource shapes as types only), and nothing below plan imports it; plan, phases
 * and render import its report types (verify/types.ts, type-only elsewhere), migrate.ts runs it.
 *
 * Tests are exempt: they drive the pipeline from any stage. A later no-restricted-imports replaces an earlier one for
 * the same file, so every block below carries the purity patterns too (restrictImports).
 */
const CORE_LAYERS = [
  { name: 'base', modules: ['source.ts', 'values.ts', 'options.ts', 'findings/', 'primitives/'] },
  { name: 'load', modules: ['load/'] },
  { name: 'edits', modules: ['edits/'] },
  { name: 'inventory', modules: ['inventory/'] },
  { name: 'osm', modules: ['osm/'] },
  { name: 'linkerd', modules: ['linkerd/'] },
  { name: 'rules', modules: ['rules/'] },
  { name: 'plan', modules: ['plan/'] },
  { name: 'phases', modules: ['phases/'] },
  { name: 'catalogue', modules: ['findings/catalogue.ts', 'migrate-findings.ts'] },
  { name: 'render', modules: ['render/'] },
  { name: 'entry', modules: ['migrate.ts', 'index.ts'] },
];
const VERIFY = 'verify/';
const LAYER_ORDER = CORE_LAYERS.map((l) => l.name).join(' → ');

// A module of src/core in no layer would be checked by nothing: say where it goes.
for (const entry of readdirSync(new URL('src/core/', import.meta.url), { withFileTypes: true })) {
  const module = entry.isDirectory() ? `${entry.name}/` : entry.name;
  if (!entry.isDirectory() && (!module.endsWith('.ts') || module.endsWith('.test.ts'))) continue;
  if (module !== VERIFY && !CORE_LAYERS.some((l) => l.modules.includes(module))) {
    throw new Error(`eslint.config.js: src/core/${module} is in no layer: add it to CORE_LAYERS.`);
  }
}
const RULE_FOLDERS = readdirSync(new URL('src/core/rules/', import.meta.url), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** The import patterns naming a module wherever the importer stands ('../plan/x.ts', '../../plan/x.ts'). */
const importPatterns = (module) => [module.endsWith('/') ? `**/${module}**` : `**/${module}`];
const filesOf = (module) => (module.endsWith('/') ? `src/core/${module}**/*.ts` : `src/core/${module}`);

// The core is pure: text in, plan out. No file system, network, process or adapters.
const PURITY = [
  { group: ['node:*', 'fs', 'path', 'http', 'https', 'child_process'], message: 'src/core is pure: no Node built-ins.' },
  { group: ['probot', '@octokit/*', 'nock'], message: 'src/core knows nothing of GitHub.' },
  { group: ['**/github/**', '**/cli/**'], message: 'src/core must not import its adapters.' },
];

/** The layers after `index`, each refused. */
function laterLayers(index) {
  return CORE_LAYERS.slice(index + 1).map((later) => ({
    group: later.modules.flatMap(importPatterns),
    // Finding ids are named everywhere; the catalogue that collects them is taken as a type only.
    ...(later.name === 'catalogue' ? { allowTypeImports: true } : {}),
    message: `${CORE_LAYERS[index].name} comes before ${later.name} (src/core layers: ${LAYER_ORDER}; eslint.config.js): move what both need down into a shared module.`,
  }));
}

/** A file a more specific layer claims (findings/catalogue.ts within base's findings/) follows that layer only. */
function claimedElsewhere(layer) {
  return CORE_LAYERS.filter((other) => other !== layer).flatMap((other) => other.modules)
    .filter((m) => !m.endsWith('/') && layer.modules.some((own) => own.endsWith('/') && m.startsWith(own)))
    .map(filesOf);
}

/** What a layer may take of verify: nothing below plan; its report types from plan on; anything from the entry points. */
function verifyImports(index) {
  const layer = CORE_LAYERS[index];
  if (layer.name === 'entry') return [];
  if (index < CORE_LAYERS.findIndex((l) => l.name === 'plan')) {
    return [{ group: importPatterns(VERIFY), message: `verify is the check on the translator, not a part of it: ${layer.name} may not import it (shared helpers go in src/core/primitives).` }];
  }
  return [{
    group: [...importPatterns(VERIFY), '!**/verify/types.ts'],
    allowTypeImports: true,
    message: `${layer.name} takes verify's report types (verify/types.ts, or type-only imports); migrate.ts runs verify.`,
  }];
}

/** Every src/core module, its layer's import rule: purity, no later layer, verify as above. */
const restrictImports = (patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...PURITY, ...patterns] }] });
const layerConfigs = CORE_LAYERS.map((layer, index) => ({
  files: layer.modules.map(filesOf),
  ignores: ['src/core/**/*.test.ts', ...claimedElsewhere(layer)],
  rules: restrictImports([...laterLayers(index), ...verifyImports(index)]),
}));

const RULES = CORE_LAYERS.findIndex((l) => l.name === 'rules');
const ruleFolderPatterns = (folders, message) => (folders.length === 0 ? [] : [{ group: folders.flatMap((f) => importPatterns(`${f}/`)), message }]);
const ruleFolderConfigs = [
  {
    // The shared rule modules serve every rule folder and know none of them; registry.ts is the one list of rules.
    files: ['src/core/rules/*.ts'],
    ignores: ['src/core/rules/*.test.ts', 'src/core/rules/registry.ts'],
    rules: restrictImports([...laterLayers(RULES), ...verifyImports(RULES), ...ruleFolderPatterns(RULE_FOLDERS, 'A shared rule module imports no rule folder (only rules/registry.ts lists them).')]),
  },
  ...RULE_FOLDERS.map((folder) => ({
    files: [`src/core/rules/${folder}/**/*.ts`],
    ignores: ['src/core/**/*.test.ts'],
    rules: restrictImports([
      ...laterLayers(RULES),
      ...verifyImports(RULES),
      ...ruleFolderPatterns(RULE_FOLDERS.filter((f) => f !== folder), `rules/${folder} imports no other rule folder: move what both need into rules/*.ts, src/core/osm or src/core/linkerd.`),
    ]),
  })),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'process', 'fetch'],
    },
  },
  ...layerConfigs,
  ...ruleFolderConfigs,
  {
    // verify is the check on the translator: it must not share its reading of OSM nor its Linkerd helpers.
    files: ['src/core/verify/**/*.ts'],
    ignores: ['src/core/verify/**/*.test.ts'],
    rules: restrictImports([
      { group: ['**/edits/**', '**/rules/**', '**/osm/**', '**/plan/**', '**/phases/**', '**/render/**', '**/migrate.ts', '**/index.ts'], message: 'verify is independent of the translator: use src/core/primitives or write it here.' },
      { group: ['**/linkerd/**'], allowTypeImports: true, message: 'verify reads Linkerd resources itself (type-only imports of their shape are fine).' },
      { group: ['**/inventory/mesh-mode.ts', '**/inventory/mesh-config.ts'], allowTypeImports: true, message: "verify reads OSM's MeshConfig itself (type-only imports of the mesh mode are fine)." },
      { group: ['**/findings/catalogue.ts'], allowTypeImports: true, message: 'verify names finding ids (FindingId) as a type only.' },
    ]),
  },
  {
    files: ['src/github/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/core/*/**', '!**/core/index.ts'], message: 'Adapters import the core only through src/core/index.ts.' }],
      }],
    },
  },
  {
    files: ['**/*.test.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'golden'] }],
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      // A check that must hold after every test of a file (e.g. no OpenAPI violation) is an afterEach expectation.
      'vitest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['afterEach', 'itWithShared', 'itWithShared.each'] }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
