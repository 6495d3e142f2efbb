import { defineFindings, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';

/** The findings the retry rule declares. */
export const retryFindings = defineFindings({
  'retry/feature-disabled': {
    severity: 'warning',
    title: 'Retry policy ignored by OSM: enableRetryPolicy off',
    remediation: 'OSM applied Retry objects only with MeshConfig featureFlags.enableRetryPolicy: true (default false), so these requests were never retried and no Linkerd retries are generated. If the cluster did turn the flag on outside this repository, add the annotations from the message to the destination Service.',
    message: verbatim,
  },
  'retry/translated': {
    severity: 'info',
    title: 'Retry policy translated to Linkerd retry annotations',
    remediation: 'Linkerd clients retry failed requests to the annotated Service (retry.linkerd.io/http or /grpc, limit, per-try timeout; 2.16+). Requests with bodies over 64 KiB are never retried, and a ServiceProfile for the Service disables these annotations.',
    message: verbatim,
  },
  'retry/applies-to-all-clients': {
    severity: 'warning',
    title: 'Retries now apply to every client of the Service',
    remediation: 'OSM retried only requests from the Retry\'s source ServiceAccount. Linkerd configures retries on the destination Service, so every meshed client retries. Make sure the routes are idempotent for all of them, or move the retry annotations to an HTTPRoute that only those clients use.',
    message: verbatim,
  },
  'retry/not-expressible': {
    severity: 'warning',
    title: 'Retry setting with no Linkerd equivalent',
    remediation: 'Linkerd retries on response status codes (HTTP) or gRPC statuses, a number of times, with an optional per-try timeout. Envoy conditions such as reset, connect-failure or refused-stream and the backoff base interval have no setting; the message names each one that was dropped.',
    message: verbatim,
  },
  'retry/ineffective': {
    severity: 'info',
    title: 'Retry policy that made no retries',
    remediation: 'With numRetries 0, or no retryOn condition Envoy understood, OSM made no retries for this policy. Nothing is generated (Linkerd would otherwise retry once by default).',
    message: verbatim,
  },
  'retry/invalid-reference': {
    severity: 'warning',
    title: 'Retry source or destination OSM ignored',
    remediation: 'OSM applied a Retry only for a ServiceAccount source, and only to destinations of kind Service ("Retry policy destinations must be a service"). This part did nothing and is not translated.',
    message: verbatim,
  },
  'retry/destination-not-found': {
    severity: 'warning',
    title: 'Retry destination Service not in the repository',
    remediation: 'The retry configuration goes on the destination Service, which is not in this repository. Add the annotations from the message to it where it is defined.',
    message: verbatim,
  },
  'retry/conflicting-policies': {
    severity: 'warning',
    title: 'Retry policies disagree for one Service',
    remediation: 'OSM used the first Retry that matched a source and destination, per source; Linkerd has one retry configuration per Service, for all clients. The message lists the candidates; nothing is generated for this Service until you pick one and add its annotations.',
    message: verbatim,
  },
  'retry/service-profile-overrides': {
    severity: 'warning',
    title: 'A ServiceProfile makes Linkerd ignore the retry annotations',
    remediation: 'While a ServiceProfile exists for a Service, Linkerd takes retries (isRetryable routes and the retryBudget) from it and ignores the retry.linkerd.io annotations. Move the retry into the ServiceProfile, or delete the ServiceProfile if nothing else needs it.',
    message: verbatim,
  },
  'retry/service-profile': {
    severity: 'warning',
    title: 'Retries on Linkerd before 2.16 need a ServiceProfile',
    remediation: 'Before 2.16 Linkerd retries only routes a ServiceProfile marks isRetryable, within a retry budget (a ratio of extra load) rather than a count per request, and without a per-try timeout. A ServiceProfile also overrides HTTPRoutes on its Service. The message says what was generated or why not.',
    message: verbatim,
  },
  'retry/unknown-field': {
    severity: 'warning',
    title: 'Field unknown to the Retry schema',
    remediation: 'OSM\'s API server pruned fields its CRD does not declare, so this one did nothing and is not translated. Remove it.',
    message: verbatim,
  },
  'retry/namespace-ignored': {
    severity: 'warning',
    title: 'Retry in (or from) a namespace OSM ignored',
    remediation: 'The Retry, or its source ServiceAccount, is in a namespace labelled openservicemesh.io/ignore, where OSM never injected a pod: no request was retried and no Linkerd retries are generated. Delete it.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = retryFindings;

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
