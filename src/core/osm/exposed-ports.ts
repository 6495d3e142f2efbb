import type { Inventory, OsmProtocol, Workload } from '../inventory/model.ts';
import { resolveTargetPort } from '../inventory/services.ts';

export interface ExposedPort {
  readonly port: number;
  /** The container's name for the port, when it has one (Servers then select by name). */
  readonly name?: string;
  readonly protocol: OsmProtocol;
  /** The protocol was declared (appProtocol or a port-name prefix), not OSM's http default. */
  readonly declared: boolean;
  /** `Service/port` pairs that expose it, for messages. */
  readonly via: readonly string[];
}

/**
 * OSM built inbound chains only for Service target ports (osm-semantics §6.1: filter chains match
 * destination_port = targetPort); the protocol comes from the Service port (§6.5). The first Service wins when two
 * disagree on a port's protocol.
 */
export function exposedPorts(inventory: Inventory, workload: Workload): ExposedPort[] {
  const byPort = new Map<number, ExposedPort>();
  for (const service of inventory.servicesSelecting(workload)) {
    for (const sp of service.ports) {
      if (sp.protocol.toUpperCase() !== 'TCP') continue;
      const port = resolveTargetPort(sp, workload);
      if (port === undefined) continue;
      const existing = byPort.get(port);
      const via = `${service.name}:${sp.port}`;
      if (existing) {
        byPort.set(port, { ...existing, via: [...existing.via, via] });
        continue;
      }
      const name = workload.ports.find((p) => p.port === port && p.name)?.name;
      const declared = sp.appProtocol !== undefined || sp.osmProtocol !== 'http' || (sp.name ?? '').startsWith('http-');
      byPort.set(port, { port, protocol: sp.osmProtocol, declared, via: [via], ...(name ? { name } : {}) });
    }
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}
