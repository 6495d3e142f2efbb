import { defineFindings, pick } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';
import { probeFindings } from '../probe-findings.ts';

/** The findings the default-policy rule declares. */
export const defaultPolicyFindings = defineFindings({
  'mesh-mode/default-deny': {
    severity: 'info',
    title: 'Default-deny kept with config.linkerd.io/default-inbound-policy: deny',
    remediation: 'OSM in SMI mode denied every request no TrafficTarget allowed; Linkerd allows all by default. The annotation keeps the namespace deny-by-default. Pods must be restarted to pick it up.',
    message: ({ name, defaultInboundPolicy }: { name: string; defaultInboundPolicy: string }) => `Namespace ${name} was meshed in SMI mode (deny by default): it gets ${defaultInboundPolicy}: deny.`,
  },
  'mesh-mode/default-authenticated': {
    severity: 'info',
    title: 'Permissive mode kept: config.linkerd.io/default-inbound-policy: all-authenticated',
    remediation: 'OSM in permissive mode let every meshed client in and refused plaintext clients (no inbound mesh chain); Linkerd\'s install default also admits unmeshed clients. The annotation keeps ports without a Server to meshed clients. Pods must be restarted to pick it up.',
    message: ({ name, defaultInboundPolicy }: { name: string; defaultInboundPolicy: string }) => `Namespace ${name} was meshed in permissive mode (every meshed client, no plaintext client): it gets ${defaultInboundPolicy}: all-authenticated.`,
  },
  'mesh-mode/default-deny-unplaced': {
    severity: 'warning',
    title: 'Default inbound policy could not be placed on a Namespace manifest',
    remediation: 'The namespace has no manifest in the repository, so config.linkerd.io/default-inbound-policy was added to each meshed pod template instead. Prefer setting it on the Namespace so new workloads inherit it.',
    message: ({ name, defaultInboundPolicy, policy, workloads }: { name: string; defaultInboundPolicy: string; policy: string; workloads: string }) => `Namespace ${name} has no manifest in the repository: ${defaultInboundPolicy}: ${policy} was added to the pod templates of ${workloads}.`,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = {
  ...defaultPolicyFindings,
  ...pick(probeFindings, 'probes/open-to-all-networks', 'probes/tcp-probe-always-passes'),
};

export const finding = finderFor(raises);
