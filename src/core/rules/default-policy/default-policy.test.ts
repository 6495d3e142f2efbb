import { describe, expect, it } from 'vitest';
import { deployment as workload, namespace, service as serviceManifest, tcpRoute, trafficTarget } from '../../../../test/support/manifests.ts';
import { inventoryOf } from '../../../../test/support/repo.ts';
import type { MeshMode } from '../../inventory/mesh-mode.ts';
import { resolveOptions } from '../../options.ts';
import { translateDefaultPolicy } from './default-policy.ts';

const SMI: MeshMode = { mode: 'smi', source: 'option' };

const NAMESPACE = namespace({ name: 'shop', monitoredBy: 'osm', injection: 'enabled' });

/** A workload on port 8080 with an HTTP readiness probe and a TCP liveness probe. */
function deployment(name: string, ns: string, podAnnotations?: Record<string, string>) {
  return workload({
    name, namespace: ns, podAnnotations, container: 'app', ports: [8080],
    containerLines: ['readinessProbe: {httpGet: {path: /ready, port: 8080}}', 'livenessProbe: {tcpSocket: {port: 8080}}'],
  });
}

const TARGET = trafficTarget({ name: 't', namespace: 'shop', destination: 'api', sources: ['web'], rules: [{ kind: 'TCPRoute', name: 'r' }] });

describe('translateDefaultPolicy', () => {
  // linkerd-semantics §4 "Default-allow": OSM's SMI mode denied by default, Linkerd's install allows by default.
  it('annotates a meshed Namespace manifest with default-inbound-policy: deny', () => {
    const { inventory } = inventoryOf({ 'ns.yaml': NAMESPACE, 'd.yaml': deployment('api', 'shop') });
    const out = translateDefaultPolicy({ inventory, options: resolveOptions(), meshMode: SMI });
    expect(out.edits).toMatchObject([{ type: 'set-key', path: ['metadata', 'annotations'], key: 'config.linkerd.io/default-inbound-policy', value: 'deny' }]);
    expect(out.edits[0]?.doc.file).toBe('ns.yaml');
    expect(out.findings.map((f) => f.id).sort()).toEqual(['mesh-mode/default-deny', 'probes/open-to-all-networks', 'probes/tcp-probe-always-passes']);
  });

  it('falls back to the pod templates when the namespace has no manifest', () => {
    const route = tcpRoute({ name: 'r', namespace: 'shop', ports: [8080] });
    const { inventory } = inventoryOf({ 'd.yaml': deployment('api', 'shop'), 't.yaml': TARGET, 'r.yaml': route });
    const out = translateDefaultPolicy({ inventory, options: resolveOptions(), meshMode: SMI });
    expect(out.edits).toMatchObject([{ type: 'set-key', path: ['spec', 'template', 'metadata', 'annotations'] }]);
    expect(out.findings.map((f) => f.id)).toContain('mesh-mode/default-deny-unplaced');
  });

  // osm-semantics §5: pod `disabled` is not injected; "Namespace excluded from injection even if monitored" (ignore).
  it('leaves unmeshed workloads and ignored namespaces alone', () => {
    const { inventory } = inventoryOf({
      'ns.yaml': NAMESPACE.replace('labels: {openservicemesh.io/monitored-by: osm}', 'labels: {openservicemesh.io/monitored-by: osm, openservicemesh.io/ignore: "true"}'),
      'd.yaml': deployment('api', 'shop', { 'openservicemesh.io/sidecar-injection': 'enabled' }),
      'o.yaml': deployment('batch', 'other', { 'openservicemesh.io/sidecar-injection': 'disabled' }),
    });
    const out = translateDefaultPolicy({ inventory, options: resolveOptions(), meshMode: SMI });
    expect(out.edits).toEqual([]);
  });

  // osm-semantics §5: monitored-by is often set by `osm namespace add`, outside Git: an unlabelled Namespace manifest is
  // translated as if monitored (the injection rule warns once about it).
  it('annotates an unlabelled Namespace manifest as if monitored', () => {
    const { inventory } = inventoryOf({
      'ns.yaml': NAMESPACE.replace('labels: {openservicemesh.io/monitored-by: osm}', 'labels: {}'),
      'd.yaml': deployment('api', 'shop'),
    });
    const out = translateDefaultPolicy({ inventory, options: resolveOptions(), meshMode: SMI });
    expect(out.edits.map((e) => (e.type === 'set-key' ? [e.doc.file, e.key, e.value] : e.type))).toEqual([['ns.yaml', 'config.linkerd.io/default-inbound-policy', 'deny']]);
  });

  // osm-semantics §6.1: "A non-mesh client (plaintext) therefore matches no inbound mesh chain"; §6.2: permissive mode
  // allows every meshed client. Linkerd's all-unauthenticated default would admit plaintext clients too.
  it('keeps permissive mode to meshed clients: all-authenticated, not Linkerd\'s allow-all default', () => {
    const { inventory } = inventoryOf({ 'ns.yaml': NAMESPACE, 'd.yaml': deployment('api', 'shop') });
    const out = translateDefaultPolicy({ inventory, options: resolveOptions(), meshMode: { mode: 'permissive', source: 'option' } });
    expect(out.edits.map((e) => (e.type === 'set-key' ? [e.key, e.value] : e.type))).toEqual([['config.linkerd.io/default-inbound-policy', 'all-authenticated']]);
    expect(out.findings.map((f) => f.id).sort()).toEqual(['mesh-mode/default-authenticated', 'probes/open-to-all-networks', 'probes/tcp-probe-always-passes']);
  });

  // osm-semantics §5: `osm namespace add` writes the namespace's injection in the cluster, not in Git. A workload the
  // migration generates a Server for is meshed (OSM programmed it), so its namespace keeps OSM's default too; the
  // injection rule adds linkerd.io/inject beside it (injection/namespace-inject-added).
  it('treats a namespace as meshed where a Server is generated for its pods, even if Git says nothing of injection', () => {
    const route = tcpRoute({ name: 'r', namespace: 'shop', ports: [8080] });
    const service = serviceManifest({ name: 'api', namespace: 'shop', ports: [{ port: 80, targetPort: 8080 }] });
    const bare = namespace({ name: 'shop' });
    const files = { 'ns.yaml': bare, 'd.yaml': deployment('api', 'shop'), 's.yaml': service, 't.yaml': TARGET, 'r.yaml': route };
    const { inventory } = inventoryOf(files);
    const out = translateDefaultPolicy({ inventory, options: resolveOptions(), meshMode: SMI });
    expect(out.edits.map((e) => (e.type === 'set-key' ? [e.doc.file, e.key, e.value] : e.type))).toEqual([['ns.yaml', 'config.linkerd.io/default-inbound-policy', 'deny']]);
    const { inventory: unserved } = inventoryOf({ 'ns.yaml': bare, 'd.yaml': deployment('api', 'shop') });
    expect(translateDefaultPolicy({ inventory: unserved, options: resolveOptions(), meshMode: SMI }).edits).toEqual([]);
  });
});
