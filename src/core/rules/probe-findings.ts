import { defineFindings, verbatim } from '../findings/define.ts';

/** The findings of kubelet probes on a Server's port, raised by every rule that generates or attaches to a Server. */
export const probeFindings = defineFindings({
  'probes/open-to-all-networks': {
    severity: 'warning',
    title: 'Probe paths reachable without authentication',
    remediation: 'OSM served kubelet probes on dedicated listeners reachable by anyone who could reach the pod. The generated probe authorization admits any network because the node CIDRs are not known. Set probeNetworks (--probe-networks) to your node CIDRs to narrow it.',
    message: verbatim,
  },
  'probes/tcp-probe-always-passes': {
    severity: 'warning',
    title: 'TCP probe will always pass once the pod is meshed',
    remediation: 'The Linkerd proxy accepts every inbound TCP connection itself, so a tcpSocket probe succeeds while the proxy is up even if the application is down (linkerd/linkerd2#7777). OSM turned TCP probes into HTTP checks of the real port. Switch the probe to httpGet, grpc or exec.',
    message: ({ probeKind, name, probePort }: { probeKind: string; name: string; probePort: string | number }) => `The ${probeKind} probe of ${name} is a tcpSocket probe on port ${probePort}: once meshed it passes whenever the Linkerd proxy is up.`,
  },
  'probes/overlaps-route': {
    severity: 'warning',
    title: 'Probe path also matched by a translated route',
    remediation: 'A translated route matches the kubelet probe request as specifically as the generated probe route, and Linkerd picks one of them by creation time. The probe route authorizes both the probe networks and that route\'s sources; if the other route wins, probes are refused. Make the OSM route more specific or exclude the probe path.',
    message: ({ matchName, hit, workloadName, port, route }: { matchName: string; hit: string; workloadName: string; port: number; route: string }) => `Match ${matchName} also accepts the kubelet's GET ${hit} on ${workloadName}:${port} as specifically as probe route ${route}.`,
  },
});
