import { defineFindings, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';

/** The findings the traffic-split rule declares. */
export const trafficSplitFindings = defineFindings({
  'traffic-split/translated': {
    severity: 'info',
    title: 'TrafficSplit translated to a weighted HTTPRoute',
    remediation: 'Clients now split by the HTTPRoute on the apex Service. It has a single rule without matches, so every request is routed (a Service with an HTTPRoute refuses requests no rule matches). A split grants no access: the TrafficTargets still decide who may call the backends.',
    message: verbatim,
  },
  'traffic-split/linkerd-smi-extension': {
    severity: 'warning',
    title: 'TrafficSplit kept for the linkerd-smi extension',
    remediation: 'Install linkerd-smi (linkerd smi install | kubectl apply -f -). It turns TrafficSplits into ServiceProfiles, which override HTTPRoutes, retries and timeouts on that Service: do not add HTTPRoutes to the apex Service.',
    message: verbatim,
  },
  'traffic-split/never-served-version': {
    severity: 'warning',
    title: 'TrafficSplit version never served by upstream OSM',
    remediation: 'Upstream OSM served only split.smi-spec.io/v1alpha2 (v1alpha3/v1alpha4 matches work only on the osm-edge fork; v1alpha1 weights are quantities). The translation follows the object as written: check the result.',
    message: verbatim,
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
    message: verbatim,
  },
  'traffic-split/invalid-weights': {
    severity: 'error',
    title: 'TrafficSplit weights sum to less than 1',
    remediation: 'OSM could not build a weighted cluster (total weight must be >= 1), so the split was broken. Nothing is generated: set positive weights.',
    message: verbatim,
  },
  'traffic-split/duplicate-apex': {
    severity: 'warning',
    title: 'Several TrafficSplits for one apex Service',
    remediation: 'OSM used only the first TrafficSplit per apex Service. Only that one is translated; delete the others.',
    message: verbatim,
  },
  'traffic-split/unsupported-target': {
    severity: 'warning',
    title: 'Target Linkerd cannot split with HTTPRoutes',
    remediation: 'Weighted HTTPRoute backendRefs with a Service parent exist from Linkerd 2.13. The TrafficSplit is kept for the linkerd-smi extension instead.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = trafficSplitFindings;

export const finding = finderFor(raises);
