import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { LinkerdResource } from '../../src/core/linkerd/resources.ts';
import type { LinkerdVersion } from '../../src/core/options.ts';
import { readLazily, SCHEMAS } from './shared.ts';

/** The CRD files ../shared/schemas/SOURCES.tsv marks as served (column 4), e.g. `linkerd-2.20/policy.linkerd.io_v1beta3_HTTPRoute.json`. */
const served = readLazily(() => new Set(
  readFileSync(join(SCHEMAS, 'SOURCES.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')).filter((c) => c[3] === 'true').map((c) => c[0]),
));
const ajv = new Ajv({ strict: false, allErrors: true });

/**
 * What the CRDs of a Linkerd version say about resources (the conformance test's check, for resources the corpus
 * cannot produce): a kind the version does not serve, or the schema's errors; empty when every resource is valid.
 */
export function schemaProblems(version: LinkerdVersion, resources: readonly LinkerdResource[]): string[] {
  return resources.flatMap((r) => {
    const file = `linkerd-${version}/${r.apiVersion.replace('/', '_')}_${r.kind}.json`;
    if (!served().has(file)) return [`${r.kind}: not served by ${version}`];
    const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
    return validate(JSON.parse(JSON.stringify(r))) ? [] : [`${r.kind}/${r.metadata.name}: ${ajv.errorsText(validate.errors)}`];
  });
}
