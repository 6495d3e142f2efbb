import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../findings/catalogue.ts';
import { rules } from './registry.ts';
import { INGRESS_CRD_KINDS } from './surroundings/ingress-crds.ts';

const RULES_DIR = fileURLToPath(new URL('.', import.meta.url));
const CORE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Every source file of the core (tests excluded), relative to src/core. */
function coreSources(dir = CORE_DIR, prefix = ''): string[] {
  return readdirSync(`${dir}${prefix}`).flatMap((name) => {
    const path = `${prefix}${name}`;
    if (statSync(`${dir}${path}`).isDirectory()) return coreSources(dir, `${path}/`);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}
const isFindingsModule = (path: string) => /(^|\/|-)findings\.ts$/.test(path);
const ruleFolders = () => readdirSync(RULES_DIR).filter((name) => statSync(`${RULES_DIR}/${name}`).isDirectory()).sort();

describe('rule registry', () => {
  it('registers every rule folder, and only those (a folder per rule, its id = folder = file stem)', () => {
    expect(rules.map((r) => r.id).sort()).toEqual(ruleFolders());
  });

  it('gives each consumable one owner', () => {
    const owners = rules.flatMap((r) => r.consumes);
    expect(owners.length).toBe(new Set(owners).size);
  });

  it('declares the known spec fields of every OSM kind it consumes whole (so unknown fields are reported)', () => {
    for (const rule of rules) {
      const kinds = rule.consumes.filter((c) => /^[A-Z][A-Za-z]+$/.test(c) && !['NetworkPolicy', 'Ingress', 'HelmRelease', 'Application', 'CustomResourceDefinition', 'Canary', 'Rollout', ...INGRESS_CRD_KINDS].includes(c));
      expect(Object.keys(rule.fields ?? {}).sort(), rule.id).toEqual(kinds.sort());
    }
  });

  it('makes a new OSM kind one folder: a rule, its findings.ts and README.md, registered with the findings it declares', async () => {
    for (const folder of ruleFolders()) {
      for (const file of [`${folder}.ts`, 'findings.ts', 'README.md']) expect(existsSync(`${RULES_DIR}/${folder}/${file}`), `${folder}/${file}`).toBe(true);
      const module = await import(`./${folder}/findings.ts`) as Record<string, unknown>;
      const rule = rules.find((r) => r.id === folder);
      // The registry line carries the folder's findings into the catalogue: `raises` is the one findings.ts exports.
      expect(rule?.raises, folder).toBe(module.raises);
    }
  });

  it('collects every findings module into the catalogue, each id declared once (every raised id is declared)', async () => {
    const seen = new Map<string, string>();
    for (const path of coreSources().filter(isFindingsModule)) {
      const module = await import(`../${path}`) as Record<string, unknown>;
      const declared = Object.entries(module).filter(([name]) => name.endsWith('Findings'));
      expect(declared.length, path).toBe(1);
      for (const [id, spec] of Object.entries(declared[0]?.[1] as object)) {
        expect(seen.get(id), `${id} declared in ${seen.get(id)} and ${path}`).toBeUndefined();
        seen.set(id, path);
        expect(catalogue[id as keyof typeof catalogue], id).toMatchObject(spec as object);
      }
    }
    expect([...seen.keys()].sort()).toEqual(Object.keys(catalogue));
  });

  it('raises every declared id somewhere: each is named by code outside the findings modules', () => {
    const code = coreSources().filter((path) => !isFindingsModule(path) && !path.startsWith('findings/')).map((path) => readFileSync(`${CORE_DIR}${path}`, 'utf8')).join('\n');
    expect(Object.keys(catalogue).filter((id) => !code.includes(`'${id}'`))).toEqual([]);
  });

  it('has a title and a remediation for every finding', () => {
    for (const entry of Object.values(catalogue)) {
      expect(entry.title.length).toBeGreaterThan(10);
      expect(entry.remediation.length).toBeGreaterThan(30);
    }
  });
});
