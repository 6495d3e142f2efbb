import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from './support/shared.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'|import\('([^']+)'\)/g;

function importsOf(file: string): string[] {
  return [...readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? '');
}

/** Every source file the app's entry point loads, following relative imports. */
function loadedBy(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of importsOf(file)) if (spec.startsWith('.')) visit(relative(ROOT, join(ROOT, dirname(file), spec)));
  };
  visit(entry);
  return [...seen];
}

const PRODUCTION_SOURCES = [...readTree(join(ROOT, 'src')).keys()].filter((p) => p.endsWith('.ts') && !p.endsWith('.test.ts')).map((p) => `src/${p}`);

describe('the production image', () => {
  it('needs only production dependencies: every package the sources import is in "dependencies"', () => {
    const builtins = new Set(builtinModules);
    const packages = new Set(PRODUCTION_SOURCES.flatMap(importsOf).filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtins.has(s))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0] ?? s)));
    expect([...packages].filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });

  it('copies every file the app loads, runs the start script, as a non-root user, with a health check, on Node 24', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
    const missing = loadedBy('src/github/main.ts').filter((file) => !copied.some((c) => file === c || file.startsWith(`${c}/`)));
    expect(missing).toEqual([]);
    expect(copied).toContain('app.yml');
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/ping/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd.join(' ')).toBe(pkg.scripts.start);
  });

  it('app.yml asks for the fewest permissions that work and the events the app handles', () => {
    const manifest = parse(readFileSync(join(ROOT, 'app.yml'), 'utf8')) as { default_permissions: Record<string, string>; default_events: string[] };
    expect(manifest.default_permissions).toEqual({ contents: 'write', pull_requests: 'write', checks: 'write', issues: 'write', metadata: 'read' });
    expect(manifest.default_events.sort()).toEqual(['check_run', 'issue_comment', 'pull_request', 'push']);
  });

  it('`npm start` without credentials serves Probot\'s page that registers the app from app.yml', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['src/github/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error' },
      stdio: 'pipe',
    });
    try {
      const page = await poll(`http://127.0.0.1:${port}/probot`, 15_000);
      expect(page).toContain('Register GitHub App');
      expect(page).toContain('"default_permissions":{"contents":"write","pull_requests":"write","checks":"write","issues":"write","metadata":"read"}');
    } finally {
      child.kill();
    }
  });

  it('`npm start` serves the app: the health-check endpoint answers', async () => {
    const port = await freePort();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const child = spawn(process.execPath, ['src/github/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 'secret', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error' },
      stdio: 'pipe',
    });
    try {
      const answer = await poll(`http://127.0.0.1:${port}/ping`, 15_000);
      expect(answer).toBe('PONG');
    } finally {
      child.kill();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function poll(url: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      return await response.text();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
