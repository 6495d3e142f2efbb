import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Checks requests against GitHub's own OpenAPI description (@octokit/openapi): the operation must exist for the method
 * and path, every query parameter must be one it declares, and a JSON body must match its request schema.
 */
interface Parameter { name?: string; in?: string; $ref?: string; required?: boolean }
interface Operation { operationId: string; parameters?: Parameter[]; requestBody?: { content?: Record<string, unknown> } }
interface Spec { paths: Record<string, Record<string, Operation>>; components: { parameters: Record<string, Parameter> } }

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Spec;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(dropUntypedNullable(spec), 'github');
const templates = Object.keys(spec.paths).map((template) => ({
  template,
  // A parameter is one segment, except the ones GitHub documents as paths (`{path}`, `{ref}`, `{basehead}`).
  re: new RegExp(`^${template.replace(/\{(path|ref|basehead|name)\}/g, '(.+)').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
  literal: template.replace(/\{[^}]+\}/g, '').length,
}));
const validators = new Map<string, ValidateFunction>();

export interface OpenApiCheck {
  readonly operationId?: string;
  readonly errors: readonly string[];
}

export function checkRequest(method: string, path: string, query: Readonly<Record<string, string>>, body: unknown): OpenApiCheck {
  const verb = method.toLowerCase();
  const matches = templates.filter((t) => t.re.test(path) && spec.paths[t.template]?.[verb]).sort((a, b) => b.literal - a.literal);
  const match = matches[0];
  if (!match) return { errors: [`${method} ${path}: no such operation in GitHub's OpenAPI description`] };
  const operation = spec.paths[match.template]?.[verb];
  if (!operation) return { errors: [`${method} ${path}: no operation`] };
  const errors: string[] = [];
  const declared = new Set((operation.parameters ?? []).map(resolveParameter).filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of Object.keys(query)) if (!declared.has(name)) errors.push(`${operation.operationId}: undeclared query parameter "${name}"`);
  const hasSchema = operation.requestBody?.content?.['application/json'] !== undefined;
  if (body !== undefined && hasSchema) {
    const key = `${match.template} ${verb}`;
    let validate = validators.get(key);
    if (!validate) {
      const pointer = `/paths/${escape(match.template)}/${verb}/requestBody/content/application~1json/schema`;
      validate = ajv.compile({ $ref: `github#${pointer}` });
      validators.set(key, validate);
    }
    if (!validate(body)) errors.push(...(validate.errors ?? []).map((e) => `${operation.operationId}: body${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  }
  return { operationId: operation.operationId, errors };
}

function resolveParameter(p: Parameter): Parameter {
  if (!p.$ref) return p;
  return spec.components.parameters[p.$ref.replace('#/components/parameters/', '')] ?? p;
}

function escape(template: string): string {
  return template.replace(/~/g, '~0').replace(/\//g, '~1').replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

/** OpenAPI 3.0 puts `nullable` beside `oneOf`/`allOf` too; Ajv accepts it only next to `type`. */
function dropUntypedNullable<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(dropUntypedNullable);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if ('nullable' in record && !('type' in record)) delete record.nullable;
    Object.values(record).forEach(dropUntypedNullable);
  }
  return node;
}
