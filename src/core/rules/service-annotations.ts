import type { Service } from '../inventory/model.ts';
import type { Emitter } from './emitter.ts';

export type Annotations = readonly (readonly [key: string, value: string])[];

/**
 * Adds annotations to a Service manifest with lossless `set-key` edits, one line each. A Service without
 * `metadata.annotations` is fine: the planner merges every set-key on the same mapping, so the missing mapping is
 * created once, holding these and any other rule's annotations.
 */
export function annotateService(out: Emitter, service: Service, annotations: Annotations): void {
  for (const [key, value] of annotations) {
    out.edit({ type: 'set-key', doc: service.object.doc, path: ['metadata', 'annotations'], key, value });
  }
}

/** The annotations as the YAML a person pastes under `metadata:` of the Service. */
export function annotationsYaml(annotations: Annotations): string {
  return ['```yaml', 'metadata:', '  annotations:', ...annotations.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`), '```'].join('\n');
}

/** `key: "value", …` on one line, for messages. */
export function annotationsInline(annotations: Annotations): string {
  return annotations.map(([k, v]) => `${k}: "${v}"`).join(', ');
}
