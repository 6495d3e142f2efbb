// The load test's in-memory GitHub in a process of its own (forked by bench/loadtest.ts, IPC to it), so the CPU spent
// answering the replicas' GitHub requests never delays the timer that measures their acknowledgements. It also plans
// the deliveries (they point at its repositories) and counts, at the end, what the replicas did to them.
import { MemoryGitHub, type HookDeliveryRecord, type MemoryRepository } from '../src/github/memory/memory-github.ts';
import { serveMemoryGitHub } from '../src/github/memory/http.ts';
import { installationRepositoriesAdded, pushToDefault, type WebhookEvent } from '../test/support/github.ts';
import { EXAMPLES, readTree } from '../test/support/shared.ts';

export interface PlannedDelivery { readonly id: string; readonly repository: string; readonly event: WebhookEvent }
export interface Duplicates { prs: number; reviews: number; comments: number; checkRuns: number }

export type ToGitHub =
  | { readonly type: 'setup'; readonly repositories: number; readonly deliveries: number }
  | { readonly type: 'delivered'; readonly attempt: Omit<HookDeliveryRecord, 'id' | 'deliveredAt' | 'redelivery'> }
  | { readonly type: 'report' };

export type FromGitHub =
  | { readonly type: 'ready'; readonly host: string; readonly planned: readonly PlannedDelivery[] }
  | { readonly type: 'redeliver'; readonly guid: string }
  | {
    readonly type: 'report';
    /** Per repository, when each run started (its tree listing), ms since the epoch. */
    readonly runStarts: Readonly<Record<string, readonly number[]>>;
    readonly pullRequests: number;
    readonly duplicates: Duplicates;
    /** `POST /app/hook/deliveries/{id}/attempts` answered, and the distinct delivery ids they were for. */
    readonly redeliveryRequests: number;
    readonly redeliveredIds: number;
  };

const github = new MemoryGitHub();
const repos: MemoryRepository[] = [];
const runStarts = new Map<string, number[]>();
let redeliveryRequests = 0;
const redeliveredIds = new Set<string>();
const send = (message: FromGitHub) => process.send?.(message);

/** Twenty organisations, each its own installation; every tenth delivery repeats an earlier id, one in ten is an installation_repositories.added. */
function plan(repositories: number, deliveries: number): PlannedDelivery[] {
  const files = Object.fromEntries(readTree(`${EXAMPLES}bookstore`));
  for (let i = 0; i < repositories; i++) repos.push(github.addRepository(`org-${i % 20}`, `mesh-${i}`, files));
  const planned = (i: number): PlannedDelivery => {
    const repo = repos[i % repositories] as MemoryRepository;
    // A repeat of an earlier delivery (same id), as GitHub's own retries and redeliveries are.
    if (i % 10 === 9 && i > repositories) return planned(i - repositories);
    const event = i % 10 === 4 ? installationRepositoriesAdded(repo) : pushToDefault(repo, ['bookstore/traffic-access.yaml']);
    event.payload.installation = { ...(event.payload.installation as object), id: 1 + Number(repo.owner.slice(4)) };
    return { id: `load-${i}`, repository: repo.fullName, event };
  };
  return Array.from({ length: deliveries }, (_, i) => planned(i));
}

function duplicates(): Duplicates {
  const found = { prs: 0, reviews: 0, comments: 0, checkRuns: 0 };
  for (const repo of repos) {
    found.prs += Math.max(0, repo.pulls.length - 1);
    found.reviews += Math.max(0, repo.reviews.length - repo.pulls.length);
    const fps = repo.reviewComments.map((c) => /fp=(\S+)/.exec(c.body)?.[1] ?? String(c.id));
    const markers = repo.issueComments.map((c) => `${c.issue}:${/<!-- osm2linkerd:[a-z-]+ -->/.exec(c.body)?.[0] ?? c.id}`);
    found.comments += fps.length - new Set(fps).size + markers.length - new Set(markers).size;
    found.checkRuns += repo.checkRuns.length - new Set(repo.checkRuns.map((c) => c.headSha)).size;
  }
  return found;
}

github.onRedeliver = (delivery) => {
  redeliveryRequests++;
  redeliveredIds.add(delivery.guid);
  send({ type: 'redeliver', guid: delivery.guid });
};

const served = await serveMemoryGitHub(github, {
  onRequest: (method, path) => {
    // Every run lists the default branch's tree (its first REST read; the snapshot before it is one GraphQL query).
    const run = method === 'GET' ? /^\/repos\/([^/]+\/[^/]+)\/git\/trees\/[0-9a-f]+/.exec(path) : null;
    if (run?.[1]) runStarts.set(run[1], [...(runStarts.get(run[1]) ?? []), Date.now()]);
  },
});

process.on('message', (message: ToGitHub) => {
  if (message.type === 'setup') send({ type: 'ready', host: served.host, planned: plan(message.repositories, message.deliveries) });
  else if (message.type === 'delivered') github.recordDelivery(message.attempt);
  else {
    send({
      type: 'report', runStarts: Object.fromEntries(runStarts), pullRequests: repos.reduce((n, r) => n + r.pulls.length, 0), duplicates: duplicates(),
      redeliveryRequests, redeliveredIds: redeliveredIds.size,
    });
  }
});
process.on('disconnect', () => void served.close().then(() => process.exit(0)));
