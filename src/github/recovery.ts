import type { ProbotOctokit } from 'probot';
import { DEFAULT_BOT_BRANCH } from './config.ts';
import { DELIVERY_WINDOW_SECONDS, type JobQueue } from './job-queue.ts';
import { OctokitRepository } from './octokit-repository.ts';
import { botLoginOf } from './octokit.ts';
import type { Log } from './run-migration.ts';
import { readState } from './state.ts';

type Octokit = InstanceType<typeof ProbotOctokit>;

/** What recovery needs of the loaded Probot app: its JWT client (no id) or an installation's client. */
export interface AppClient {
  auth(installation?: number): Promise<Octokit>;
  readonly log: Log;
}

/**
 * Finds what no webhook told us: every repository of every installation whose default-branch head the app has not
 * translated is queued (the delivery id is the head, so replicas reconciling at once queue it once). What was
 * translated is the hidden state of the app's pull request (`base`, the commit its translation was made from);
 * the queue's record of heads whose run succeeded is consulted first, as a cache and for what the state cannot say:
 * a repository without a PR (no OSM, nothing to change, a config error) and a run whose translation was unchanged
 * (its PR body, state included, is left as it was). Costs per repository one branch read, plus one pull-request
 * listing when the record does not already name the head; per reconcile one `GET /app` for the app's login.
 */
export async function reconcile(client: AppClient, queue: JobQueue): Promise<number> {
  const app = await client.auth();
  const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
  const botLogin = await botLoginOf(app);
  // The app's branch unless a repository's config renames it: such a repository is found without a PR and queued.
  const branch = DEFAULT_BOT_BRANCH;
  let queued = 0;
  for (const installation of installations) {
    const octokit = await client.auth(installation.id);
    const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const r of repositories) {
      const owner = r.owner.login;
      const repository = `${owner}/${r.name}`;
      try {
        const { data: head } = await octokit.rest.repos.getBranch({ owner, repo: r.name, branch: r.default_branch });
        const sha = head.commit.sha;
        if ((await queue.translated.get(repository)) === sha) continue;
        const pr = await new OctokitRepository(octokit, owner, r.name).findPullRequest(branch);
        // The app's own PR only: a person's PR from a branch of that name, or from a fork, says nothing.
        if (pr && pr.authorLogin === botLogin && pr.headRef === branch && pr.headRepository === repository && readState(pr.body).base === sha) {
          await queue.translated.set(repository, sha);
          continue;
        }
        queued += await queue.enqueue(`reconcile@${sha}`, [{
          kind: 'scan', target: { installation: installation.id, owner, repo: r.name, defaultBranch: r.default_branch, head: sha }, request: {},
        }]);
      } catch (error) {
        client.log.warn(`reconcile: ${repository}: ${error instanceof Error ? error.message : String(error)}`);
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
  const since = now - DELIVERY_WINDOW_SECONDS * 1000;
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
