import { finding, type Finding } from '../findings/finding.ts';
import type { Inventory, K8sObject } from '../inventory/model.ts';
import { formatRef, type NodePath } from '../source.ts';
import { asRecord, getIn } from '../values.ts';
import type { Consumed } from './rule.ts';

const OSM_KEY = /^openservicemesh\.io\/|^osm-proxy-uuid$/;

/**
 * Nothing is dropped silently: every OSM/SMI object and every openservicemesh.io key that no rule consumed becomes
 * a finding (ingress2gateway's catch-all, made general).
 */
export function unhandledFindings(inventory: Inventory, consumed: readonly Consumed[]): Finding[] {
  const whole = new Set(consumed.filter((c) => !c.path).map((c) => c.object));
  const paths = new Set(consumed.filter((c) => c.path).map((c) => pathKey(c.object, c.path ?? [])));
  const findings: Finding[] = [];
  for (const object of inventory.osmObjects) {
    if (whole.has(object)) continue;
    findings.push(finding('unhandled/osm-kind', object.locate(['kind']), {
      resource: formatRef(object.ref),
      message: `${object.ref.kind} ${formatRef(object.ref)} (${object.ref.apiVersion || 'no apiVersion'}) is not translated by this version: it is kept as it is.`,
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

/** The object's own metadata, and its pod template's when it has one. */
function metadataPaths(object: K8sObject): NodePath[] {
  const candidates: NodePath[] = [['metadata'], ['spec', 'template', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata']];
  return candidates.filter((p) => getIn(object.body, p) !== undefined);
}

function pathKey(object: K8sObject, path: NodePath): string {
  return `${object.doc.file}#${object.doc.index}#${path.join('\u0000')}`;
}
