import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogue, type FindingId } from '../findings/catalogue.ts';
import { rules } from './registry.ts';
import { INGRESS_CRD_KINDS } from './surroundings/ingress-crds.ts';

const RULES_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Pipeline stages that raise findings outside any rule. */
const STAGE_FINDINGS: readonly FindingId[] = [
  'load/yaml-syntax-error', 'load/helm-template-osm-reference', 'load/namespace-unknown', 'load/namespace-ambiguous', 'load/namespace-overridden',
  'load/unexpanded-variable', 'mesh-mode/assumed-smi', 'plan/edit-failed', 'plan/value-replaced', 'plan/file-kept',
  'inventory/namespace-from-deployment-unit', 'inventory/object-in-several-files', 'inventory/not-deployed', 'inventory/script-namespace-not-evidence', 'unhandled/osm-kind', 'unhandled/osm-annotation', 'unhandled/osm-field',
  'verify/uncovered-difference',
  'kustomize/entry-outside-repository', 'kustomize/patch-not-exact', 'kustomize/patch-target-missing', 'kustomize/overlay-translated',
  // Hostile input: paths the adapters did not read, limits, and the values the loader refuses.
  'load/symlink-not-read', 'load/submodule-not-read', 'load/file-too-large', 'load/binary-file', 'load/invalid-utf8', 'load/alias-limit',
  'load/invalid-number', 'plan/path-not-writable', 'traffic-target/too-many-matches',
  'phases/osm-bridge-widens', 'phases/call-order', 'phases/temporarily-wider', 'phases/call-cycle', 'phases/outage',
];

describe('rule registry', () => {
  it('registers every rule folder, and only those (a folder per rule, its id = folder = file stem)', () => {
    const folders = readdirSync(RULES_DIR).filter((name) => statSync(`${RULES_DIR}/${name}`).isDirectory()).sort();
    expect(rules.map((r) => r.id).sort()).toEqual(folders);
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

  it('every finding a rule may raise is in the catalogue, and every catalogue id is raised somewhere', () => {
    const emitted = new Set<string>([...rules.flatMap((r) => r.emits), ...STAGE_FINDINGS]);
    for (const id of emitted) expect(Object.keys(catalogue)).toContain(id);
    expect(Object.keys(catalogue).filter((id) => !emitted.has(id))).toEqual([]);
  });

  it('has a title and a remediation for every finding', () => {
    for (const entry of Object.values(catalogue)) {
      expect(entry.title.length).toBeGreaterThan(10);
      expect(entry.remediation.length).toBeGreaterThan(30);
    }
  });
});
