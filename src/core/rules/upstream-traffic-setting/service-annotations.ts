import type { Service } from '../../inventory/model.ts';
import { isRecord } from '../../values.ts';
import type { Emitter } from '../emitter.ts';

export type Annotations = readonly (readonly [key: string, value: string])[];

/**
 * Adds annotations to a Service manifest with lossless `set-key` edits, one line each.
 *
 * Every edit intent is computed against the original text, so two intents that each have to create a missing
 * `metadata.annotations` mapping would both insert an `annotations:` key: a duplicate key, i.e. broken YAML. When
 * the Service has no `annotations` key at all, nothing is edited and `false` is returned; the caller raises a
 * finding with the lines to add by hand (an existing mapping, even `{}` or empty, takes any number of keys).
 */
export function annotateService(out: Emitter, service: Service, annotations: Annotations): boolean {
  const metadata = service.object.body['metadata'];
  if (!isRecord(metadata) || !Object.hasOwn(metadata, 'annotations')) return false;
  for (const [key, value] of annotations) {
    out.edit({ type: 'set-key', doc: service.object.doc, path: ['metadata', 'annotations'], key, value });
  }
  return true;
}

/** The annotations as the YAML a person pastes under `metadata:` of the Service. */
export function annotationsYaml(annotations: Annotations): string {
  return ['```yaml', 'metadata:', '  annotations:', ...annotations.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`), '```'].join('\n');
}

/** `key: "value", …` on one line, for messages. */
export function annotationsInline(annotations: Annotations): string {
  return annotations.map(([k, v]) => `${k}: "${v}"`).join(', ');
}
