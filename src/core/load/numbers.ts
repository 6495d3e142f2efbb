import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { apiGroup, type NodePath } from '../source.ts';
import { isRecord } from '../values.ts';
import { locate, type LoadedDocument } from './load.ts';

/**
 * Beyond any real OSM setting (ports, weights, counts, milliseconds all fit in 32 bits) and far below where doubles
 * lose integer precision: arithmetic on such a value (a weight gcd, a duration in ms) would overflow or never end.
 */
const ABSURD = 2 ** 32;

/** Whether a document is one of OSM's or SMI's own kinds, whose fields are all small non-negative numbers. */
function isOsmKind(value: unknown): boolean {
  if (!isRecord(value) || typeof value['apiVersion'] !== 'string') return false;
  const group = apiGroup(value['apiVersion']);
  return group.endsWith('smi-spec.io') || group.endsWith('openservicemesh.io');
}

/**
 * One error per non-finite, negative or absurd number in an OSM document, at its line. The value is removed from the
 * loaded data (the text is not touched), so every rule sees the field as missing and no arithmetic runs on it.
 */
export function dropInvalidNumbers(doc: LoadedDocument): Finding[] {
  if (!isOsmKind(doc.value)) return [];
  const findings: Finding[] = [];
  const visit = (value: unknown, path: NodePath): boolean => {
    if (typeof value === 'number') {
      if (Number.isFinite(value) && value >= 0 && value < ABSURD) return false;
      const name = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);
      const metadata = isRecord(doc.value) && isRecord(doc.value['metadata']) ? doc.value['metadata'] : {};
      const kind = isRecord(doc.value) ? String(doc.value['kind'] ?? '') : '';
      findings.push(finding('load/invalid-number', locate(doc, path), {
        resource: `${kind}/${typeof metadata['namespace'] === 'string' ? `${metadata['namespace']}/` : ''}${String(metadata['name'] ?? '')}`,
        message: `${name} is ${String(value)}: ${Number.isNaN(value) ? 'not a number' : !Number.isFinite(value) ? 'infinite' : value < 0 ? 'negative' : 'beyond any value OSM accepts'}. The translation treats it as missing.`,
      }));
      return true;
    }
    if (Array.isArray(value)) value.forEach((item, i) => { if (visit(item, [...path, i])) value[i] = null; });
    else if (isRecord(value)) for (const [key, child] of Object.entries(value)) if (visit(child, [...path, key])) delete value[key];
    return false;
  };
  visit(doc.value, []);
  return findings;
}
