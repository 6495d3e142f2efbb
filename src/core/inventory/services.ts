import { asArray, asPortNumber, asRecord, asString, asStringMap } from '../values.ts';
import type { K8sObject, OsmProtocol, Service, ServicePort, Workload } from './model.ts';

/** OSM v1.2 port-name prefixes, in the order OSM checks them (osm-semantics §6.5, constants.go:311). */
const NAME_PREFIXES: readonly [string, OsmProtocol][] = [
  ['tcp-server-first-', 'tcp-server-first'],
  ['http-', 'http'],
  ['tcp-', 'tcp'],
  ['grpc-', 'grpc'],
];

/** "1. port.appProtocol 2. protocol prefixed to port name 3. default to http" (OSM v1.2 pkg/k8s/client.go:297-310). */
export function osmProtocolOf(appProtocol: string | undefined, name: string | undefined): OsmProtocol {
  if (appProtocol !== undefined) {
    const value = appProtocol.toLowerCase();
    return value === 'http' || value === 'grpc' || value === 'tcp' || value === 'tcp-server-first' ? value : 'unsupported';
  }
  for (const [prefix, protocol] of NAME_PREFIXES) if (name?.startsWith(prefix)) return protocol;
  return 'http';
}

export function readService(object: K8sObject): Service | undefined {
  if (object.ref.kind !== 'Service' || object.ref.apiVersion !== 'v1') return undefined;
  const spec = asRecord(object.body['spec']);
  const selector = asStringMap(spec['selector']);
  const ports = asArray(spec['ports']).flatMap((raw, index): ServicePort[] => {
    const p = asRecord(raw);
    const port = asPortNumber(p['port']);
    if (port === undefined) return [];
    const name = asString(p['name']);
    const appProtocol = asString(p['appProtocol']);
    const targetRaw = p['targetPort'];
    const targetPort = asPortNumber(targetRaw) ?? asString(targetRaw) ?? port;
    return [{
      port,
      targetPort,
      protocol: asString(p['protocol']) ?? 'TCP',
      osmProtocol: osmProtocolOf(appProtocol, name),
      index,
      ...(name ? { name } : {}),
      ...(appProtocol ? { appProtocol } : {}),
    }];
  });
  return {
    object,
    name: object.ref.name,
    ...(object.ref.namespace !== undefined ? { namespace: object.ref.namespace } : {}),
    ...(Object.keys(selector).length > 0 ? { selector } : {}),
    ports,
    headless: spec['clusterIP'] === 'None',
  };
}

/** A Service selects a workload's pods when every selector label is on the pod template. */
export function selects(service: Service, workload: Workload): boolean {
  if (!service.selector) return false;
  return Object.entries(service.selector).every(([k, v]) => workload.podLabels[k] === v);
}

/** The container port a Service port reaches on a workload (targetPort by number or by name). */
export function resolveTargetPort(port: ServicePort, workload: Workload): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return workload.ports.find((p) => p.name === port.targetPort)?.port;
}
