import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/github/app.ts';
import { memoryProbot } from '../../src/github/dry-run.ts';
import { createHttpEntry, DEFAULT_MAX_BODY_BYTES, maxBodyBytesFrom } from '../../src/github/http-entry.ts';
import { observeQueueDepth } from '../../src/github/metrics.ts';
import { MemoryGitHub } from '../../src/github/memory/memory-github.ts';
import { installationCreated, pushToDefault } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

const SECRET = 'memory-github';
const LIMIT = 1024 * 1024;
const TEN_MB = 10 * 1024 * 1024;
const sign = (body: string | Buffer) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe('the HTTP entry in front of the handlers', () => {
  const github = new MemoryGitHub();
  const repo = github.addRepository('acme', 'mesh', Object.fromEntries(readTree(`${EXAMPLES}bookstore`)));
  const app = createApp();
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const log = Object.fromEntries(['info', 'warn', 'error'].map((level) => [level, (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message })])) as never;
  let ready: 'up' | 'down' | 'hanging' = 'up';
  /** Bytes the server read from each request's socket, by delivery id (kept after the socket closes). */
  const bytesRead = new Map<string, () => number>();
  let server: Server;
  let port = 0;
  let base = '';

  beforeAll(async () => {
    const probot = memoryProbot(github, undefined, 'fatal');
    await probot.load(app.appFn);
    observeQueueDepth(() => app.queue.depth());
    const entry = createHttpEntry({
      probot, secret: SECRET, log, maxBodyBytes: LIMIT, readinessTimeoutMs: 100,
      readiness: [
        { name: 'always', check: async () => {} },
        { name: 'switch', check: () => (ready === 'up' ? Promise.resolve() : ready === 'down' ? Promise.reject(new Error('switched off')) : new Promise<void>(() => {})) },
      ],
    });
    server = createServer((req: IncomingMessage, res) => {
      const socket = req.socket;
      bytesRead.set(String(req.headers['x-github-delivery']), () => socket.bytesRead);
      entry(req, res);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const post = (body: string, headers: Record<string, string>) => fetch(`${base}/api/github/webhooks`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-delivery': `d-${Math.random()}`, ...headers },
  });

  /**
   * Streams `total` bytes of body over a raw socket (with a content-length, or chunked) and returns the status line
   * the server answered with and how many bytes the server had read when it closed the connection.
   */
  function stream(id: string, total: number, headers: Record<string, string>, chunked: boolean): Promise<{ status: string; serverRead: number }> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const head = [
        'POST /api/github/webhooks HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', `X-GitHub-Delivery: ${id}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`, '', '',
      ].join('\r\n');
      let closed = false;
      const finish = () => {
        if (closed) return;
        closed = true;
        resolve({ status: answer.split('\r\n')[0] ?? '', serverRead: bytesRead.get(id)?.() ?? -1 });
      };
      socket.on('data', (d) => { answer += d.toString('utf8'); });
      socket.on('error', finish);
      socket.on('close', finish);
      const pump = () => {
        while (!closed && sent < total) {
          const piece = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
          sent += chunk.length;
          if (!socket.write(piece)) return void socket.once('drain', pump);
        }
        if (!closed && chunked) socket.write('0\r\n\r\n');
      };
      socket.write(head, pump);
    });
  }

  it('refuses a 10 MB unsigned body on its headers: 401, connection closed, the body never read', async () => {
    const { status, serverRead } = await stream('unsigned-10mb', TEN_MB, { 'X-GitHub-Event': 'push' }, false);
    expect(status).toBe('HTTP/1.1 401 Unauthorized');
    expect(serverRead).toBeLessThan(LIMIT);
  });

  it('refuses a signed delivery declaring 10 MB before reading it (413), and one streaming 10 MB chunked once it passes the limit', async () => {
    const declared = await stream('declared-10mb', TEN_MB, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` }, false);
    expect(declared.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(declared.serverRead).toBeLessThan(LIMIT);
    const chunked = await stream('chunked-10mb', TEN_MB, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` }, true);
    expect(chunked.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(chunked.serverRead).toBeLessThan(2 * LIMIT);
  });

  it('checks the signature before parsing: a wrongly signed body that is not even JSON is a 401', async () => {
    const response = await post('{not json', { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${createHmac('sha256', 'other').update('{not json').digest('hex')}` });
    expect(response.status).toBe(401);
  });

  it('a signed body that is not JSON, or a push without its repository, is a 400 with a log line naming the delivery', async () => {
    const broken = await post('{"ref": ', { 'x-github-event': 'push', 'x-hub-signature-256': sign('{"ref": '), 'x-github-delivery': 'broken-json' });
    expect(broken.status).toBe(400);
    const incomplete = { ...pushToDefault(repo).payload };
    delete incomplete.repository;
    const body = JSON.stringify(incomplete);
    const missing = await post(body, { 'x-github-event': 'push', 'x-hub-signature-256': sign(body), 'x-github-delivery': 'no-repository' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('`repository`');
    expect(lines.filter((l) => l.fields.status === 400).map((l) => [l.level, l.fields.deliveryId, l.message.split(':')[0]])).toEqual([
      ['warn', 'broken-json', 'webhook refused'], ['warn', 'no-repository', 'webhook refused'],
    ]);
    await app.idle();
    expect(repo.pulls).toHaveLength(0);
  });

  it('accepts a correctly signed delivery and the run opens the PR', async () => {
    const body = JSON.stringify(installationCreated(repo).payload);
    const response = await post(body, { 'x-github-event': 'installation', 'x-hub-signature-256': sign(body) });
    expect(response.status).toBe(200);
    await app.idle();
    expect(repo.pulls).toHaveLength(1);
  });

  it('serves liveness, readiness from its checks (a failing or hanging one makes it 503) and Prometheus metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const up = await fetch(`${base}/readyz`);
    expect([up.status, await up.json()]).toEqual([200, { ready: true, checks: [{ name: 'always', ok: true }, { name: 'switch', ok: true }] }]);
    for (const state of ['down', 'hanging'] as const) {
      ready = state;
      const down = await fetch(`${base}/readyz`);
      expect([down.status, ((await down.json()) as { checks: { ok: boolean; error?: string }[] }).checks.map((c) => c.error)]).toEqual([503, [undefined, state === 'down' ? 'switched off' : 'switch did not answer within 100 ms']]);
    }
    ready = 'up';
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/osm2linkerd_webhook_deliveries_total\{event="push",outcome="unsigned"\} [1-9]/);
    expect(metrics).toMatch(/osm2linkerd_webhook_deliveries_total\{event="push",outcome="too-large"\} [2-9]/);
    expect(metrics).toMatch(/osm2linkerd_webhook_deliveries_total\{event="push",outcome="malformed"\} [2-9]/);
    expect(metrics).toMatch(/osm2linkerd_webhook_deliveries_total\{event="installation",outcome="accepted"\} [1-9]/);
    expect(metrics).toMatch(/osm2linkerd_github_requests_total\{method="POST",status="201"\} [1-9]/);
    expect(metrics).toMatch(/osm2linkerd_job_duration_seconds_count\{outcome="opened"\} [1-9]/);
    expect(metrics).toMatch(/osm2linkerd_queue_depth\{state="waiting"\} 0\n/);
    expect(metrics).toMatch(/osm2linkerd_queue_depth\{state="active"\} 0\n/);
  });

  it('takes its limit from WEBHOOK_MAX_BYTES, else 5 MiB (GitHub itself allows 25 MB)', () => {
    expect([maxBodyBytesFrom({ WEBHOOK_MAX_BYTES: '2048' }), maxBodyBytesFrom({}), maxBodyBytesFrom({ WEBHOOK_MAX_BYTES: 'lots' })]).toEqual([2048, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES]);
    expect(DEFAULT_MAX_BODY_BYTES).toBe(5 * 1024 * 1024);
  });
});
