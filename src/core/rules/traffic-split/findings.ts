import { defineFindings, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';

/** The findings the traffic-split rule declares. */
export const trafficSplitFindings = defineFindings({
  'traffic-split/translated': {
    severity: 'info',
    title: 'TrafficSplit translated to a weighted HTTPRoute',
    remediation: 'Clients now split by the HTTPRoute on the apex Service. It has a single rule without matches, so every request is routed (a Service with an HTTPRoute refuses requests no rule matches). A split grants no access: the TrafficTargets still decide who may call the backends.',
    message: ({ resource, apexName, backends }: { resource: string; apexName: string; backends: string }) => `${resource} becomes a weighted HTTPRoute on Service ${apexName} (${backends}).`,
  },
  'traffic-split/linkerd-smi-extension': {
    severity: 'warning',
    title: 'TrafficSplit kept for the linkerd-smi extension',
    remediation: 'Install linkerd-smi (linkerd smi install | kubectl apply -f -). It turns TrafficSplits into ServiceProfiles, which override HTTPRoutes, retries and timeouts on that Service: do not add HTTPRoutes to the apex Service.',
    message: ({ resource }: { resource: string }) => `${resource} is kept as a split.smi-spec.io/v1alpha2 TrafficSplit: it needs the linkerd-smi extension.`,
  },
  'traffic-split/never-served-version': {
    severity: 'warning',
    title: 'TrafficSplit version never served by upstream OSM',
    remediation: 'Upstream OSM served only split.smi-spec.io/v1alpha2 (v1alpha3/v1alpha4 matches work only on the osm-edge fork; v1alpha1 weights are quantities). The translation follows the object as written: check the result.',
    message: ({ resource, apiVersion }: { resource: string; apiVersion: string }) => `${resource} uses ${apiVersion}; upstream OSM served only split.smi-spec.io/v1alpha2.`,
  },
  'traffic-split/apex-service-not-found': {
    severity: 'error',
    title: 'Apex Service of the TrafficSplit not found',
    remediation: 'The route needs the apex Service port. Add the Service to the repository, or complete the HTTPRoute in the message by hand.',
    message: verbatim,
  },
  'traffic-split/backend-port-mismatch': {
    severity: 'warning',
    title: 'Backend does not expose the apex port: OSM ignored it',
    remediation: 'OSM skipped backends that do not expose the root Service port. The backend is left out of the route as well; expose the port if it should receive traffic.',
    message: ({ service, split, port }: { service: string; split: string; port: number }) => `Backend ${service} of ${split} does not expose port ${port} of the apex Service: OSM ignored it, and so does the route.`,
  },
  'traffic-split/invalid-weights': {
    severity: 'error',
    title: 'TrafficSplit weights sum to less than 1',
    remediation: 'OSM could not build a weighted cluster (total weight must be >= 1), so the split was broken. Nothing is generated: set positive weights.',
    message: ({ resource }: { resource: string }) => `${resource} has weights that sum to less than 1: OSM built no weighted cluster.`,
  },
  'traffic-split/duplicate-apex': {
    severity: 'warning',
    title: 'Several TrafficSplits for one apex Service',
    remediation: 'OSM used only the first TrafficSplit per apex Service. Only that one is translated; delete the others.',
    message: ({ resource, apexName, first }: { resource: string; apexName: string; first: string }) => `${resource} splits ${apexName} like ${first} already does: OSM used only the first one.`,
  },
  'traffic-split/unsupported-target': {
    severity: 'warning',
    title: 'Target Linkerd cannot split with HTTPRoutes',
    remediation: 'Weighted HTTPRoute backendRefs with a Service parent exist from Linkerd 2.13. The TrafficSplit is kept for the linkerd-smi extension instead.',
    message: ({ resource }: { resource: string }) => `${resource}: the target Linkerd has no weighted HTTPRoutes on Services (2.13+), so the split is kept for linkerd-smi.`,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = trafficSplitFindings;

export const finding = finderFor(raises);
