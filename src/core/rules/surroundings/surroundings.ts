import { finding, raises } from './findings.ts';
import type { Inventory, K8sObject } from '../../inventory/model.ts';
import { readAccessModel } from '../../osm/access-model.ts';
import { injectionValue, isMeshed, meshedNamespaces, SIDECAR_INJECTION } from '../../osm/meshed.ts';
import { formatRef } from '../../source.ts';
import { asArray, asRecord, asString, getIn } from '../../values.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';
import { argoRolloutSmi } from './argo-rollouts.ts';
import type { Hit, MeshedServiceTest } from './hit.ts';
import { INGRESS_CRD_KINDS, ingressCrd } from './ingress-crds.ts';

/**
 * What surrounds the mesh and breaks on migration day if nobody touches it: NetworkPolicies opened for OSM's
 * control plane, Ingresses configured for OSM's sidecar TLS, GitOps objects that install OSM, the SMI/OSM CRDs,
 * Flagger canaries driving OSM, Argo Rollouts shifting traffic through SMI, and ingress-controller CRDs (Traefik
 * IngressRoute, Contour HTTPProxy, NGINX VirtualServer, Emissary Mapping) in front of meshed Services. Findings
 * with line anchors; nothing is edited (each needs a human choice).
 */
export const surroundingsRule = defineRule({
  id: 'surroundings',
  consumes: ['NetworkPolicy', 'Ingress', 'HelmRelease', 'Application', 'CustomResourceDefinition', 'Canary', 'Rollout', ...INGRESS_CRD_KINDS],
  raises,
  translate: translateSurroundings,
});

/** OSM's ports: xDS 15128, Envoy metrics 15010, rewritten probes 15901-15904 (osm-semantics §6.1). */
const OSM_PORTS = new Set([15128, 15010, 15901, 15902, 15903, 15904]);
const OSM_TEXT = /openservicemesh|osm-system|osm-controller|osm-injector|osm-bootstrap|\bosm\b/;

export function translateSurroundings(input: RuleInput): RuleOutput {
  const out = new Emitter();
  const meshedService = meshedServiceTest(input.inventory);
  for (const object of input.inventory.objects) {
    const check = CHECKS[object.ref.kind];
    const hit = check?.(object) ?? argoRolloutSmi(object, input) ?? ingressCrd(object, meshedService);
    if (!hit) continue;
    out.finding(finding(hit.id, object.locate(hit.path), { resource: formatRef(object.ref), message: hit.message }));
  }
  return out.output();
}


/**
 * A Service is meshed when it selects a workload OSM injected (osm/meshed.ts), or one whose pod template asks for
 * the sidecar where the namespace is unknown (the file is applied with `kubectl -n`: its pods were meshed wherever
 * the namespace was monitored).
 */
function meshedServiceTest(inventory: Inventory): MeshedServiceTest {
  const meshed = meshedNamespaces(inventory, readAccessModel(inventory));
  return (namespace, name) => {
    const service = inventory.findService(namespace, name);
    if (!service) return false;
    return inventory.workloads.some((w) => inventory.servicesSelecting(w).includes(service)
      && (isMeshed(w, inventory, meshed) || (w.namespace === undefined && injectionValue(w.podAnnotations[SIDECAR_INJECTION]) === 'enabled')));
  };
}

const CHECKS: Readonly<Record<string, (o: K8sObject) => Hit | undefined>> = {
  NetworkPolicy: networkPolicy,
  Ingress: ingress,
  HelmRelease: gitops,
  Application: gitops,
  CustomResourceDefinition: crd,
  Canary: canary,
};

function networkPolicy(o: K8sObject): Hit | undefined {
  for (const direction of ['ingress', 'egress'] as const) {
    for (const [i, rule] of asArray(getIn(o.body, ['spec', direction])).entries()) {
      const ports = asArray(asRecord(rule)['ports']).map((p) => asRecord(p)['port']);
      const peers = JSON.stringify(asRecord(rule)[direction === 'ingress' ? 'from' : 'to'] ?? '');
      const osmPort = ports.find((p) => typeof p === 'number' && OSM_PORTS.has(p));
      if (osmPort === undefined && !OSM_TEXT.test(peers)) continue;
      return {
        id: 'surroundings/network-policy',
        path: ['spec', direction, i],
        message: `${formatRef(o.ref)} opens ${osmPort !== undefined ? `OSM port ${String(osmPort)}` : 'traffic to/from the OSM control plane'} (${direction}). With Linkerd, proxies need egress to the linkerd namespace (destination 8086, identity 8080, policy 8090), ingress on the proxy port 4143 from meshed clients, and the admin port 4191 for probes and metrics; OSM's rules can go once OSM is removed.`,
      };
    }
  }
  return undefined;
}

function ingress(o: K8sObject): Hit | undefined {
  const annotations = asRecord(getIn(o.body, ['metadata', 'annotations']));
  for (const [key, value] of Object.entries(annotations)) {
    const text = String(value ?? '');
    const osmTls = OSM_TEXT.test(text) || /proxy_ssl_name|proxy-ssl-name/.test(`${key} ${text}`) || (/backend-protocol$/.test(key) && /https/i.test(text));
    if (!osmTls && !key.startsWith('openservicemesh.io/')) continue;
    return {
      id: 'surroundings/ingress',
      path: ['metadata', 'annotations', key],
      message: `${formatRef(o.ref)} annotation ${key} configures the controller for OSM (sidecar TLS with an OSM-issued client certificate, or an OSM identity as proxy_ssl_name). With Linkerd the controller is meshed (linkerd.io/inject: ingress) and talks plain HTTP to the backend; the proxies do mTLS. Remove the TLS-to-backend settings when the controller is meshed.`,
    };
  }
  return undefined;
}

function gitops(o: K8sObject): Hit | undefined {
  const text = JSON.stringify(o.body['spec'] ?? {});
  const chart = asString(getIn(o.body, ['spec', 'chart', 'spec', 'chart'])) ?? asString(getIn(o.body, ['spec', 'source', 'chart']));
  if (chart !== 'osm' && !/openservicemesh\.github\.io|openservicemesh\/osm/.test(text)) return undefined;
  return {
    id: 'surroundings/gitops-install',
    path: ['spec'],
    message: `${formatRef(o.ref)} installs OSM. Install Linkerd in its place (charts linkerd-crds and linkerd-control-plane from https://helm.linkerd.io/edge, with an identity trust anchor and issuer) and remove this object after the workloads are migrated.`,
  };
}

function crd(o: K8sObject): Hit | undefined {
  const group = asString(getIn(o.body, ['spec', 'group'])) ?? '';
  if (!/smi-spec\.io$|openservicemesh\.io$/.test(group)) return undefined;
  return {
    id: 'surroundings/crd',
    path: ['spec', 'group'],
    message: `${formatRef(o.ref)} defines the ${group} CRD. Keep it until no object of that group is left in the cluster, then delete it (split.smi-spec.io stays if you keep TrafficSplits for linkerd-smi, which installs its own).`,
  };
}

function canary(o: K8sObject): Hit | undefined {
  if (asString(getIn(o.body, ['spec', 'provider'])) !== 'osm') return undefined;
  return {
    id: 'surroundings/flagger-provider',
    path: ['spec', 'provider'],
    message: `${formatRef(o.ref)} uses Flagger provider osm (SMI TrafficSplit v1alpha2). Use provider: gatewayapi:v1 (Linkerd 2.18+, HTTPRoute) or linkerd (TrafficSplit via linkerd-smi).`,
  };
}
