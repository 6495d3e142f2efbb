import type { NodePath } from '../source.ts';
import { isRecord } from '../values.ts';

/**
 * The fields a CRD schema declares: `true` for a leaf (any value), a nested schema for a mapping, `[schema]` for a
 * list whose items follow it. OSM's CRDs are structural, so the API server pruned every field they do not declare:
 * such a field did nothing in OSM, and a translation must say so rather than drop it silently.
 */
export type FieldSchema = { readonly [key: string]: true | FieldSchema | readonly [FieldSchema] };

/** Paths (from `base`) of every field of `value` the schema does not declare; undeclared subtrees are reported once. */
export function unknownFields(value: unknown, schema: FieldSchema, base: NodePath = []): NodePath[] {
  if (!isRecord(value)) return [];
  const found: NodePath[] = [];
  for (const [key, child] of Object.entries(value)) {
    const spec = schema[key];
    const path = [...base, key];
    if (spec === undefined) found.push(path);
    else if (spec === true) continue;
    else if (Array.isArray(spec)) {
      const items = spec[0] as FieldSchema;
      if (Array.isArray(child)) child.forEach((item, i) => found.push(...unknownFields(item, items, [...path, i])));
    } else found.push(...unknownFields(child, spec as FieldSchema, path));
  }
  return found;
}

/**
 * Paths (from `base`) of fields whose value has the wrong shape for the schema: a scalar where a mapping or a list
 * belongs, or the reverse. A structural CRD makes the API server reject the whole object for these.
 */
export function wrongTypedFields(value: unknown, schema: FieldSchema, base: NodePath = []): NodePath[] {
  if (!isRecord(value)) return [];
  const found: NodePath[] = [];
  for (const [key, child] of Object.entries(value)) {
    const spec = schema[key];
    const path = [...base, key];
    if (spec === undefined || spec === true || child === null || child === undefined) continue;
    if (Array.isArray(spec)) {
      if (!Array.isArray(child)) found.push(path);
      else child.forEach((item, i) => found.push(...(isRecord(item) ? wrongTypedFields(item, spec[0] as FieldSchema, [...path, i]) : [[...path, i]])));
    } else if (!isRecord(child)) found.push(path);
    else found.push(...wrongTypedFields(child, spec as FieldSchema, path));
  }
  return found;
}

/** `spec.httpRoutes[0].rateLimit` style, for messages. */
export function fieldName(path: NodePath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}

/** Every leaf under `value` (scalars, and empty mappings or lists), with its path from `base`. */
export function leafFields(value: unknown, base: NodePath = []): { readonly path: NodePath; readonly value: unknown }[] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((item, i) => leafFields(item, [...base, i]));
  if (isRecord(value) && Object.keys(value).length > 0) return Object.entries(value).flatMap(([k, v]) => leafFields(v, [...base, k]));
  return [{ path: base, value }];
}

/** `a.b: 1, c[0].d: "x"` for messages. */
export function describeLeaves(leaves: readonly { readonly path: NodePath; readonly value: unknown }[], from: number): string {
  return leaves.map((l) => `${fieldName(l.path.slice(from))}: ${JSON.stringify(l.value ?? null)}`).join(', ');
}
