import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MemoryGitHub } from './memory-github.ts';

export interface ServedGitHub {
  /** `host:port`, for Probot's `GHE_HOST` (with `GHE_PROTOCOL=http`). */
  readonly host: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Added to every answer: runs last long enough to be interrupted, as against the real GitHub. */
  readonly latencyMs?: number;
  /** Called before each request is answered (a test kills a replica at a given step). */
  readonly onRequest?: (method: string, path: string) => void;
}

/**
 * The in-memory GitHub on a loopback port, so app processes (`npm start` with `GHE_HOST`) share one GitHub. An
 * injected timeout drops the connection, as a real one would.
 */
export async function serveMemoryGitHub(github: MemoryGitHub, options: ServeOptions = {}): Promise<ServedGitHub> {
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    // GitHub Enterprise's addresses (Probot's GHE_HOST): REST under /api/v3, GraphQL at /api/graphql.
    const url = (req.url ?? '/').replace(/^\/api\/v3/, '').replace(/^\/api\/graphql/, '/graphql');
    options.onRequest?.(method, url.split('?')[0] ?? '/');
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    try {
      const response = await github.fetch(`http://127.0.0.1${url}`, { method, ...(body ? { body } : {}) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      req.socket.destroy();
    }
  };
  const server = createServer((req, res) => void answer(req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
