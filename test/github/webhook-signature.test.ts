import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/github/app.ts';
import { createHttpEntry } from '../../src/github/http-entry.ts';
import { memoryProbot } from '../../src/github/dry-run.ts';
import { MemoryGitHub } from '../../src/github/memory/memory-github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';
import { installationCreated } from '../support/github.ts';

/** The app behind its HTTP entry (`http-entry.ts`, what `npm start` serves) on a loopback port. */
describe('webhook signatures on the HTTP server', () => {
  const github = new MemoryGitHub();
  const repo = github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
  const app = createApp();
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const probot = memoryProbot(github, undefined, 'fatal');
    await probot.load(app.appFn);
    server = createServer(createHttpEntry({ probot, secret: 'memory-github', log: probot.log }));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const body = JSON.stringify(installationCreated(repo).payload);
  const post = (headers: Record<string, string>) => fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'installation', 'x-github-delivery': `d-${Math.random()}`, ...headers },
  });

  it('rejects a delivery without a signature and does nothing', async () => {
    const response = await post({});
    expect(response.status).toBeGreaterThanOrEqual(400);
    await app.idle();
    expect(repo.pulls).toHaveLength(0);
  });

  it('rejects a delivery signed with another secret and does nothing', async () => {
    const signature = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;
    const response = await post({ 'x-hub-signature-256': signature });
    expect(response.status).toBeGreaterThanOrEqual(400);
    await app.idle();
    expect(repo.pulls).toHaveLength(0);
  });

  it('accepts a correctly signed delivery at once and opens the PR in the background', async () => {
    const signature = `sha256=${createHmac('sha256', 'memory-github').update(body).digest('hex')}`;
    const response = await post({ 'x-hub-signature-256': signature });
    expect(response.status).toBe(200);
    await app.idle();
    expect(repo.pulls).toHaveLength(1);
  });
});
