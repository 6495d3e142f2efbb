import type { K8sObject } from '../../inventory/model.ts';
import { atLeast } from '../../options.ts';
import { formatRef } from '../../source.ts';
import { asRecord, asString, getIn } from '../../values.ts';
import type { RuleInput } from '../rule.ts';
import { features } from '../../linkerd/versions.ts';
import type { Hit } from './hit.ts';

const SMI_PATH = ['spec', 'strategy', 'canary', 'trafficRouting', 'smi'];

/**
 * An Argo Rollout with `trafficRouting.smi` writes its TrafficSplit at run time (v1alpha1 by default, which OSM never
 * served: osm-semantics §7.4), so there is nothing in Git to translate. On Linkerd the TrafficSplit CRD exists only
 * with the linkerd-smi extension (linkerd-semantics §1), so without it Argo cannot write the split and every canary
 * step fails. The replacement is the Gateway API plugin driving the weights of an HTTPRoute whose parent is the root
 * Service (Linkerd reads gateway.networking.k8s.io HTTPRoutes from 2.14), or linkerd-smi, deprecated, which turns
 * the split into a ServiceProfile (linkerd-reference §8.1).
 */
export function argoRolloutSmi(o: K8sObject, { inventory, options }: RuleInput): Hit | undefined {
  if (o.ref.kind !== 'Rollout' || !o.ref.apiVersion.startsWith('argoproj.io/')) return undefined;
  const smi = getIn(o.body, SMI_PATH);
  if (smi === undefined) return undefined;
  const canary = asRecord(getIn(o.body, ['spec', 'strategy', 'canary']));
  const stable = asString(canary['stableService']) ?? '<stableService>';
  const canaryService = asString(canary['canaryService']) ?? '<canaryService>';
  // Argo's defaults: the root Service is the stable Service, the split is named after the Rollout.
  const root = asString(asRecord(smi)['rootService']) ?? stable;
  const splitName = asString(asRecord(smi)['trafficSplitName']) ?? o.ref.name;
  const namespace = o.ref.namespace;
  const where = namespace ?? '<namespace>';
  const port = inventory.findService(namespace, root)?.ports[0]?.port;
  const portText = port === undefined ? '<port>' : String(port);
  const inGit = inventory.osm('TrafficSplit').find((s) => s.ref.name === splitName && s.ref.namespace === namespace);
  const gatewayApi = atLeast(options.linkerdVersion, '2.14');
  const httpRouteApi = atLeast(options.linkerdVersion, '2.18') ? 'gateway.networking.k8s.io/v1' : 'gateway.networking.k8s.io/v1beta1';
  const replacement = gatewayApi
    ? [
      `Replace trafficRouting.smi with the Argo Rollouts Gateway API plugin (registered as trafficRouterPlugins argoproj-labs/gatewayAPI in the argo-rollouts-config ConfigMap):`,
      `  trafficRouting:\n    plugins:\n      argoproj-labs/gatewayAPI:\n        httpRoute: ${root}\n        namespace: ${where}`,
      `and give it the HTTPRoute it shifts (Linkerd ${options.linkerdVersion} serves ${httpRouteApi}; its parent is the root Service, so every meshed client's proxy applies the weights):`,
      `  apiVersion: ${httpRouteApi}\n  kind: HTTPRoute\n  metadata: {name: ${root}, namespace: ${where}}\n  spec:\n    parentRefs: [{group: core, kind: Service, name: ${root}, port: ${portText}}]\n    rules:\n      - backendRefs:\n          - {name: ${stable}, port: ${portText}, weight: 100}\n          - {name: ${canaryService}, port: ${portText}, weight: 0}`,
      ...(features(options.linkerdVersion).gatewayApiInstalledByDefault ? [] : ['From 2.19 linkerd-crds does not install the Gateway API CRDs by default: install them (Gateway API 1.2.1+) first.']),
      'Or keep trafficRouting.smi and install the linkerd-smi extension (deprecated), which turns the TrafficSplit into a ServiceProfile; that ServiceProfile then overrides every HTTPRoute, retry and timeout on the root Service.',
    ]
    : [`Linkerd ${options.linkerdVersion} reads no Gateway API HTTPRoute (2.14+): install the linkerd-smi extension, which serves TrafficSplit v1alpha1 and turns it into a ServiceProfile, or target 2.14+ and switch to the Argo Rollouts Gateway API plugin.`];
  return {
    id: 'surroundings/argo-rollouts-smi',
    path: SMI_PATH,
    message: [
      `${formatRef(o.ref)} shifts canary traffic with trafficRouting.smi: Argo writes TrafficSplit ${splitName} (root Service ${root}, backends ${stable} and ${canaryService}) at run time, not in Git. On Linkerd without linkerd-smi there is no TrafficSplit CRD, so Argo cannot write it and the traffic shifting fails. (Argo writes split.smi-spec.io/v1alpha1 unless --traffic-split-api-version says otherwise, which OSM never served: check that the shifting worked under OSM at all.)`,
      ...(inGit ? [`TrafficSplit ${formatRef(inGit.ref)} in ${inGit.doc.file} is the one Argo manages: its translation holds one snapshot of the weights, which Argo does not update.`] : []),
      ...replacement,
    ].join('\n'),
  };
}
