import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { LINKERD_VERSIONS, migrate, type LinkerdVersion, type MigrationPlan } from '../../src/core/index.ts';
import { corpusRepositories, describeWithShared, EXAMPLES, readLazily, readTree, SCHEMAS } from '../support/shared.ts';

/**
 * Every generated resource, for every supported Linkerd version, validates against the CRD schema that version
 * ships (../shared/schemas/linkerd-<x.y>/), and its kind/apiVersion is one that version serves (SOURCES.tsv).
 * Plain JSON Schema does not enforce x-kubernetes-* extensions, defaults or CEL rules (schemas/README.md): those
 * rules (e.g. "a route's Server parentRef must not set port") are checked by the verify step and rule tests instead.
 */
const served = readLazily(() => new Set(
  readFileSync(join(SCHEMAS, 'SOURCES.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter((cols) => cols[3] === 'true')
    .map((cols) => cols[0]),
));

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(version: LinkerdVersion, apiVersion: string, kind: string): ValidateFunction | string {
  const file = `linkerd-${version}/${apiVersion.replace('/', '_')}_${kind}.json`;
  if (!served().has(file)) return `Linkerd ${version} does not serve ${apiVersion} ${kind}`;
  let validate = validators.get(file);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
    validators.set(file, validate);
  }
  return validate;
}

function problems(plan: MigrationPlan, version: LinkerdVersion): string[] {
  return plan.resources.flatMap(({ resource }) => {
    const validate = validatorFor(version, resource.apiVersion, resource.kind);
    const where = `${resource.kind}/${resource.metadata.name}`;
    if (typeof validate === 'string') return [`${where}: ${validate}`];
    if (validate(JSON.parse(JSON.stringify(resource)))) return [];
    return [`${where} (${resource.apiVersion}): ${ajv.errorsText(validate.errors)}`];
  });
}

describeWithShared('the examples and the corpus', () => {
  const inputs = [
    { name: 'examples/bookstore', files: readTree(join(EXAMPLES, 'bookstore')) },
    ...corpusRepositories().map((r) => ({ name: `corpus/${r.name}`, files: r.files })),
  ];

  describe.each(LINKERD_VERSIONS)('Linkerd %s', (version) => {
    it.each(inputs.map((i) => [i.name, i.files] as const))('%s: every generated resource is served and schema-valid', (_name, files) => {
      for (const splitStyle of ['httproute', 'trafficsplit'] as const) {
        const plan = migrate(files, { linkerdVersion: version, splitStyle });
        expect(problems(plan, version)).toEqual([]);
      }
    });
  });
});

it('generates resources at all (the check above is not vacuous)', () => {
  const plan = migrate(readTree(join(EXAMPLES, 'bookstore')));
  expect(new Set(plan.resources.map((r) => r.resource.kind))).toEqual(
    new Set(['Server', 'HTTPRoute', 'AuthorizationPolicy', 'MeshTLSAuthentication', 'NetworkAuthentication', 'EgressNetwork']),
  );
});
