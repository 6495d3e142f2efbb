import { finding, raises, type RaisedId } from './findings.ts';
import type { K8sObject } from '../../inventory/model.ts';
import { formatRef } from '../../source.ts';
import { asRecord, asString, getIn } from '../../values.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';

/**
 * OSM and SMI kinds with no Linkerd resource to become: kinds upstream OSM never served, served only on its main
 * branch, or removed before v1.2 (osm-semantics §2.5, §3.5, §4.2, §4.3), and the CA configuration Linkerd's identity
 * replaces. Each object gets a finding that says what it did and what to do instead; none is translated.
 */
export const otherKindsRule = defineRule({
  id: 'other-kinds',
  consumes: ['MeshRootCertificate', 'IdentityBinding', 'Telemetry', 'ExtensionService', 'MultiClusterService', 'Backpressure', 'UDPRoute'],
  // The whole spec: nothing is translated, and each finding says so for the whole object.
  fields: {
    MeshRootCertificate: ['spec'], IdentityBinding: ['spec'], Telemetry: ['spec'], ExtensionService: ['spec'],
    MultiClusterService: ['spec'], Backpressure: ['spec'], UDPRoute: ['spec'],
  },
  raises,
  translate: translateOtherKinds,
});

type Explain = (o: K8sObject) => { readonly id: RaisedId; readonly message: string };

const EXPLAIN: Readonly<Record<string, Explain>> = {
  MeshRootCertificate: (o) => ({ id: 'other-kinds/mesh-root-certificate', message: `${formatRef(o.ref)} configured OSM's mesh CA (${caProvider(o)}${trustDomain(o)}). Linkerd's identity uses its own trust anchor and issuer certificate instead.` }),
  IdentityBinding: (o) => ({ id: 'other-kinds/identity-binding', message: `${formatRef(o.ref)} is an SMI access v1alpha4 IdentityBinding: OSM never supported it, so it allowed nothing.` }),
  Telemetry: (o) => ({ id: 'other-kinds/telemetry', message: `${formatRef(o.ref)} configured Envoy access logs${accessLogFormat(o)} for the pods it selects (OSM main branch only, never released).` }),
  ExtensionService: (o) => ({ id: 'other-kinds/telemetry', message: `${formatRef(o.ref)} is the OpenTelemetry collector an OSM Telemetry object sent access logs to (OSM main branch only).` }),
  MultiClusterService: (o) => ({ id: 'other-kinds/multi-cluster-service', message: `${formatRef(o.ref)} exported a Service to other clusters in OSM v0.10–v1.1 (removed in v1.2).` }),
  Backpressure: (o) => ({ id: 'other-kinds/backpressure', message: `${formatRef(o.ref)} is an experimental OSM Backpressure policy (v0.0.10–v0.7, removed in v0.8): later OSM versions ignored it.` }),
  UDPRoute: (o) => ({ id: 'other-kinds/udp-route', message: `${formatRef(o.ref)} is an SMI UDPRoute: OSM never routed UDP, and a TrafficTarget rule naming one disabled the whole TrafficTarget.` }),
};

export function translateOtherKinds({ inventory }: RuleInput): RuleOutput {
  const out = new Emitter();
  for (const object of inventory.osmObjects) {
    const explain = EXPLAIN[object.ref.kind];
    if (!explain) continue;
    const { id, message } = explain(object);
    out.finding(finding(id, object.locate(['kind']), { resource: formatRef(object.ref), message }));
    out.consume(object);
  }
  return out.output();
}

function caProvider(o: K8sObject): string {
  const provider = asRecord(getIn(o.body, ['spec', 'provider']));
  if (provider['certManager']) return `cert-manager issuer ${asString(getIn(provider, ['certManager', 'issuerName'])) ?? '?'}`;
  if (provider['vault']) return `Vault at ${asString(getIn(provider, ['vault', 'host'])) ?? '?'}`;
  if (provider['tresor']) return 'OSM\'s built-in Tresor CA';
  return 'no provider given';
}

function trustDomain(o: K8sObject): string {
  const domain = asString(getIn(o.body, ['spec', 'trustDomain']));
  return domain ? `, trust domain ${domain}` : '';
}

function accessLogFormat(o: K8sObject): string {
  const format = getIn(o.body, ['spec', 'accessLog', 'format']);
  return format === undefined ? '' : ` (format ${JSON.stringify(format)})`;
}
