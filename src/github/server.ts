import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProbot, type ApplicationFunction, type Probot, type ProbotOctokit } from 'probot';
import { createHttpEntry, maxBodyBytesFrom, type ReadinessCheck } from './http-entry.ts';
import { appOctokit } from './octokit.ts';

export interface RunningServer {
  readonly probot: Probot;
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The app on its own HTTP entry (`http-entry.ts`), configured from the environment as Probot reads it (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, LOG_LEVEL, LOG_FORMAT), plus
 * WEBHOOK_MAX_BYTES. Logs are JSON unless LOG_FORMAT=pretty or, outside production, LOG_FORMAT is unset.
 */
export interface ServerOptions {
  readonly Octokit?: typeof ProbotOctokit;
  /** `/readyz` checks (the queue's Redis). */
  readonly readiness?: readonly ReadinessCheck[];
  /** False on a worker-only replica: health, readiness and metrics only, no webhook path. */
  readonly webhooks?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export async function startServer(appFn: ApplicationFunction, options: ServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const logFormat = env.LOG_FORMAT ? (env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json') : env.NODE_ENV === 'production' ? 'json' : 'pretty';
  const probot = createProbot({ env: { ...env, LOG_FORMAT: logFormat }, overrides: { Octokit: options.Octokit ?? appOctokit() } });
  await probot.load(appFn);
  const secret = env.WEBHOOK_SECRET;
  if (!secret) throw new Error('WEBHOOK_SECRET is required: deliveries are only accepted when signed with it');
  const entry = createHttpEntry({
    probot, secret, log: probot.log, webhookPath: env.WEBHOOK_PATH || undefined, maxBodyBytes: maxBodyBytesFrom(env),
    readiness: options.readiness ?? [], webhooks: options.webhooks ?? true,
  });
  const server = createServer(entry);
  // A client may not hold a connection open by sending headers slowly.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const port = Number(env.PORT) || 3000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, env.HOST || 'localhost', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  probot.log.info(`osm2linkerd listening on ${url}`);
  return { probot, server, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
