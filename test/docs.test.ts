import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, rules } from '../src/core/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('<!-- kinds:start -->'), readme.indexOf('<!-- kinds:end -->'));

describe('README table of OSM kinds', () => {
  it('names every kind and annotation a rule consumes', () => {
    for (const consumable of rules.flatMap((r) => r.consumes)) {
      const name = consumable.replace(/^(annotation|label):/, '').replace(/\/$/, '');
      expect(table, consumable).toContain(name);
    }
  });

  it('names every finding id (or its rule family with *)', () => {
    for (const id of Object.keys(catalogue)) {
      const [family, what] = id.split('/');
      const named = table.includes(id) || table.includes(`${family}/*`) || table.includes(`\`${what}\``) || ['load', 'plan', 'verify'].includes(family ?? '');
      expect(named, id).toBe(true);
    }
  });
});
