import type { Workload } from '../../inventory/model.ts';
import type { ProxyProtocol } from '../../linkerd/build.ts';
import { resourceName } from '../../linkerd/names.ts';
import { features } from '../../linkerd/versions.ts';
import type { AccessModel } from '../../osm/access-model.ts';
import type { ExposedPort } from '../../osm/exposed-ports.ts';
import type { RuleInput } from '../rule.ts';

/**
 * One Server per workload port, whichever rule needs it (linkerd-semantics §4: two Servers on one pod port conflict).
 * The traffic-target rule names it `<workload>-<port name or number>`; an IngressBackend on the same port reuses that
 * name and attaches its AuthorizationPolicies to it instead of emitting a second Server.
 */
export function serverName(workload: Workload, port: ExposedPort): string {
  return resourceName(workload.name, port.name ?? port.port);
}

export interface TrafficTargetServer {
  /** The traffic-target rule emits the Server of this workload port. */
  readonly serves: boolean;
  /** …with `accessPolicy: audit` and a catch-all route (permissive mode, Linkerd 2.16+). */
  readonly audit: boolean;
}

/**
 * Whether the traffic-target rule emits the Server of a workload port, decided from the same inputs it reads
 * (traffic-target.ts: every workload running as a TrafficTarget destination gets a Server per exposed port whose
 * protocol OSM could program; nothing at all in permissive mode before 2.16). The test beside this file runs both
 * rules and checks they agree.
 */
export function trafficTargetServer(input: RuleInput, access: AccessModel, workload: Workload, port: ExposedPort): TrafficTargetServer {
  const permissive = input.meshMode.mode === 'permissive';
  const none = { serves: false, audit: false };
  if (port.protocol === 'unsupported') return none;
  if (permissive && !features(input.options.linkerdVersion).audit) return none;
  const destination = access.policies.some((p) => (p.namespace ?? '') === (workload.namespace ?? '') && p.destination === workload.serviceAccount);
  return destination ? { serves: true, audit: permissive } : none;
}

/** The Server protocol the traffic-target rule gives a port, so both rules would write the same Server. */
export function proxyProtocolOf(port: ExposedPort): ProxyProtocol {
  if (port.protocol === 'tcp' || port.protocol === 'tcp-server-first') return 'opaque';
  if (port.protocol === 'grpc') return 'HTTP/2';
  return port.declared && port.protocol === 'http' ? 'HTTP/1' : 'unknown';
}
