import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * verify is the check on the translator (issue 7): the lint config forbids it the translator's code, so a shared
 * mistake cannot make both agree. Lints a probe file placed in src/core/verify.
 */
describe('src/core/verify imports nothing of the translator', () => {
  const lint = async (source: string) => {
    const [result] = await new ESLint().lintText(source, { filePath: 'src/core/verify/probe.ts' });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message.split(' import')[0]);
  };

  it('refuses rules/, osm/, plan/ and values from linkerd/', async () => {
    expect(await lint([
      "import { rules } from '../rules/registry.ts';",
      "import { readAccessModel } from '../osm/access-model.ts';",
      "import { planFiles } from '../plan/plan.ts';",
      "import { serverName } from '../linkerd/servers.ts';",
      'export const all = [rules, readAccessModel, planFiles, serverName];',
    ].join('\n'))).toEqual(["'../rules/registry.ts'", "'../osm/access-model.ts'", "'../plan/plan.ts'", "'../linkerd/servers.ts'"]);
  });

  it('allows the neutral modules and type-only Linkerd shapes', async () => {
    expect(await lint([
      "import type { LinkerdResource } from '../linkerd/resources.ts';",
      "import { inCidr } from '../primitives/cidr.ts';",
      "import type { Inventory } from '../inventory/model.ts';",
      'export type Both = [LinkerdResource, Inventory];',
      'export const check = inCidr;',
    ].join('\n'))).toEqual([]);
  });
});
