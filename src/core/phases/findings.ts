import { defineFindings, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';

/** The findings raised while ordering a phased migration. */
export const phaseFindings = defineFindings({
  'phases/osm-bridge-widens': {
    severity: 'warning',
    title: 'Phased migration: OSM runs in permissive mode with egress until the lock-down',
    remediation: 'Callers still on OSM reach moved callees only through the egress passthrough, and OSM admits them to its servers only in permissive mode (migration-strategies.md). Keep the phases short; if a TrafficTarget protected something sensitive, move that namespace early or keep a NetworkPolicy around it for the duration.',
    message: verbatim,
  },
  'phases/call-order': {
    severity: 'info',
    title: 'Phased migration: the order namespaces move in',
    remediation: 'A caller on Linkerd cannot reach a callee still on OSM, so callees move first. The order comes from TrafficTargets, IngressBackends and Service addresses in the repository; calls made by something the repository does not show are not in it: check the list before merging the first move.',
    message: ({ order, evidence }: { order: string; evidence: string }) => `Namespaces move in this order, callees first: ${order}. Calls seen: ${evidence}.`,
  },
  'phases/temporarily-wider': {
    severity: 'info',
    title: 'Phased migration: moved Servers admit every caller until the lock-down',
    remediation: 'Callers still on OSM arrive at moved pods unauthenticated (plaintext). The phase keeps them working with audit (Linkerd 2.16+) or an all-networks authorization; the lock-down phase enforces the exact translation. Use the audit log (authz.name=audit) to find callers the translation would deny.',
    message: ({ namespaces, audit }: { namespaces: string; audit: boolean }) => `Until the lock-down phase, the Servers of ${namespaces} ${audit ? 'use accessPolicy: audit' : 'authorize every network'} and the default inbound policy is ${audit ? 'audit' : 'all-unauthenticated'}: callers still on OSM arrive unauthenticated (plaintext) and must be admitted, so requests the translated policy denies are allowed ${audit ? 'and logged ' : ''}until then.`,
  },
  'phases/outage': {
    severity: 'error',
    title: 'Phased migration: a call OSM allowed fails during a phase',
    remediation: 'The cluster this phase leaves denies a request OSM allowed before the migration, and no finding explains it: usually a caller moved before its callee (an OSM server refuses Linkerd callers), or the OSM egress passthrough is off. Move the callee first, or let OSM admit the moved callers (an IngressBackend with an IPRange source for the pod network).',
    message: ({ describeSource, workload, port, what, reason, reason2 }: { describeSource: string; workload: string; port: number; what: string; reason: string; reason2: string }) => `During this phase ${describeSource} → ${workload}:${port} ${what} is denied (${reason}); OSM allowed it before the migration (${reason2}).`,
  },
  'phases/overlay-at-lock-down': {
    severity: 'warning',
    title: 'Phased migration: an overlay\'s Linkerd patch comes with the lock-down, and its builds are not verified per phase',
    remediation: 'The phases move what the bases deploy and verify that; until the lock-down this overlay keeps its OSM patch, and its build gets the bases\' Linkerd policy (the moved Servers admit every caller until then). Before each merge, check the overlay\'s own build (`kustomize build`) for the namespaces the phase moves, or migrate that environment in one step (strategy forklift or separate-cluster).',
    message: ({ patch, patchFile }: { patch: string; patchFile: string }) => `${patch} is an overlay's patch of an OSM object: its Linkerd patch (${patchFile}) is written in the lock-down phase only, and the phases before it are verified on the bases, not on this overlay's build.`,
  },
  'phases/call-cycle': {
    severity: 'warning',
    title: 'Phased migration: namespaces call each other and move together',
    remediation: 'While their pods restart, a caller already on Linkerd cannot reach a callee still on OSM. Restart the callees first within the phase, or let OSM admit the moved callers for the duration: an IngressBackend with an IPRange source for the pod network on each callee backend, or the callee port in openservicemesh.io/inbound-port-exclusion-list.',
    message: ({ namespaces, calls }: { namespaces: string; calls: string }) => `${namespaces} call each other (${calls}), so no order moves callees first: they move together, and while their pods restart a caller already on Linkerd cannot reach a callee still on OSM.`,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = phaseFindings;

export const finding = finderFor(raises);
