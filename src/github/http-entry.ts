import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, Probot } from 'probot';
import { metricsText, recordDelivery } from './metrics.ts';
import { payloadProblem } from './webhook-payload.ts';

/**
 * Webhook bodies above this are refused before they are read. GitHub caps payloads at 25 MB; the events this app
 * handles are far smaller (an `installation` event listing thousands of repositories stays under 2 MB), so 5 MiB
 * leaves room without letting anyone who can reach the URL make the process hold 25 MB per request.
 */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** A readiness check: resolves when the dependency answers, throws (or times out) when it does not. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface HttpEntryOptions {
  readonly probot: Probot;
  readonly secret: string;
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly webhookPath?: string;
  readonly maxBodyBytes?: number;
  /** `/readyz` answers 200 only when every check passes (the queue adds Redis). */
  readonly readiness?: readonly ReadinessCheck[];
  /** How long one readiness check may take before it counts as failed. */
  readonly readinessTimeoutMs?: number;
  /** False on a worker-only replica: the webhook path answers 404. */
  readonly webhooks?: boolean;
}

/** `WEBHOOK_MAX_BYTES` when set to a positive integer, else the default. */
export function maxBodyBytesFrom(env: NodeJS.ProcessEnv): number {
  const value = Number(env.WEBHOOK_MAX_BYTES);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_BODY_BYTES;
}

/**
 * The app's HTTP entry, in front of Probot's event handlers: `/ping`, `/healthz` (liveness), `/readyz` (readiness),
 * `/metrics` (Prometheus) and the webhook. A delivery is refused on its headers alone when it is unsigned or declares
 * a body over the limit; otherwise the body is streamed through the HMAC and counted, the connection is cut as soon
 * as it passes the limit, the signature is compared before anything is parsed, and a signed payload that is not
 * what its event promises is a 400 with a log line naming the delivery, never a 500 from a handler's TypeError.
 */
export function createHttpEntry(options: HttpEntryOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const webhookPath = options.webhookPath ?? '/api/github/webhooks';
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeout = options.readinessTimeoutMs ?? 2_000;
  const { log } = options;

  const webhook = (req: IncomingMessage, res: ServerResponse): void => {
    const event = header(req, 'x-github-event');
    const id = header(req, 'x-github-delivery');
    const signature = header(req, 'x-hub-signature-256');
    const refuse = (status: number, outcome: Parameters<typeof recordDelivery>[1], message: string, level: 'info' | 'warn' = 'warn') => {
      recordDelivery(event, outcome);
      log[level]({ deliveryId: id || undefined, event: event || undefined, status }, `webhook refused: ${message}`);
      send(res, status, message, true);
    };
    if (!event || !id) return refuse(400, 'malformed', 'missing X-GitHub-Event or X-GitHub-Delivery header');
    if (!signature?.startsWith('sha256=')) return refuse(401, 'unsigned', 'missing X-Hub-Signature-256 signature');
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) return refuse(413, 'too-large', `body of ${declared} bytes is over the ${maxBytes}-byte limit`);

    const hmac = createHmac('sha256', options.secret);
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      received += chunk.length;
      if (received > maxBytes) {
        done = true;
        refuse(413, 'too-large', `body passed the ${maxBytes}-byte limit`);
        return;
      }
      hmac.update(chunk);
      chunks.push(chunk);
    });
    req.on('error', () => {
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const expected = Buffer.from(`sha256=${hmac.digest('hex')}`);
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return refuse(401, 'bad-signature', 'signature does not match the body');
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        return refuse(400, 'malformed', `signed body is not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      const problem = payloadProblem(event, payload);
      if (problem) return refuse(400, 'malformed', `signed ${event} payload is not one GitHub sends: ${problem}`);
      options.probot.receive({ id, name: event, payload } as Parameters<Probot['receive']>[0]).then(() => {
        recordDelivery(event, 'accepted');
        send(res, 200, 'ok');
      }, (error: unknown) => {
        recordDelivery(event, 'failed');
        log.error({ err: error, deliveryId: id, event }, 'webhook handler failed');
        send(res, 500, 'handler failed');
      });
    });
  };

  const ready = async (res: ServerResponse): Promise<void> => {
    const results = await Promise.all((options.readiness ?? []).map(async (c) => {
      try {
        await withTimeout(c.check(), timeout, `${c.name} did not answer within ${timeout} ms`);
        return { name: c.name, ok: true };
      } catch (error) {
        return { name: c.name, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }));
    const ok = results.every((r) => r.ok);
    if (!ok) log.warn({ checks: results }, 'not ready');
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: ok, checks: results }));
  };

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === webhookPath && options.webhooks !== false) return webhook(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 404, 'not found', true);
    switch (path) {
      case '/ping': return send(res, 200, 'PONG');
      case '/healthz': return send(res, 200, 'ok');
      case '/readyz': return void ready(res);
      case '/metrics': return void metricsText().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType }).end(body);
      });
      default: return send(res, 404, 'not found', true);
    }
  };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** A refusal closes the connection, so a client streaming a large body cannot keep the socket busy. */
function send(res: ServerResponse, status: number, text: string, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(close ? { connection: 'close' } : {}) });
  res.end(text);
  if (close) res.once('finish', () => res.req.destroy());
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    })]);
  } finally {
    clearTimeout(timer);
  }
}
