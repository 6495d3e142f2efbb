import type { Finding } from '../findings/finding.ts';
import { finding } from './unhandled-findings.ts';
import type { Inventory, K8sObject } from '../inventory/model.ts';
import { formatRef, type NodePath } from '../source.ts';
import { asRecord, getIn } from '../values.ts';
import type { Consumed } from './rule.ts';

const OSM_KEY = /^openservicemesh\.io\/|^osm-proxy-uuid$/;

/**
 * Nothing is dropped silently: every OSM/SMI object and every openservicemesh.io key that no rule consumed becomes
 * a finding (ingress2gateway's catch-all, made general).
 */
export function unhandledFindings(inventory: Inventory, consumed: readonly Consumed[], fields: ReadonlyMap<string, readonly string[]> = new Map()): Finding[] {
  const whole = new Set(consumed.filter((c) => !c.path).map((c) => c.object));
  const paths = new Set(consumed.filter((c) => c.path).map((c) => pathKey(c.object, c.path ?? [])));
  const findings: Finding[] = [];
  for (const object of inventory.osmObjects) {
    if (whole.has(object)) {
      findings.push(...unknownFields(object, fields.get(object.ref.kind)));
      continue;
    }
    findings.push(finding('unhandled/osm-kind', object.locate(['kind']), {
      resource: formatRef(object.ref),
      message: { refKind: object.ref.kind, ref: formatRef(object.ref), apiVersion: object.ref.apiVersion || 'no apiVersion' },
    }));
  }
  for (const object of inventory.objects) {
    for (const metadataPath of metadataPaths(object)) {
      for (const field of ['annotations', 'labels'] as const) {
        for (const key of Object.keys(asRecord(getIn(object.body, [...metadataPath, field])))) {
          if (!OSM_KEY.test(key) || paths.has(pathKey(object, [...metadataPath, field, key]))) continue;
          findings.push(finding('unhandled/osm-annotation', object.locate([...metadataPath, field, key]), {
            resource: formatRef(object.ref),
            message: `${field === 'labels' ? 'Label' : 'Annotation'} ${key} on ${formatRef(object.ref)} is not translated.`,
          }));
        }
      }
    }
  }
  return findings;
}

/** Leaves under `spec` that none of the consuming rule's field patterns covers. */
function unknownFields(object: K8sObject, patterns: readonly string[] | undefined): Finding[] {
  if (!patterns) return [];
  return specLeaves(object.body).filter(({ shape }) => !fieldCovered(patterns, shape)).map(({ path, shape }) =>
    finding('unhandled/osm-field', object.locate(path), {
      resource: formatRef(object.ref),
      message: { shape, ref: formatRef(object.ref) },
    }));
}

/** Every leaf value under `spec`, with its path and its shape (`spec.rules[].matches[]`: list indices erased). Empty lists and maps hold nothing to drop. */
export function specLeaves(body: unknown): { path: NodePath; shape: string }[] {
  const leaves: { path: NodePath; shape: string }[] = [];
  const walk = (value: unknown, path: NodePath, shape: string) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i], `${shape}[]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key], `${shape}.${key}`);
    } else leaves.push({ path, shape });
  };
  const spec = getIn(body, ['spec']);
  if (spec !== undefined) walk(spec, ['spec'], 'spec');
  return leaves;
}

/** Whether a field shape is one of the patterns or lies below one. */
export function fieldCovered(patterns: readonly string[], shape: string): boolean {
  return patterns.some((p) => fieldPattern(p).test(shape));
}

/** `spec.rules[].matches` covers itself and everything below; `*` is any one key. */
function fieldPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|\\]/g, '\\$&').replace(/\[\]/g, '\\[\\]').replace(/\*/g, '[^.\\[]+');
  return new RegExp(`^${escaped}(?:[.\\[].*)?$`);
}

/** The object's own metadata, and its pod template's when it has one. */
function metadataPaths(object: K8sObject): NodePath[] {
  const candidates: NodePath[] = [['metadata'], ['spec', 'template', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata']];
  return candidates.filter((p) => getIn(object.body, p) !== undefined);
}

function pathKey(object: K8sObject, path: NodePath): string {
  return `${object.doc.file}#${object.doc.index}#${path.join('\u0000')}`;
}
