import { defineFindings, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';

/** The findings raised while reading TrafficTargets into the OSM access model (osm/access-model.ts). */
export const accessModelFindings = defineFindings({
  'traffic-target/unserved-version': {
    severity: 'warning',
    title: 'TrafficTarget API version never served by OSM',
    remediation: 'OSM v0.7+ serves only access.smi-spec.io/v1alpha3; this object would have been rejected (or belongs to another mesh). It was translated as if it were v1alpha3: check that this is what you want.',
    message: ({ resource, apiVersion }: { resource: string; apiVersion: string }) => `${resource} uses ${apiVersion}; OSM v0.7+ serves only access.smi-spec.io/v1alpha3. It is translated as if it were v1alpha3.`,
  },
  'traffic-target/too-many-matches': {
    severity: 'error',
    title: 'Too many HTTP route matches for one destination',
    remediation: 'The tool analyses at most 250 HTTPRouteGroup matches per destination ServiceAccount (each is compared with every other for Linkerd\'s route precedence). The matches past the limit were not translated: merge matches (one pathRegex can cover many paths), or write the remaining HTTPRoutes by hand.',
    message: ({ destination, namespace, maxMatchesPerDestination, httpMatchesCount, resource }: { destination: string; namespace: string; maxMatchesPerDestination: number; httpMatchesCount: number; resource: string }) => `ServiceAccount ${destination} in ${namespace} has more than ${maxMatchesPerDestination} HTTP route matches; ${httpMatchesCount} of ${resource} were not translated, so Linkerd denies the requests only they allowed.`,
  },
  'traffic-target/destination-port-ignored': {
    severity: 'warning',
    title: 'destination.port was pruned by OSM: all ports were allowed',
    remediation: 'OSM removed spec.destination.port (it is not in the v1alpha3 schema), so the sources reached every port of the destination. The translation keeps that. To restrict ports, scope them with TCPRoute matches.ports before migrating or edit the generated Servers.',
    message: ({ resource, port, destinationName }: { resource: string; port: string; destinationName: string }) => `${resource} sets destination.port ${port}; OSM pruned it, so its sources reached every port of ${destinationName}. All ports stay allowed.`,
  },
  'traffic-target/rule-without-matches': {
    severity: 'warning',
    title: 'HTTPRouteGroup rule without matches allowed nothing',
    remediation: 'OSM iterates over rule.matches, so a rule with none allowed no HTTP route (the SMI spec says the opposite). Nothing is generated for it. List the match names you meant to allow.',
    message: ({ resource, groupName }: { resource: string; groupName: string }) => `${resource} allows HTTPRouteGroup ${groupName} without naming matches: OSM allowed no HTTP request from this rule (the SMI spec says the opposite).`,
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
    message: ({ resource, refNamespace, destNamespace }: { resource: string; refNamespace: string; destNamespace: string }) => `${resource} is in namespace ${refNamespace} but its destination is in ${destNamespace}: OSM dropped it.`,
  },
  'traffic-target/namespace-condition': {
    severity: 'warning',
    title: 'TrafficTarget without a namespace: OSM honoured it only in its destination namespace',
    remediation: 'OSM dropped a TrafficTarget applied in any namespace but spec.destination.namespace. The generated resources carry no namespace, like their source: apply the generated file only in the destination namespace (where the source took effect), or set metadata.namespace on both.',
    message: ({ resource, candidateNamespacesCountClause, destNamespace }: { resource: string; candidateNamespacesCountClause: string; destNamespace: string }) => `${resource} names no namespace${candidateNamespacesCountClause}: OSM applied this TrafficTarget only in namespace ${destNamespace} = destination.namespace, and dropped it anywhere else. The generated resources carry no namespace either: apply them only in ${destNamespace}; applied elsewhere they would grant what OSM never did. What they allow depends on where they are applied, so verify cannot decide it.`,
  },
  'traffic-target/route-group-not-found': {
    severity: 'error',
    title: 'Referenced HTTPRouteGroup not found',
    remediation: 'OSM looks up rules in the TrafficTarget namespace; this group is not in the repository there, so its matches allowed nothing. Add the HTTPRouteGroup to the repository and migrate again.',
    message: ({ resource, groupName, namespace }: { resource: string; groupName: string; namespace: string }) => `${resource} references HTTPRouteGroup ${groupName}, which is not in namespace ${namespace} in the repository: its matches allowed nothing.`,
  },
  'traffic-target/tcp-route-not-found': {
    severity: 'error',
    title: 'Referenced TCPRoute not found',
    remediation: 'OSM leaves a TrafficTarget whose TCPRoute is missing out of its L4 authorization, so its sources were denied. Nothing is generated for it. Add the TCPRoute (same namespace) and migrate again.',
    message: ({ resource, name, namespace }: { resource: string; name: string; namespace: string }) => `${resource} references TCPRoute ${name}, which is not in namespace ${namespace} in the repository: OSM denied all of its sources.`,
  },
  'traffic-target/match-name-not-found': {
    severity: 'warning',
    title: 'Rule names a match the HTTPRouteGroup does not have',
    remediation: 'OSM drops unknown match names silently, so this name allowed nothing. Fix the name or remove it.',
    message: ({ resource, name, groupName }: { resource: string; name: string; groupName: string }) => `${resource} names match "${name}", which HTTPRouteGroup ${groupName} does not have: OSM dropped it.`,
  },
  'traffic-target/source-kind-unsupported': {
    severity: 'warning',
    title: 'Source is not a ServiceAccount',
    remediation: 'OSM only honoured ServiceAccount sources; this one allowed nothing and is not translated.',
    message: ({ resource, i, kind, nameClause }: { resource: string; i: number; kind: string; nameClause: string }) => `${resource} source ${i} is a ${kind}${nameClause}: OSM only honoured ServiceAccount sources.`,
  },
  'traffic-target/source-namespace-missing': {
    severity: 'error',
    title: 'Source ServiceAccount has no namespace',
    remediation: 'OSM built the identity <sa>.<namespace> from the source, so a missing namespace matched no client. Nothing is generated for this source; set sources[].namespace.',
    message: ({ resource, name, namespaceClause }: { resource: string; name: string; namespaceClause: string }) => `${resource} source ServiceAccount ${name} has no namespace: OSM's identity "${name}." matched no client${namespaceClause}.`,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = accessModelFindings;

export const finding = finderFor(raises);
