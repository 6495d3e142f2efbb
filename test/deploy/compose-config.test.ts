import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * docker-compose.yml as Compose itself reads it: `docker-compose config` (Debian's docker-compose package, which
 * validates and resolves the file without a Docker daemon). Where it is not installed the suite is skipped, and
 * its name says so; in CI (.ci/run installs it) it fails instead.
 */
const COMPOSE = join(import.meta.dirname, '../../docker-compose.yml');
const available = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

interface Service { environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; ports?: { target: number; published: number | string }[]; deploy?: { replicas: number }; command?: string[]; healthcheck?: { test: string[] } }

describe.skipIf(!available && !process.env['CI'])(`docker-compose.yml read by docker-compose config${available ? '' : ' (skipped: docker-compose is not installed; apt-get install docker-compose)'}`, () => {
  it('is valid Compose: the app and worker replicas share the Redis queue, start after Redis is healthy, and the app is probed on /readyz', () => {
    expect(available, 'docker-compose is not installed (apt-get install docker-compose)').toBe(true);
    // The file names `.env` (the operator's secrets): an empty one stands in for it, beside a copy of the file.
    const dir = mkdtempSync(join(tmpdir(), 'osm2linkerd-compose-'));
    try {
      copyFileSync(COMPOSE, join(dir, 'docker-compose.yml'));
      writeFileSync(join(dir, '.env'), '');
      const result = spawnSync('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config'], { encoding: 'utf8', cwd: dir });
      expect(result.stderr).not.toMatch(/ERROR/);
      expect(result.status).toBe(0);
      const { services } = parse(result.stdout) as { services: Record<string, Service> };
      expect(Object.keys(services).sort()).toEqual(['app', 'redis', 'worker']);
      const { app, worker, redis } = services as { app: Service; worker: Service; redis: Service };
      expect(app.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(worker.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', WEBHOOKS: '0' });
      for (const service of [app, worker]) expect(service.depends_on?.redis?.condition).toBe('service_healthy');
      expect(app.ports?.map((p) => [Number(p.published), p.target])).toEqual([[3000, 3000]]);
      expect(app.healthcheck?.test.join(' ')).toContain('/readyz');
      expect(worker.deploy?.replicas).toBe(0);
      expect(redis.command).toEqual(['redis-server', '--appendonly', 'yes']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
