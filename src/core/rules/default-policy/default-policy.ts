import { finding, raises } from './findings.ts';
import type { Workload } from '../../inventory/model.ts';
import { httpProbePaths, planServers, type ServerPlan } from '../../linkerd/servers.ts';
import { readAccessModel } from '../../osm/access-model.ts';
import { injectionDecidedByPatch, meshedNamespaces, treatedAsMeshed } from '../../osm/meshed.ts';
import { formatRef } from '../../source.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';

export const DEFAULT_INBOUND_POLICY = 'config.linkerd.io/default-inbound-policy';

/**
 * Linkerd's install default is all-unauthenticated (linkerd-semantics §4, "Default-allow"); OSM was never that open.
 * In SMI mode it denied every request no TrafficTarget allowed, so meshed namespaces get
 * `config.linkerd.io/default-inbound-policy: deny`. In permissive mode it let every meshed client in but no plaintext
 * client, which has no inbound mesh filter chain (osm-semantics §6.1, §6.2), so they get `all-authenticated`.
 * The annotation goes on the Namespace manifest when the repository has one, else on each meshed pod template. Under
 * either, Linkerd still answers kubelet HTTP probes on ports without a Server, from the install's probeNetworks
 * (§2.4): that is said, per probe.
 */
export const defaultPolicyRule = defineRule({
  id: 'default-policy',
  consumes: [],
  raises,
  translate: translateDefaultPolicy,
});

export function translateDefaultPolicy(input: RuleInput): RuleOutput {
  const { inventory, meshMode } = input;
  const out = new Emitter();
  const model = readAccessModel(inventory);
  const meshed = meshedNamespaces(inventory, model);
  const servers = planServers(input);
  // As the injection rule sees it: a workload with a generated Server is meshed even where Git does not say so.
  const meshedWorkloads = treatedAsMeshed(inventory, meshed, new Set(servers.servers.map((s) => s.workload)));
  reportTcpProbes(out, meshedWorkloads);
  const policy = meshMode.mode === 'smi' ? 'deny' : 'all-authenticated';
  const namespaces = new Set(meshedWorkloads.flatMap((w) => w.namespace ?? []));
  for (const ns of inventory.namespaces) if (meshed.has(ns.name)) namespaces.add(ns.name);
  for (const name of [...namespaces].sort()) {
    const manifest = inventory.findNamespace(name);
    // Where an overlay's patch meshes the namespace, the patch's translation carries its policy (plan/overlays.ts).
    if (manifest && injectionDecidedByPatch(inventory, name) && !manifest.annotations['openservicemesh.io/sidecar-injection']) continue;
    if (manifest) {
      out.edit({ type: 'set-key', doc: manifest.object.doc, path: ['metadata', 'annotations'], key: DEFAULT_INBOUND_POLICY, value: policy });
      out.finding(policy === 'deny'
        ? finding('mesh-mode/default-deny', manifest.object.locate(['metadata', 'name']), {
          resource: formatRef(manifest.object.ref),
          message: { name, defaultInboundPolicy: DEFAULT_INBOUND_POLICY },
        })
        : finding('mesh-mode/default-authenticated', manifest.object.locate(['metadata', 'name']), {
          resource: formatRef(manifest.object.ref),
          message: { name, defaultInboundPolicy: DEFAULT_INBOUND_POLICY },
        }));
      continue;
    }
    const workloads = meshedWorkloads.filter((w) => w.namespace === name);
    for (const w of workloads) {
      out.edit({ type: 'set-key', doc: w.object.doc, path: [...w.podMetadataPath, 'annotations'], key: DEFAULT_INBOUND_POLICY, value: policy });
    }
    const first = workloads[0];
    if (first) {
      out.finding(finding('mesh-mode/default-deny-unplaced', first.object.locate(['metadata', 'name']), {
        resource: formatRef(first.object.ref),
        message: { name, defaultInboundPolicy: DEFAULT_INBOUND_POLICY, policy, workloads: workloads.map((w) => w.name).join(', ') },
      }));
    }
  }
  reportDefaultProbeRoutes(out, meshedWorkloads, servers);
  return out.output();
}

/** linkerd/linkerd2#7777: the proxy accepts every TCP connection, so tcpSocket probes always succeed. */
function reportTcpProbes(out: Emitter, workloads: readonly Workload[]): void {
  for (const w of workloads) {
    for (const probe of w.probes.filter((p) => p.type === 'tcp')) {
      out.finding(finding('probes/tcp-probe-always-passes', w.object.locate(['kind']), {
        resource: formatRef(w.object.ref),
        message: { probeKind: probe.kind, name: w.name, probePort: probe.port ?? '?' },
      }));
    }
  }
}

/**
 * HTTP probes on ports that get no Server are answered by Linkerd's default probe route, open to probeNetworks. Ports
 * with a Server (linkerd/servers.ts) are the business of the rule that emits it: it adds a probe route or says that
 * its Server keeps the default one.
 */
function reportDefaultProbeRoutes(out: Emitter, workloads: readonly Workload[], servers: ServerPlan): void {
  for (const w of workloads) {
    const ports = [...new Set(w.probes.flatMap((p) => (p.type === 'http' && p.port !== undefined && !servers.at(w, p.port) ? [p.port] : [])))];
    for (const port of ports) {
      const paths = httpProbePaths(w, port);
      out.finding(finding('probes/open-to-all-networks', w.object.locate(['kind']), {
        resource: formatRef(w.object.ref),
        message: `Port ${port} of ${w.name} has no Server, so under deny Linkerd answers its HTTP probe paths itself, for any client in the install's policyController.probeNetworks (default: every network).`,
        affects: [{ namespace: w.namespace ?? '', serviceAccount: w.serviceAccount, port, paths, methods: ['GET'] }],
      }));
    }
  }
}
