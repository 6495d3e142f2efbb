import type { ProbotOctokit } from 'probot';
import type { JobQueue } from './job-queue.ts';
import type { Log } from './run-migration.ts';

type Octokit = InstanceType<typeof ProbotOctokit>;

/** What recovery needs of the loaded Probot app: its JWT client (no id) or an installation's client. */
export interface AppClient {
  auth(installation?: number): Promise<Octokit>;
  readonly log: Log;
}

const THREE_DAYS_MS = 3 * 24 * 3600 * 1000;

/**
 * Finds what no webhook told us: every repository of every installation whose default-branch head is not the one
 * the app last translated is queued (the delivery id is the head, so replicas reconciling at once queue it once).
 * Costs one branch read per repository; a repository never translated since the queue's store was created is
 * scanned once.
 */
export async function reconcile(client: AppClient, queue: JobQueue): Promise<number> {
  const app = await client.auth();
  const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
  let queued = 0;
  for (const installation of installations) {
    const octokit = await client.auth(installation.id);
    const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const r of repositories) {
      const owner = r.owner.login;
      try {
        const { data: branch } = await octokit.rest.repos.getBranch({ owner, repo: r.name, branch: r.default_branch });
        const head = branch.commit.sha;
        if ((await queue.translated.get(`${owner}/${r.name}`)) === head) continue;
        queued += await queue.enqueue(`reconcile@${head}`, [{
          kind: 'scan', target: { installation: installation.id, owner, repo: r.name, defaultBranch: r.default_branch, head }, request: {},
        }]);
      } catch (error) {
        client.log.warn(`reconcile: ${owner}/${r.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  client.log.info(`reconcile: ${queued} repositories queued across ${installations.length} installations`);
  return queued;
}

/**
 * Deliveries GitHub could not hand us (the app was down, or answered with an error) in the last 3 days are asked
 * for again, the newest failed attempt of each delivery that never succeeded (GitHub's own recipe). The redelivery
 * carries the same delivery id: one whose job was stored is absorbed, one whose job failed for good runs again.
 */
export async function redeliverFailed(client: AppClient, now = Date.now()): Promise<number> {
  const app = await client.auth();
  const since = now - THREE_DAYS_MS;
  const deliveries = new Map<string, { ok: boolean; failed?: number }>();
  for await (const { data } of app.paginate.iterator(app.rest.apps.listWebhookDeliveries, { per_page: 100 })) {
    let older = false;
    for (const d of data) {
      if (Date.parse(d.delivered_at) < since) {
        older = true;
        continue;
      }
      const entry = deliveries.get(d.guid) ?? { ok: false };
      // Newest first: the first failure listed is the latest attempt.
      if (d.status === 'OK') entry.ok = true;
      else entry.failed ??= d.id;
      deliveries.set(d.guid, entry);
    }
    if (older) break;
  }
  let asked = 0;
  for (const [guid, entry] of deliveries) {
    if (entry.ok || entry.failed === undefined) continue;
    try {
      await app.rest.apps.redeliverWebhookDelivery({ delivery_id: entry.failed });
      asked++;
    } catch (error) {
      client.log.warn(`redeliver ${guid}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (asked > 0) client.log.info(`asked GitHub to redeliver ${asked} failed deliveries`);
  return asked;
}
