import { describe, expect, it } from 'vitest';
import { deployment, docs, service } from '../../../test/support/manifests.ts';
import { inventoryOf } from '../../../test/support/repo.ts';
import type { Workload } from '../inventory/model.ts';
import { addressInside, inCidr } from '../primitives/cidr.ts';
import { ingressSources, osmIngressDecision, readOsmIngress } from './osm-ingress.ts';
import type { AccessRequest, RequestSource } from './types.ts';

const BACKEND = docs(
  deployment({ name: 'httpbin', namespace: 'httpbin', ports: [14001] }),
  service({ name: 'httpbin', namespace: 'httpbin', ports: [{ name: 'http', port: 14001 }] }),
);

function ib(protocol: string, sources: string, tls = '', name = 'httpbin', number = 14001): string {
  return `
kind: IngressBackend
apiVersion: policy.openservicemesh.io/v1alpha1
metadata: {name: ${name}, namespace: httpbin}
spec:
  backends:
    - name: httpbin
      port: {number: ${number}, protocol: ${protocol}}
${tls ? `      tls: ${tls}\n` : ''}  sources: ${sources}
`;
}

const CONTROLLER: RequestSource = {
  kind: 'ingress', label: 'ingress:service/ingress-nginx/ingress-nginx', ip: '10.3.0.1', service: 'ingress-nginx/ingress-nginx',
  principal: 'ingress-nginx.ingress-nginx.cluster.local', identity: { serviceAccount: 'ingress-nginx', namespace: 'ingress-nginx' },
};
const UNMESHED: RequestSource = { kind: 'unmeshed', ip: '10.2.0.20' };
const OUTSIDE: RequestSource = { kind: 'unmeshed', ip: '192.0.2.10' };
const MESHED: RequestSource = { kind: 'meshed', serviceAccount: 'bookbuyer', namespace: 'bookbuyer', ip: '10.1.0.10' };

function decide(files: Record<string, string>, source: RequestSource, port = 14001) {
  const { inventory } = inventoryOf(files);
  const workload = inventory.workloads[0] as Workload;
  const request: AccessRequest = {
    source, namespace: 'httpbin', workload: 'httpbin', serviceAccount: 'httpbin', port, http: { method: 'GET', path: '/anything', headers: {} },
  };
  return osmIngressDecision(readOsmIngress(inventory), inventory, request, workload)?.allowed ?? false;
}

describe('OSM ingress chains (osm-semantics §3.1)', () => {
  const SERVICE = '[{kind: Service, name: ingress-nginx, namespace: ingress-nginx}]';

  it('http + Service source: the controller\'s endpoints only; mesh clients never reach the ingress chain', () => {
    const files = { 'b.yaml': BACKEND, 'i.yaml': ib('http', SERVICE) };
    expect(decide(files, CONTROLLER)).toBe(true);
    expect(decide(files, UNMESHED)).toBe(false);
    // The mesh client's mTLS handshake selects the in-mesh chain, whatever its IP.
    expect(decide(files, MESHED)).toBe(false);
    // Another port of the pod has no ingress chain.
    expect(decide(files, CONTROLLER, 8080)).toBe(false);
  });

  it('"With no Service or IPRange source, ingress is open" (http)', () => {
    expect(decide({ 'b.yaml': BACKEND, 'i.yaml': ib('http', '[]') }, OUTSIDE)).toBe(true);
  });

  it('IPRange: source IP prefix', () => {
    const files = { 'b.yaml': BACKEND, 'i.yaml': ib('http', '[{kind: IPRange, name: 10.0.0.0/8}]') };
    expect(decide(files, UNMESHED)).toBe(true);
    expect(decide(files, OUTSIDE)).toBe(false);
  });

  it('https: an OSM client certificate whose SAN is listed; any valid one when none is; skipClientCertValidation wildcards it', () => {
    const principal = (name: string) => `[{kind: AuthenticatedPrincipal, name: ${name}}]`;
    const listed = { 'b.yaml': BACKEND, 'i.yaml': ib('https', principal('ingress-nginx.ingress-nginx.cluster.local'), '{skipClientCertValidation: false}') };
    expect(decide(listed, CONTROLLER)).toBe(true);
    expect(decide(listed, UNMESHED)).toBe(false);
    const other = { 'b.yaml': BACKEND, 'i.yaml': ib('https', principal('untrusted-client.cluster.local'), '{skipClientCertValidation: false}') };
    expect(decide(other, CONTROLLER)).toBe(false);
    const skip = { 'b.yaml': BACKEND, 'i.yaml': ib('https', principal('untrusted-client.cluster.local'), '{skipClientCertValidation: true}') };
    expect(decide(skip, CONTROLLER)).toBe(true);
    expect(decide(skip, UNMESHED)).toBe(true);
  });

  it('port.number is the targetPort: a Service port number that is not one matches nothing', () => {
    const service = BACKEND.replace('[{name: http, port: 14001}]', '[{name: http, port: 80, targetPort: 14001}]');
    expect(decide({ 'b.yaml': service, 'i.yaml': ib('http', '[]', '', 'httpbin', 80) }, OUTSIDE)).toBe(false);
    expect(decide({ 'b.yaml': service, 'i.yaml': ib('http', '[]', '', 'httpbin', 14001) }, OUTSIDE)).toBe(true);
  });

  it('objects the webhook refuses allow nothing; a second IngressBackend for one backend is refused', () => {
    expect(decide({ 'b.yaml': BACKEND, 'i.yaml': ib('tcp', '[]') }, OUTSIDE)).toBe(false);
    expect(decide({ 'b.yaml': BACKEND, 'i.yaml': ib('https', '[]', '{skipClientCertValidation: true}') }, OUTSIDE)).toBe(false);
    const first = ib('http', '[{kind: IPRange, name: 10.0.0.0/8}]', '', 'first');
    const second = ib('http', '[]', '', 'second');
    expect(decide({ 'b.yaml': BACKEND, 'i1.yaml': first, 'i2.yaml': second }, OUTSIDE)).toBe(false);
  });
});

describe('ingress request sources', () => {
  it('the controller per ServiceAccount, principals from elsewhere and inside each range, clients in and out of the ranges', () => {
    const controller = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx, namespace: ingress-nginx}
spec:
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec: {serviceAccountName: ingress-nginx, containers: [{name: c}]}
---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx, namespace: ingress-nginx}
spec: {selector: {app: nginx}, ports: [{port: 80}]}
`;
    const sources = '[{kind: Service, name: ingress-nginx, namespace: ingress-nginx}, {kind: AuthenticatedPrincipal, name: a.b.cluster.local}, {kind: IPRange, name: 172.16.0.0/12}]';
    const { inventory } = inventoryOf({ 'b.yaml': BACKEND, 'c.yaml': controller, 'i.yaml': ib('https', sources, '{skipClientCertValidation: false}') });
    const backend = inventory.workloads.find((w) => w.name === 'httpbin') as Workload;
    const meshed = ingressSources(readOsmIngress(inventory), inventory, backend, () => undefined);
    expect(meshed).toEqual([
      // Its certificate came from MeshConfig certificate.ingressGateway (osm-semantics §4.1): it presents the listed
      // principal, not one spelled from its ServiceAccount, so OSM admitted it.
      { ...CONTROLLER, principal: 'a.b.cluster.local', service: 'ingress-nginx/ingress-nginx', label: 'ingress:service/ingress-nginx/ingress-nginx' },
      { kind: 'ingress', label: 'ingress:principal/a.b.cluster.local', ip: '192.0.2.10', principal: 'a.b.cluster.local', identity: { serviceAccount: 'a', namespace: 'b' } },
      { kind: 'ingress', label: 'ingress:principal/a.b.cluster.local', ip: '172.16.0.1', principal: 'a.b.cluster.local', identity: { serviceAccount: 'a', namespace: 'b' } },
      { kind: 'unmeshed', ip: '172.16.0.1' },
      { kind: 'meshed', serviceAccount: 'in-range-client', namespace: 'httpbin', ip: '172.16.0.1' },
      { kind: 'unmeshed', ip: '192.0.2.10' },
    ]);
    // A controller the migration leaves unmeshed has no Linkerd identity.
    const unmeshed = ingressSources(readOsmIngress(inventory), inventory, backend, () => 'disabled');
    expect(unmeshed[0]).not.toHaveProperty('identity');
    // Injection unknown after the migration: the controller is tried with and without its identity.
    const unknown = ingressSources(readOsmIngress(inventory), inventory, backend, () => 'unknown');
    expect(unknown.filter((s) => s.kind === 'ingress' && s.service !== undefined).map((s) => s.kind === 'ingress' && s.identity !== undefined)).toEqual([true, false]);
    // Workloads behind no IngressBackend get no ingress clients.
    const other = inventory.workloads.find((w) => w.name === 'nginx') as Workload;
    expect(ingressSources(readOsmIngress(inventory), inventory, other, () => 'enabled')).toEqual([]);
  });

  it.each(['10.0.0.0/8', '172.16.0.0/12', '10.240.0.4/32', '0.0.0.0/0', '2001:db8::/32', 'fd00::/8', '::/0'])('addressInside(%s) is inside it', (cidr) => {
    const ip = addressInside(cidr);
    expect(ip).toBeDefined();
    expect(inCidr(ip ?? '', cidr)).toBe(true);
  });

  it('addressInside: first host, or the host itself; nothing for a non-CIDR', () => {
    expect(addressInside('10.0.0.0/8')).toBe('10.0.0.1');
    expect(addressInside('10.240.0.4/32')).toBe('10.240.0.4');
    expect(addressInside('2001:db8::/32')).toBe('2001:db8:0:0:0:0:0:1');
    expect(addressInside('not-a-cidr')).toBeUndefined();
  });
});
