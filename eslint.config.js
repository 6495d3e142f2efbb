import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      // The core is pure: text in, plan out. No file system, network, process or adapters.
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'http', 'https', 'child_process'], message: 'src/core is pure: no Node built-ins.' },
          { group: ['probot', '@octokit/*', 'nock'], message: 'src/core knows nothing of GitHub.' },
          { group: ['**/github/**', '**/cli/**'], message: 'src/core must not import its adapters.' },
        ],
      }],
      'no-restricted-globals': ['error', 'process', 'fetch'],
    },
  },
  {
    // verify is the check on the translator: it must not share its reading of OSM nor its Linkerd helpers.
    // (Repeats the purity patterns: a later no-restricted-imports replaces the earlier one for these files.)
    files: ['src/core/verify/**/*.ts'],
    ignores: ['src/core/verify/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'http', 'https', 'child_process'], message: 'src/core is pure: no Node built-ins.' },
          { group: ['probot', '@octokit/*', 'nock'], message: 'src/core knows nothing of GitHub.' },
          { group: ['**/github/**', '**/cli/**'], message: 'src/core must not import its adapters.' },
          { group: ['**/rules/**', '**/osm/**', '**/plan/**'], message: 'verify is independent of the translator: use src/core/primitives or write it here.' },
          { group: ['**/linkerd/**'], allowTypeImports: true, message: 'verify reads Linkerd resources itself (type-only imports of their shape are fine).' },
        ],
      }],
    },
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
