import { generateKeyPairSync } from 'node:crypto';
import { Probot, type Logger } from 'probot';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/github/app.ts';
import { MemoryGitHub } from '../../src/github/memory/memory-github.ts';
import { appOctokit } from '../../src/github/octokit.ts';
import { installationCreated, pushToDefault } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

interface Line { readonly level: string; readonly fields: Record<string, unknown>; readonly message: string }

/** A pino-shaped logger that keeps every line with the fields bound by `child` (what JSON output would carry). */
function recordingLogger(lines: Line[], bound: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (first: unknown, second?: unknown) => {
    const fields = typeof first === 'object' && first !== null ? first as Record<string, unknown> : {};
    lines.push({ level, fields: { ...bound, ...fields }, message: String(typeof first === 'string' ? first : second ?? '') });
  };
  const logger = {
    level: 'trace',
    child: (fields: Record<string, unknown>) => recordingLogger(lines, { ...bound, ...fields }),
    ...Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((l) => [l, at(l)])),
  };
  return logger as unknown as Logger;
}

describe('structured logs', () => {
  it('every line the app logs about a repository carries it; the handler\'s lines the delivery id, a job\'s its attempt', async () => {
    const github = new MemoryGitHub();
    const repo = github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
    const lines: Line[] = [];
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const probot = new Probot({ appId: 1, privateKey, secret: 's', log: recordingLogger(lines), request: { fetch: github.fetch }, Octokit: appOctokit({ throttle: { enabled: false }, retry: { enabled: false } }) });
    const app = createApp();
    await probot.load(app.appFn);
    await probot.receive({ id: 'delivery-install', name: 'installation', payload: installationCreated(repo).payload } as never);
    await app.idle();
    await probot.receive({ id: 'delivery-readme', name: 'push', payload: pushToDefault(repo, ['README.md']).payload } as never);
    // Octokit's own request lines (debug, off unless LOG_LEVEL=debug) name the repository in their URL instead.
    const about = lines.filter((l) => l.message.includes('acme/mesh') && l.level !== 'debug');
    expect(about.length).toBeGreaterThanOrEqual(3); // files read, PR opened, push skipped
    expect(about.map((l) => l.fields.repository)).toEqual(about.map(() => 'acme/mesh'));
    // The handler's lines name the delivery; a job's lines (a job may stand for several coalesced deliveries) name
    // the job and its attempt, and the delivery's line says which jobs it queued.
    expect(about.find((l) => l.message.includes('jobs queued'))?.fields).toMatchObject({ deliveryId: 'delivery-install', event: 'installation' });
    expect(about.find((l) => l.message.includes('push changes no manifest'))?.fields).toMatchObject({ deliveryId: 'delivery-readme', event: 'push' });
    expect(about.find((l) => l.message.includes('opened PR #1'))?.fields).toMatchObject({ job: 'scan', attempt: 1 });
  });
});
