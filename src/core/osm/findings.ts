import { defineFindings, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';

/** The findings raised while reading TrafficTargets into the OSM access model (osm/access-model.ts). */
export const accessModelFindings = defineFindings({
  'traffic-target/unserved-version': {
    severity: 'warning',
    title: 'TrafficTarget API version never served by OSM',
    remediation: 'OSM v0.7+ serves only access.smi-spec.io/v1alpha3; this object would have been rejected (or belongs to another mesh). It was translated as if it were v1alpha3: check that this is what you want.',
    message: verbatim,
  },
  'traffic-target/too-many-matches': {
    severity: 'error',
    title: 'Too many HTTP route matches for one destination',
    remediation: 'The tool analyses at most 250 HTTPRouteGroup matches per destination ServiceAccount (each is compared with every other for Linkerd\'s route precedence). The matches past the limit were not translated: merge matches (one pathRegex can cover many paths), or write the remaining HTTPRoutes by hand.',
    message: verbatim,
  },
  'traffic-target/destination-port-ignored': {
    severity: 'warning',
    title: 'destination.port was pruned by OSM: all ports were allowed',
    remediation: 'OSM removed spec.destination.port (it is not in the v1alpha3 schema), so the sources reached every port of the destination. The translation keeps that. To restrict ports, scope them with TCPRoute matches.ports before migrating or edit the generated Servers.',
    message: verbatim,
  },
  'traffic-target/rule-without-matches': {
    severity: 'warning',
    title: 'HTTPRouteGroup rule without matches allowed nothing',
    remediation: 'OSM iterates over rule.matches, so a rule with none allowed no HTTP route (the SMI spec says the opposite). Nothing is generated for it. List the match names you meant to allow.',
    message: verbatim,
  },
  'traffic-target/invalid-rule-kind': {
    severity: 'error',
    title: 'Rule kind disables the whole TrafficTarget',
    remediation: 'OSM ignores a TrafficTarget with any rule that is not HTTPRouteGroup or TCPRoute (for example UDPRoute): it allowed nothing, so nothing is generated. Remove the rule if the TrafficTarget was meant to work.',
    message: verbatim,
  },
  'traffic-target/namespace-mismatch': {
    severity: 'warning',
    title: 'TrafficTarget namespace differs from its destination namespace',
    remediation: 'OSM drops a TrafficTarget whose metadata.namespace is not spec.destination.namespace, so it allowed nothing and nothing is generated. Move it to the destination namespace if it was meant to work.',
    message: verbatim,
  },
  'traffic-target/namespace-condition': {
    severity: 'warning',
    title: 'TrafficTarget without a namespace: OSM honoured it only in its destination namespace',
    remediation: 'OSM dropped a TrafficTarget applied in any namespace but spec.destination.namespace. The generated resources carry no namespace, like their source: apply the generated file only in the destination namespace (where the source took effect), or set metadata.namespace on both.',
    message: verbatim,
  },
  'traffic-target/route-group-not-found': {
    severity: 'error',
    title: 'Referenced HTTPRouteGroup not found',
    remediation: 'OSM looks up rules in the TrafficTarget namespace; this group is not in the repository there, so its matches allowed nothing. Add the HTTPRouteGroup to the repository and migrate again.',
    message: verbatim,
  },
  'traffic-target/tcp-route-not-found': {
    severity: 'error',
    title: 'Referenced TCPRoute not found',
    remediation: 'OSM leaves a TrafficTarget whose TCPRoute is missing out of its L4 authorization, so its sources were denied. Nothing is generated for it. Add the TCPRoute (same namespace) and migrate again.',
    message: verbatim,
  },
  'traffic-target/match-name-not-found': {
    severity: 'warning',
    title: 'Rule names a match the HTTPRouteGroup does not have',
    remediation: 'OSM drops unknown match names silently, so this name allowed nothing. Fix the name or remove it.',
    message: verbatim,
  },
  'traffic-target/source-kind-unsupported': {
    severity: 'warning',
    title: 'Source is not a ServiceAccount',
    remediation: 'OSM only honoured ServiceAccount sources; this one allowed nothing and is not translated.',
    message: verbatim,
  },
  'traffic-target/source-namespace-missing': {
    severity: 'error',
    title: 'Source ServiceAccount has no namespace',
    remediation: 'OSM built the identity <sa>.<namespace> from the source, so a missing namespace matched no client. Nothing is generated for this source; set sources[].namespace.',
    message: verbatim,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = accessModelFindings;

export const finding = finderFor(raises);
