import { defineFindings } from '../../findings/define.ts';
import { finderFor } from '../../findings/finding.ts';

/** The findings the service-ports rule declares. */
export const servicePortsFindings = defineFindings({
  'service-ports/app-protocol-rewritten': {
    severity: 'info',
    title: 'OSM appProtocol rewritten for Linkerd 2.18+',
    remediation: 'From 2.18 Linkerd clients read appProtocol, and every value but http, kubernetes.io/h2c, linkerd.io/opaque and linkerd.io/tcp means opaque TCP. The port now carries the Linkerd value with the same meaning; keep it if you downgrade below 2.18 (older versions ignore it).',
    message: ({ appProtocol, port, ref, replacement, valueClause }: { appProtocol: string; port: number; ref: string; replacement: string; valueClause: string }) => `appProtocol ${appProtocol} on port ${port} of ${ref} becomes ${replacement}: Linkerd 2.18+ treats OSM's value as opaque TCP${valueClause}.`,
  },
  'service-ports/server-first-opaque': {
    severity: 'info',
    title: 'Server-speaks-first port marked opaque',
    remediation: 'OSM skipped protocol sniffing on tcp-server-first ports. Linkerd needs config.linkerd.io/opaque-ports for the same (on the Service for clients; the Server generated for the pods is opaque too). Without it, connections stall until detection times out.',
    message: ({ value, ref, opaquePorts }: { value: string; ref: string; opaquePorts: string }) => `Port(s) ${value} of ${ref} are server-speaks-first (tcp-server-first): ${opaquePorts}: "${value}" is added so Linkerd does not wait for the client to speak.`,
  },
  'service-ports/already-opaque': {
    severity: 'info',
    title: 'Server-speaks-first port already opaque by default',
    remediation: 'Linkerd treats 25, 587, 3306, 4444, 5432, 6379, 9300 and 11211 as opaque unless the install changes proxy.opaquePorts. Nothing to add; keep it in mind if your install overrides the list.',
    message: ({ port, ref }: { port: number; ref: string }) => `Port ${port} of ${ref} is server-speaks-first in OSM and already opaque in Linkerd by default.`,
  },
  'service-ports/unsupported-protocol': {
    severity: 'warning',
    title: 'appProtocol OSM could not program',
    remediation: 'OSM built no inbound chain for this appProtocol (for example https or h2c), so nothing reached the port through the mesh. Linkerd will proxy it: check that this is wanted, or skip the port with config.linkerd.io/skip-inbound-ports.',
    message: ({ port, ref, appProtocol }: { port: number; ref: string; appProtocol: string }) => `Port ${port} of ${ref} has appProtocol "${appProtocol}", which OSM could not program: nothing reached it through the mesh. Linkerd will carry it.`,
  },
});

/** Every finding the rule raises: its own, and those declared elsewhere that it raises too. */
export const raises = servicePortsFindings;

export const finding = finderFor(raises);
