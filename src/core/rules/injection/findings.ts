import { defineFindings, pick, verbatim } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';
import { unhandledFindings } from '../unhandled-findings.ts';

/** The findings the injection rule declares. */
export const injectionFindings = defineFindings({
  'injection/annotation-rewritten': {
    severity: 'info',
    title: 'OSM annotation rewritten to its Linkerd equivalent',
    remediation: 'The line now carries the Linkerd annotation. Annotations take effect when pods are re-created: roll the workloads after merging.',
    message: verbatim,
  },
  'injection/invalid-value': {
    severity: 'error',
    title: 'Invalid openservicemesh.io/sidecar-injection value',
    remediation: 'OSM failed pod admission on this value, so it is not translated. Use enabled or disabled.',
    message: verbatim,
  },
  'injection/monitored-by-removed': {
    severity: 'info',
    title: 'openservicemesh.io/monitored-by label removed',
    remediation: 'Linkerd has no mesh membership label; injection alone decides what is meshed. The label was removed.',
    message: verbatim,
  },
  'injection/metrics-removed': {
    severity: 'info',
    title: 'openservicemesh.io/metrics annotation removed',
    remediation: 'Linkerd proxies always expose metrics on port 4191 (/metrics); scrape them with linkerd-viz or your Prometheus. The annotation was removed.',
    message: verbatim,
  },
  'injection/ignore-label': {
    severity: 'warning',
    title: 'openservicemesh.io/ignore label removed',
    remediation: 'OSM never injected pods in a namespace with this label. The label was removed; on a Namespace, linkerd.io/inject: disabled takes its place (its sidecar-injection annotation is rewritten to disabled, or the annotation is added), so the namespace stays out of the Linkerd mesh too. On a pod template the label did nothing in OSM.',
    message: verbatim,
  },
  'injection/skip-inbound-replaces-defaults': {
    severity: 'info',
    title: 'skip-inbound-ports replaces Linkerd\'s default list',
    remediation: 'config.linkerd.io/skip-inbound-ports replaces the install default (4567,4568) instead of adding to it. Keep those ports in the list if the pod serves them.',
    message: verbatim,
  },
  'injection/ip-range-inclusion-unsupported': {
    severity: 'warning',
    title: 'outbound-ip-range-inclusion-list has no Linkerd equivalent',
    remediation: 'Linkerd can only skip subnets (config.linkerd.io/skip-subnets), not restrict interception to a list. Compute the complement and set skip-subnets, or accept that all outbound traffic is proxied.',
    message: verbatim,
  },
  'injection/annotation-not-on-pod': {
    severity: 'warning',
    title: 'OSM pod annotation outside the pod template had no effect',
    remediation: 'OSM read this annotation only on pods (spec.template.metadata.annotations). It did nothing here and is removed; set the Linkerd annotation on the pod template if it is needed.',
    message: verbatim,
  },
  'injection/proxy-uuid-label': {
    severity: 'info',
    title: 'osm-proxy-uuid label removed',
    remediation: 'The OSM injector adds this label to pods; a copy in a manifest is stale. It was removed.',
    message: verbatim,
  },
  'injection/ignored-namespace': {
    severity: 'info',
    title: 'Injection annotation in a namespace OSM ignored becomes disabled',
    remediation: 'The namespace is labelled openservicemesh.io/ignore: OSM\'s injector never saw its pods, whatever the annotation said, so linkerd.io/inject is written as disabled to keep them out of the Linkerd mesh too. If the namespace should now join the mesh, set enabled by hand and roll its workloads.',
    message: verbatim,
  },
  'injection/namespace-not-monitored': {
    severity: 'warning',
    title: 'Namespace manifest without openservicemesh.io/monitored-by',
    remediation: 'OSM injected pods and applied policies only in namespaces labelled openservicemesh.io/monitored-by. osm namespace add sets that label outside Git, so the namespace is translated as if monitored. If the label was never set on the cluster, OSM never meshed this namespace: set linkerd.io/inject: disabled on it and drop the policies translated for it.',
    message: verbatim,
  },
  'injection/namespace-inject-added': {
    severity: 'warning',
    title: 'linkerd.io/inject: enabled added to a Namespace whose OSM injection was set outside Git',
    remediation: 'osm namespace add annotates the namespace in the cluster, not in Git, so the manifest carries no injection annotation while the migration treats its pods as meshed. Without linkerd.io/inject their pods would run without a Linkerd proxy after OSM is removed and every generated policy would be inert (plaintext from anyone). The annotation is added; restart the workloads to inject them. If OSM never meshed this namespace, remove it and the policies generated for it.',
    message: verbatim,
  },
  'injection/namespace-inject-outside-git': {
    severity: 'warning',
    title: 'Namespace injection must be set outside Git: kubectl annotate namespace <ns> linkerd.io/inject=enabled',
    remediation: 'The migration treats these pods as meshed, their pod templates make no injection choice, and the repository has no manifest for their namespace: OSM\'s injection was set in the cluster (osm namespace add), and Linkerd\'s must be too. Run kubectl annotate namespace <ns> linkerd.io/inject=enabled and restart the workloads, or add the namespace manifest to the repository. If skipped, the pods run without a proxy after OSM is removed and every generated policy is inert: they accept plaintext from anyone.',
    message: verbatim,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = {
  ...injectionFindings,
  ...pick(unhandledFindings, 'unhandled/osm-annotation'),
};

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
