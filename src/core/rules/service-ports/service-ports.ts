import { finding, raises } from './findings.ts';
import type { Service, ServicePort } from '../../inventory/model.ts';
import { atLeast } from '../../options.ts';
import { formatRef } from '../../source.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';

/** Ports the Linkerd proxy treats as opaque out of the box (proxy.opaquePorts, linkerd-reference §3.8). */
export const DEFAULT_OPAQUE_PORTS: readonly number[] = [25, 587, 3306, 4444, 5432, 6379, 9300, 11211];
const OPAQUE_PORTS = 'config.linkerd.io/opaque-ports';

/**
 * OSM's Service port protocols (appProtocol, else the `tcp-server-first-`/`http-`/`tcp-`/`grpc-` name prefix,
 * osm-semantics §6.5) → what Linkerd needs. From 2.18 clients honour `appProtocol`, and any value other than
 * `http`, `kubernetes.io/h2c`, `linkerd.io/opaque`, `linkerd.io/tcp` means opaque: OSM's `grpc` would silently lose
 * its routes (linkerd-semantics §4). Server-speaks-first protocols must be opaque on every version, or protocol
 * detection waits for the client's first bytes that never come.
 */
export const servicePortsRule = defineRule({
  id: 'service-ports',
  consumes: ['Service appProtocol'],
  raises,
  translate: translateServicePorts,
});

const REWRITE_2_18: Readonly<Record<string, string>> = {
  grpc: 'kubernetes.io/h2c',
  tcp: 'linkerd.io/opaque',
  'tcp-server-first': 'linkerd.io/opaque',
};

export function translateServicePorts({ inventory, options }: RuleInput): RuleOutput {
  const out = new Emitter();
  for (const service of inventory.services) {
    const serverFirst: number[] = [];
    for (const port of service.ports) {
      rewriteAppProtocol(out, service, port, atLeast(options.linkerdVersion, '2.18'));
      if (port.osmProtocol === 'tcp-server-first') serverFirst.push(port.port);
      if (port.osmProtocol === 'unsupported') {
        out.finding(finding('service-ports/unsupported-protocol', service.object.locate(['spec', 'ports', port.index, 'appProtocol']), {
          resource: formatRef(service.object.ref),
          message: { port: port.port, ref: formatRef(service.object.ref), appProtocol: port.appProtocol ?? '' },
        }));
      }
    }
    markOpaque(out, service, serverFirst);
  }
  return out.output();
}

function rewriteAppProtocol(out: Emitter, service: Service, port: ServicePort, honoured: boolean): void {
  const value = port.appProtocol?.toLowerCase();
  const replacement = value ? REWRITE_2_18[value] : undefined;
  if (!honoured || !replacement || !port.appProtocol) return;
  const path = ['spec', 'ports', port.index];
  out.edit({ type: 'set-key', doc: service.object.doc, path, key: 'appProtocol', value: replacement });
  out.consume(service.object, [...path, 'appProtocol']);
  out.finding(finding('service-ports/app-protocol-rewritten', service.object.locate([...path, 'appProtocol']), {
    resource: formatRef(service.object.ref),
    message: { appProtocol: port.appProtocol, port: port.port, ref: formatRef(service.object.ref), replacement, valueClause: value === 'grpc' ? ', which would drop every HTTP route and per-route authorization' : '' },
  }));
}

/** Server-first ports need `config.linkerd.io/opaque-ports` unless Linkerd already treats them as opaque. */
function markOpaque(out: Emitter, service: Service, ports: readonly number[]): void {
  const needed = ports.filter((p) => !DEFAULT_OPAQUE_PORTS.includes(p));
  for (const port of ports.filter((p) => DEFAULT_OPAQUE_PORTS.includes(p))) {
    out.finding(finding('service-ports/already-opaque', service.object.locate(['spec', 'ports']), {
      resource: formatRef(service.object.ref),
      message: { port, ref: formatRef(service.object.ref) },
    }));
  }
  if (needed.length === 0) return;
  const value = needed.join(',');
  out.edit({ type: 'set-key', doc: service.object.doc, path: ['metadata', 'annotations'], key: OPAQUE_PORTS, value });
  out.finding(finding('service-ports/server-first-opaque', service.object.locate(['spec', 'ports']), {
    resource: formatRef(service.object.ref),
    message: { value, ref: formatRef(service.object.ref), opaquePorts: OPAQUE_PORTS },
  }));
}
