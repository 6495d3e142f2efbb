import { finding, raises, type RaisedId } from './findings.ts';
import { meshFeatureFlags, type MeshFeatureFlags } from '../../inventory/mesh-config.ts';
import type { Inventory, K8sObject, Service } from '../../inventory/model.ts';
import { GENERATED_BY_LABEL, type LinkerdResource } from '../../linkerd/resources.ts';
import { existingServiceProfile, serviceProfileName } from '../../linkerd/service-profiles.ts';
import { features, SERVICE_PROFILE_API } from '../../linkerd/versions.ts';
import { ignoredNamespace, ignoredNamespaceReason } from '../../osm/meshed.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { asArray, asRecord, asString } from '../../values.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { fieldName, unknownFields, type FieldSchema } from '../crd-fields.ts';
import { annotateService, annotationsInline, annotationsYaml } from '../service-annotations.ts';
import { retryAnnotations, translateRetryPolicy, type TranslatedRetry } from './retry-policy.ts';
import { generatedNamespace } from '../../inventory/model.ts';

/**
 * Retry (policy.openservicemesh.io/v1alpha1, osm-semantics §3.4) → Linkerd retries on the destination Service:
 * `retry.linkerd.io/*` annotations on 2.16+, a ServiceProfile with a retryable catch-all route before
 * (linkerd-reference §5). OSM honoured Retry only with MeshConfig `featureFlags.enableRetryPolicy: true` (default
 * false, §4.1), and only for its source ServiceAccount's requests: Linkerd's are for every client.
 */
export const retryRule = defineRule({
  id: 'retry',
  consumes: ['Retry'],
  // The whole spec: the rule checks it against OSM's CRD schema (SCHEMA): every field outside it is named by this rule.
  fields: { Retry: ['spec'] },
  raises,
  translate: translateRetries,
});

/** `cmd/osm-bootstrap/crds/policy_retry.yaml` (v1.2.4). */
const SCHEMA: FieldSchema = {
  source: { kind: true, name: true, namespace: true },
  destinations: [{ kind: true, name: true, namespace: true }],
  retryPolicy: { retryOn: true, perTryTimeout: true, numRetries: true, retryBackoffBaseInterval: true },
};

/** One (Retry, destination Service) pair OSM applied to the source's outbound route to that Service. */
interface Candidate {
  readonly retry: K8sObject;
  readonly index: number;
  readonly source: string;
  readonly namespace: string;
  readonly service: string;
  readonly policy: TranslatedRetry;
  readonly annotations: readonly [string, string][];
}

export function translateRetries(input: RuleInput): RuleOutput {
  const out = new Emitter();
  const { inventory } = input;
  const flags = meshFeatureFlags(inventory);
  const byDestination = new Map<string, Candidate[]>();
  for (const retry of inventory.osm('Retry')) {
    out.consume(retry);
    // osm-semantics §5: no sidecar in an ignored namespace, so a Retry there (or from a source there) never applied.
    const sourceNamespace = asString(asRecord(asRecord(retry.body['spec'])['source'])['namespace']);
    const ignored = ignoredNamespace(inventory, retry.ref.namespace, sourceNamespace);
    if (ignored !== undefined) {
      report(out, 'retry/namespace-ignored', retry, ignored === retry.ref.namespace ? ['metadata', 'namespace'] : ['spec', 'source', 'namespace'],
        `OSM never applied ${formatRef(retry.ref)}: ${ignoredNamespaceReason(ignored)}. No request was retried; nothing is generated.`);
      continue;
    }
    for (const c of readRetry(out, retry, flags)) {
      const key = `${c.namespace}/${c.service}`;
      byDestination.set(key, [...(byDestination.get(key) ?? []), c]);
    }
  }
  for (const candidates of byDestination.values()) translateDestination(input, out, candidates);
  return out.output();
}

function report(out: Emitter, id: RaisedId, object: K8sObject, path: NodePath, message: string): void {
  out.finding(finding(id, object.locate(path), { resource: formatRef(object.ref), message }));
}

/** The destinations a Retry applied to, with its translated policy; findings for everything OSM ignored or Linkerd lacks. */
function readRetry(out: Emitter, retry: K8sObject, flags: MeshFeatureFlags): Candidate[] {
  const resource = formatRef(retry.ref);
  const spec = asRecord(retry.body['spec']);
  for (const path of unknownFields(spec, SCHEMA, ['spec'])) {
    report(out, 'retry/unknown-field', retry, path, `${fieldName(path)} of ${resource} is not a field of Retry: OSM's API server pruned it, so it did nothing. Not translated.`);
  }
  const policy = translateRetryPolicy(asRecord(spec['retryPolicy']));
  const annotations = retryAnnotations(policy);
  const destinations = asArray(spec['destinations']).map(asRecord);
  if (!flags.enableRetryPolicy) {
    const where = !flags.meshConfig
      ? 'The repository has no MeshConfig, and OSM\'s default featureFlags.enableRetryPolicy is false'
      : flags.explicit.has('enableRetryPolicy')
        ? `${formatRef(flags.meshConfig.object.ref)} sets featureFlags.enableRetryPolicy: false`
        : `${formatRef(flags.meshConfig.object.ref)} leaves featureFlags.enableRetryPolicy out (default false)`;
    const would = annotations.length > 0
      ? ` Had it been on, this would be ${annotationsInline(annotations)} on ${destinations.map((d) => `Service ${asString(d['namespace']) ?? '?'}/${asString(d['name']) ?? '?'}`).join(', ')}.`
      : '';
    report(out, 'retry/feature-disabled', retry, ['kind'], `${where}: OSM never applied ${resource}, so no request was retried and no Linkerd retries are generated.${would}`);
    return [];
  }
  const source = asRecord(spec['source']);
  const sourceName = asString(source['name']);
  const sourceNamespace = asString(source['namespace']);
  if (source['kind'] !== 'ServiceAccount' || !sourceName || !sourceNamespace) {
    report(out, 'retry/invalid-reference', retry, ['spec', 'source'],
      `${resource} has source ${JSON.stringify(source['kind'] ?? null)} ${sourceNamespace ?? '?'}/${sourceName ?? '?'}: OSM matched only ServiceAccount sources with a name and namespace, so the whole Retry did nothing. Not translated.`);
    return [];
  }
  for (const d of policy.dropped) report(out, 'retry/not-expressible', retry, ['spec', 'retryPolicy', d.field], `${resource}: ${d.message}.`);
  if (policy.ineffective) {
    report(out, 'retry/ineffective', retry, ['spec', 'retryPolicy'], `${resource}: ${policy.ineffective}. Nothing is generated.`);
    return [];
  }
  if (annotations.length === 0) {
    report(out, 'retry/not-expressible', retry, ['spec', 'retryPolicy', 'retryOn'],
      `${resource}: no retryOn condition is left that Linkerd can retry on, so nothing is generated; OSM's retries for it are lost.`);
    return [];
  }
  return destinations.flatMap((d, index): Candidate[] => {
    const name = asString(d['name']);
    const namespace = asString(d['namespace']);
    if (d['kind'] !== 'Service' || !name || !namespace) {
      report(out, 'retry/invalid-reference', retry, ['spec', 'destinations', index],
        `Destination ${index + 1} of ${resource} (${JSON.stringify(d['kind'] ?? null)} ${namespace ?? '?'}/${name ?? '?'}) is not a Service with a name and namespace: OSM ignored it ("Retry policy destinations must be a service").`);
      return [];
    }
    return [{ retry, index, source: `${sourceNamespace}/${sourceName}`, namespace, service: name, policy, annotations }];
  });
}

function translateDestination(input: RuleInput, out: Emitter, candidates: readonly Candidate[]): void {
  const first = candidates[0];
  if (!first) return;
  const destination = `${first.namespace}/${first.service}`;
  // "The first matching policy wins" per source and destination (osm-semantics §3.4, retry.go:24-38): repository order.
  const bySource = new Map<string, Candidate>();
  for (const c of candidates) {
    const winner = bySource.get(c.source);
    if (!winner) {
      bySource.set(c.source, c);
      continue;
    }
    if (winner.retry === c.retry) continue;
    report(out, 'retry/conflicting-policies', c.retry, ['spec', 'destinations', c.index],
      `${formatRef(c.retry.ref)} sets retries from ${c.source} to Service ${destination} after ${formatRef(winner.retry.ref)} already did: OSM used only the first matching Retry, so this one had no effect there.`);
  }
  const effective = [...bySource.values()];
  const distinct = new Set(effective.map((c) => JSON.stringify(c.annotations)));
  if (distinct.size > 1) {
    const options = effective.map((c) => `from ${c.source} (${formatRef(c.retry.ref)}): ${annotationsInline(c.annotations)}`).join('; ');
    for (const c of effective) {
      report(out, 'retry/conflicting-policies', c.retry, ['spec', 'destinations', c.index],
        `Retries to Service ${destination} differ by client in OSM (${options}). Linkerd has one configuration per Service: nothing is generated for it.`);
    }
    return;
  }
  const service = input.inventory.findService(first.namespace, first.service);
  if (!service) {
    for (const c of effective) {
      report(out, 'retry/destination-not-found', c.retry, ['spec', 'destinations', c.index],
        `Service ${destination} is not in the repository, so its retries are not configured. Add to it${features(input.options.linkerdVersion).retryAnnotations ? '' : ' (Linkerd 2.16+; earlier versions need a ServiceProfile)'}:\n${annotationsYaml(first.annotations)}`);
    }
    return;
  }
  const configured = features(input.options.linkerdVersion).retryAnnotations
    ? annotate(input, out, effective, service, first.annotations)
    : serviceProfile(input, out, effective, service, first.policy);
  if (!configured) return;
  const sources = effective.map((c) => c.source).sort();
  for (const c of effective) {
    report(out, 'retry/applies-to-all-clients', c.retry, ['spec', 'source'],
      `OSM retried requests to Service ${destination} only from ServiceAccount${sources.length > 1 ? 's' : ''} ${sources.join(', ')}; Linkerd's retries for ${service.name} apply to every meshed client of it.`);
  }
}

/** A GRPCRoute (Gateway API) in the repository with the Service as a parent. */
function hasGrpcRoute(input: RuleInput, service: Service): boolean {
  return input.inventory.objects.some((o) => o.ref.kind === 'GRPCRoute' && (o.ref.namespace ?? service.namespace) === service.namespace
    && asArray(asRecord(o.body['spec'])['parentRefs']).some((p) => asString(asRecord(p)['name']) === service.name && (asString(asRecord(p)['kind']) ?? 'Service') === 'Service'));
}

/** Retry annotations on the Service. True: the retries are configured. */
function annotate(input: RuleInput, out: Emitter, effective: readonly Candidate[], service: Service, annotations: readonly [string, string][]): boolean {
  annotateService(out, service, annotations);
  const notes = [
    service.headless ? ' The Service is headless: Linkerd does not apply retries to headless Services, so they will have no effect.' : '',
    isSplitApex(input.inventory, service) && input.options.splitStyle === 'trafficsplit'
      ? ' The Service is the apex of a TrafficSplit kept for linkerd-smi, whose ServiceProfile makes Linkerd ignore these annotations.'
      : '',
  ].join('');
  for (const c of effective) {
    report(out, 'retry/translated', c.retry, ['spec', 'retryPolicy'],
      `${formatRef(c.retry.ref)} becomes ${annotationsInline(annotations)} on ${formatRef(service.object.ref)}.${notes}`);
  }
  if (annotations.some(([key]) => key === 'retry.linkerd.io/grpc') && !hasGrpcRoute(input, service)) {
    for (const c of effective) {
      report(out, 'retry/not-expressible', c.retry, ['spec', 'retryPolicy', 'retryOn'],
        `${formatRef(c.retry.ref)}: retry.linkerd.io/grpc applies to gRPC routes, and the repository has no GRPCRoute with Service ${service.name} as parent; without one Linkerd routes the calls as HTTP and retries them on HTTP statuses only (linkerd-reference §5.2).`);
    }
  }
  const profile = existingServiceProfile(input.inventory, service);
  if (profile) {
    for (const c of effective) {
      report(out, 'retry/service-profile-overrides', c.retry, ['spec', 'retryPolicy'],
        `${formatRef(profile.ref)} exists for Service ${service.name}: Linkerd ignores the retry annotations while it does. Mark its routes isRetryable: true (and set its retryBudget), or delete it.`);
    }
  }
  return true;
}

/**
 * Before 2.16 the only retry configuration is a ServiceProfile: a catch-all route marked isRetryable, with
 * Linkerd's default retry budget. Retried failures are the route's failure classes (5xx by default; 409 is added as
 * a failure class for retriable-4xx). A ServiceProfile overrides HTTPRoutes on the Service (linkerd-reference §4.4),
 * so none is generated for a TrafficSplit apex or where the repository already has one.
 */
function serviceProfile(input: RuleInput, out: Emitter, effective: readonly Candidate[], service: Service, policy: TranslatedRetry): boolean {
  const namespace = service.namespace ?? '';
  const name = serviceProfileName(service);
  const say = (message: string) => {
    for (const c of effective) report(out, 'retry/service-profile', c.retry, ['spec', 'retryPolicy'], `${formatRef(c.retry.ref)}: ${message}`);
  };
  if (policy.http.length === 0) {
    say(`Linkerd ${input.options.linkerdVersion} retries only through ServiceProfiles, which classify HTTP statuses, not gRPC ones (${policy.grpc.join(', ')}): nothing is generated.`);
    return false;
  }
  if (isSplitApex(input.inventory, service)) {
    say(`Service ${service.name} is the apex of a TrafficSplit; a ServiceProfile for it would override the split's HTTPRoute (or linkerd-smi's own ServiceProfile), so none is generated. Add isRetryable: true to the routes of the ServiceProfile that serves it.`);
    return false;
  }
  const existing = existingServiceProfile(input.inventory, service);
  if (existing) {
    say(`the repository already has ServiceProfile ${formatRef(existing.ref)}; mark its routes isRetryable: true and set its retryBudget by hand (no second ServiceProfile is generated).`);
    return false;
  }
  const failureClasses = policy.http.includes('409') ? [{ condition: { status: { min: 409, max: 409 } }, isFailure: true }] : [];
  const profile: LinkerdResource = {
    apiVersion: SERVICE_PROFILE_API,
    kind: 'ServiceProfile',
    metadata: {
      name,
      ...(generatedNamespace(service.object, namespace) !== undefined ? { namespace } : {}),
      labels: { ...GENERATED_BY_LABEL },
    },
    spec: {
      routes: [{ name: 'all', condition: { pathRegex: '.*' }, isRetryable: true, ...(failureClasses.length > 0 ? { responseClasses: failureClasses } : {}) }],
      // Linkerd's defaults, written out: retries may add 20% to the request load, at least 10 per second.
      retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: '10s' },
    },
  };
  const generated = out.resource(profile, service.object);
  const losses = [
    `numRetries ${policy.limit} per request becomes the retry budget (20% extra load, at least 10 retries/s)`,
    ...(policy.perTryTimeout ? [`perTryTimeout ${policy.perTryTimeout.text} is dropped (a ServiceProfile route timeout bounds the whole request, not each try)`] : []),
    ...(!policy.http.includes('5xx') ? ['every 5xx is retried (the default failure class), not only the listed conditions'] : []),
    ...(policy.grpc.length > 0 ? [`gRPC conditions ${policy.grpc.join(', ')} are dropped`] : []),
  ];
  say(`Linkerd ${input.options.linkerdVersion} has no retry annotations, so ServiceProfile ${generated} (cluster domain cluster.local assumed) marks every route of Service ${service.name} retryable: ${losses.join('; ')}. It also takes precedence over any HTTPRoute on the Service.`);
  return true;
}

/** `spec.service` of a TrafficSplit in the Service's namespace names it (any DNS form, osm-semantics §2.4). */
function isSplitApex(inventory: Inventory, service: Service): boolean {
  return inventory.osm('TrafficSplit').some((split) =>
    split.ref.namespace === service.namespace && (asString(asRecord(split.body['spec'])['service']) ?? '').split('.')[0] === service.name);
}
