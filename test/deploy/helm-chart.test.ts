import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Renderer } from './go-template.ts';

/**
 * No helm binary on the development machine (Debian does not package it), so the chart is rendered by the small
 * text/template interpreter in go-template.ts and every document is parsed as YAML and checked for what matters.
 */
const CHART = join(import.meta.dirname, '../../deploy/helm/osm2linkerd');
const TEMPLATES = join(CHART, 'templates');
const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion: string; dependencies: { name: string; condition: string }[] };
const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;

interface Manifest { kind: string; metadata: { name: string }; spec?: Record<string, unknown>; data?: Record<string, string> }
interface Container { name: string; image: string; env: { name: string; value?: string; valueFrom?: unknown }[]; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } }; resources: unknown }

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && typeof base[k] === 'object' ? merge(base[k] as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

function render(values: Record<string, unknown> = {}): Manifest[] {
  const renderer = new Renderer();
  renderer.define(readFileSync(join(TEMPLATES, '_helpers.tpl'), 'utf8'));
  const dot = {
    Values: merge(defaults, values),
    Release: { Name: 'prod', Namespace: 'osm2linkerd', Service: 'Helm' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const manifests: Manifest[] = [];
  for (const file of readdirSync(TEMPLATES).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = renderer.render(readFileSync(join(TEMPLATES, file), 'utf8'), dot);
    for (const doc of parseAllDocuments(text)) {
      expect(doc.errors.map((e) => `${file}: ${e.message}`)).toEqual([]);
      const value = doc.toJSON() as Manifest | null;
      if (value) manifests.push(value);
    }
  }
  return manifests;
}

const containerOf = (manifests: Manifest[], name: string): Container => {
  const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
  return ((deployment?.spec?.template as { spec: { containers: Container[] } } | undefined)?.spec.containers[0]) as Container;
};
const env = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value ?? 'from-secret']));

describe('the Helm chart (deploy/helm/osm2linkerd)', () => {
  it('renders with its defaults to parseable YAML: webhook Deployment, Secret, Services, no worker without Redis, no ServiceMonitor', () => {
    const manifests = render();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Deployment/prod-osm2linkerd-webhook', 'Secret/prod-osm2linkerd-github', 'Service/prod-osm2linkerd', 'Service/prod-osm2linkerd-metrics']);
    const webhook = containerOf(manifests, 'prod-osm2linkerd-webhook');
    expect(webhook.image).toBe(`ghcr.io/osm2linkerd/osm2linkerd:${chart.appVersion}`);
    expect([webhook.livenessProbe.httpGet.path, webhook.readinessProbe.httpGet.path]).toEqual(['/healthz', '/readyz']);
    // Without Redis the one webhook replica also runs the jobs in memory: neither REDIS_URL nor WORKERS=0.
    expect(env(webhook)).toMatchObject({ APP_ID: 'from-secret', WEBHOOK_SECRET: 'from-secret', PRIVATE_KEY_PATH: '/var/run/secrets/osm2linkerd/private-key.pem', LOG_FORMAT: 'json', WEBHOOK_MAX_BYTES: '5242880' });
    expect(env(webhook)).not.toHaveProperty('REDIS_URL');
    expect(env(webhook)).not.toHaveProperty('WORKERS');
  });

  it('with the Redis subchart: webhook replicas queue only (WORKERS=0), worker replicas run only (WEBHOOKS=0), both on the same REDIS_URL', () => {
    expect(chart.dependencies).toEqual([expect.objectContaining({ name: 'redis', condition: 'redis.enabled' })]);
    const manifests = render({ redis: { enabled: true }, webhook: { replicas: 3 }, worker: { replicas: 4 } });
    const webhook = containerOf(manifests, 'prod-osm2linkerd-webhook');
    const worker = containerOf(manifests, 'prod-osm2linkerd-worker');
    expect([env(webhook).REDIS_URL, env(worker).REDIS_URL]).toEqual(['redis://prod-redis-master:6379', 'redis://prod-redis-master:6379']);
    expect([env(webhook).WORKERS, env(webhook).WEBHOOKS, env(worker).WORKERS, env(worker).WEBHOOKS]).toEqual(['0', undefined, undefined, '0']);
    const replicas = manifests.filter((m) => m.kind === 'Deployment').map((m) => [m.metadata.name, m.spec?.replicas]);
    expect(replicas).toEqual([['prod-osm2linkerd-webhook', 3], ['prod-osm2linkerd-worker', 4]]);
    expect(worker.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '2Gi' } });
  });

  it('with an external Redis, an existing Secret and the ServiceMonitor toggle', () => {
    const manifests = render({ redisUrl: 'redis://redis.cache:6379/2', github: { existingSecret: 'my-app' }, serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus' } } });
    expect(manifests.some((m) => m.kind === 'Secret')).toBe(false);
    expect(env(containerOf(manifests, 'prod-osm2linkerd-worker')).REDIS_URL).toBe('redis://redis.cache:6379/2');
    const deployment = manifests.find((m) => m.metadata.name === 'prod-osm2linkerd-worker');
    expect(JSON.stringify(deployment)).toContain('"secretName":"my-app"');
    const monitor = manifests.find((m) => m.kind === 'ServiceMonitor') as Manifest & { metadata: { labels: Record<string, string> } };
    expect(monitor.metadata.labels.release).toBe('kube-prometheus');
    expect(monitor.spec?.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
  });

  it('puts the app credentials in the Secret base64-encoded', () => {
    const secret = render({ github: { appId: '12345', privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n', webhookSecret: 's3cret' } }).find((m) => m.kind === 'Secret');
    expect(Buffer.from(secret?.data?.['app-id'] ?? '', 'base64').toString()).toBe('12345');
    expect(Buffer.from(secret?.data?.['private-key.pem'] ?? '', 'base64').toString()).toContain('BEGIN PRIVATE KEY');
    expect(Buffer.from(secret?.data?.['webhook-secret'] ?? '', 'base64').toString()).toBe('s3cret');
  });
});

describe('docker-compose.yml', () => {
  it('runs the app and a Redis it waits for, on one REDIS_URL, with worker-only replicas on demand', () => {
    const compose = parse(readFileSync(join(import.meta.dirname, '../../docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string>; depends_on?: unknown; image?: string; build?: string; ports?: string[] }> };
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'redis', 'worker']);
    expect(compose.services.redis?.image).toMatch(/^redis:/);
    for (const name of ['app', 'worker']) {
      expect(compose.services[name]?.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(compose.services[name]?.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    }
    expect(compose.services.worker?.environment?.WEBHOOKS).toBe('0');
    expect(compose.services.app?.ports).toEqual(['3000:3000']);
  });
});
