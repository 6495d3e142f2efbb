import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../../test/support/repo.ts';
import { resolveOptions, type LinkerdVersion } from '../../options.ts';
import { translateServicePorts } from './service-ports.ts';

// Modelled on openservicemesh_osm-docs/manifests__apps__mysql.yaml and the app_protocol_selection guide.
const SERVICE = `
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports:
    - {name: mysql, port: 3306, appProtocol: tcp-server-first}
    - {name: tcp-server-first-redis, port: 7000}
    - {name: api, port: 9090, appProtocol: grpc}
    - {name: web, port: 80, appProtocol: http}
    - {name: tls, port: 443, appProtocol: https}
`;

function run(version: LinkerdVersion) {
  const { inventory } = inventoryOf({ 's.yaml': SERVICE });
  const out = translateServicePorts({ inventory, options: resolveOptions({ linkerdVersion: version }), meshMode: { mode: 'smi', source: 'option' } });
  return { out, edits: out.edits.map((e) => ({ ...e, doc: e.doc.file })), ids: out.findings.map((f) => f.id).sort() };
}

describe('translateServicePorts', () => {
  // linkerd-semantics §4: from 2.18, OSM's grpc/tcp/tcp-server-first appProtocols mean opaque TCP.
  it('rewrites OSM appProtocols for 2.18+ and leaves http alone', () => {
    const { edits } = run('2.20');
    expect(edits.filter((e) => e.type === 'set-key' && e.key === 'appProtocol')).toEqual([
      { type: 'set-key', doc: 's.yaml', path: ['spec', 'ports', 0], key: 'appProtocol', value: 'linkerd.io/opaque' },
      { type: 'set-key', doc: 's.yaml', path: ['spec', 'ports', 2], key: 'appProtocol', value: 'kubernetes.io/h2c' },
    ]);
  });

  it('does not touch appProtocol before 2.18 (clients ignore it)', () => {
    expect(run('2.17').edits.filter((e) => e.type === 'set-key' && e.key === 'appProtocol')).toEqual([]);
  });

  it('marks server-first ports opaque unless Linkerd already does', () => {
    const { edits, ids } = run('2.14');
    expect(edits).toEqual([{ type: 'set-key', doc: 's.yaml', path: ['metadata', 'annotations'], key: 'config.linkerd.io/opaque-ports', value: '7000' }]);
    expect(ids).toEqual(['service-ports/already-opaque', 'service-ports/server-first-opaque', 'service-ports/unsupported-protocol']);
  });
});
