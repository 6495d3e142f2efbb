import { defineFindings, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';

/** The findings raised while building the inventory: namespaces, kustomizations, deployment units and the mesh mode. */
export const inventoryFindings = defineFindings({
  'load/namespace-unknown': {
    severity: 'warning',
    title: 'Namespace of an object is unknown',
    remediation: 'Set metadata.namespace, list the file in a kustomization.yaml that sets namespace:, or deploy it from a Flux Kustomization with targetNamespace or an Argo CD Application with destination.namespace. The translation does not assume "default", nor the namespace a script passes to kubectl -n: the generated resources carry no namespace either, so apply them exactly where you apply their source.',
    message: verbatim,
  },
  'load/namespace-overridden': {
    severity: 'info',
    title: 'A kustomization overrides the namespace an object names',
    remediation: 'kustomize replaces metadata.namespace with the kustomization\'s namespace:, so the generated resources follow the kustomization. If this file is also applied without kustomize, the two deployments differ: remove one of the namespaces.',
    message: verbatim,
  },
  'load/namespace-ambiguous': {
    severity: 'warning',
    title: 'Object is deployed to several namespaces',
    remediation: 'Several kustomizations place this object in different namespaces. Generated resources omit metadata.namespace so each overlay sets it; check that the identities they name exist in every overlay.',
    message: verbatim,
  },
  'load/unexpanded-variable': {
    severity: 'warning',
    title: 'Unexpanded variable in a namespace or name',
    remediation: 'The manifest contains a shell or template variable ($VAR, ${VAR}). Substitute it before migrating, or check the generated names by hand.',
    message: verbatim,
  },
  'kustomize/entry-outside-repository': {
    severity: 'warning',
    title: 'A kustomization lists a path outside the repository',
    remediation: 'The entry climbs above the repository root (`../`), so neither what it deploys nor the namespace it gets can be read, and nothing there is translated. Migrate that repository too, or vendor the base into this one.',
    message: verbatim,
  },
  'kustomize/patch-not-exact': {
    severity: 'warning',
    title: 'A kustomize patch cannot be applied exactly',
    remediation: 'The migration could not compute what this patch makes of its target (an unsupported patch directive, selector or operation, or a path that does not exist). The overlay\'s translation is not computed from it: translate what the overlay deploys by hand, or rewrite the patch as a plain strategic-merge or JSON 6902 add/replace/remove.',
    message: verbatim,
  },
  'kustomize/patch-target-missing': {
    severity: 'warning',
    title: 'A kustomize patch matches nothing the kustomization builds',
    remediation: 'kustomize fails on a patch whose target it cannot find (before and after the migration). Fix the patch\'s name/namespace or target selector.',
    message: verbatim,
  },
  'inventory/namespace-from-deployment-unit': {
    severity: 'info',
    title: 'Namespace given by a Flux Kustomization or an Argo CD Application',
    remediation: 'The object names no namespace (or Flux overrides it) and the GitOps entry point that deploys it sets one: the translation uses it, and the generated resources omit metadata.namespace so the same entry point places them. If the file is also applied some other way, set metadata.namespace.',
    message: verbatim,
  },
  'inventory/object-in-several-files': {
    severity: 'warning',
    title: 'One object is defined in several files',
    remediation: 'Documents with the same kind, namespace and name in different files are versions of one Kubernetes object (canary stages applied in turn, an archived copy): whichever is applied last is live. Each file is translated in place with the same resource names, so applying a generated file replaces the previous version as applying its source did. Keep only the versions you still apply.',
    message: verbatim,
  },
  'inventory/script-namespace-not-evidence': {
    severity: 'info',
    title: 'A script applies the file with kubectl -n: not evidence of its namespace',
    remediation: 'A script may apply a file once per namespace, with a variable, or not at all, so its `kubectl -n` places nothing: the object keeps an unknown namespace and its Linkerd resources carry none, so they land where the file is applied. Apply the generated file with the same command, or set metadata.namespace.',
    message: verbatim,
  },
  'inventory/not-deployed': {
    severity: 'info',
    title: 'Nothing in the repository deploys this file',
    remediation: 'No kustomization root, Flux Kustomization path, Argo CD Application path or Helm chart reaches this file (an archive, an example). It is translated in place, but it decides nothing for the files that are deployed. Delete it if it is obsolete; if something outside the repository applies it, check the findings of its translation.',
    message: verbatim,
  },
  'mesh-mode/assumed-smi': {
    severity: 'warning',
    title: 'No MeshConfig found: SMI (deny-by-default) mode assumed',
    remediation: 'The repository has TrafficTargets but no MeshConfig. OSM v1.2 installs default to permissive mode, earlier ones to SMI mode. Confirm with `kubectl get meshconfig osm-mesh-config -n osm-system -o jsonpath={.spec.traffic.enablePermissiveTrafficPolicyMode}` and set the mode option (`--mesh-mode`) if it was permissive.',
    message: verbatim,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = inventoryFindings;

export const finding = finderFor(raises);
