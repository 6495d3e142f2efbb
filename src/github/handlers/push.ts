import { isManifestCandidate } from '../../core/index.ts';
import { CONFIG_FILE, CONFIG_FILE_NAME } from '../config.ts';
import { scan, split, target, type RegisterHandler } from './jobs.ts';

/**
 * A push to the default branch that touches a manifest or the config is scanned; a push to an owner's `.github`
 * repository that changes its config scans every repository of the installation.
 */
export const onPush: RegisterHandler = (app, { enqueue, logFor }) => {
  app.on('push', async (context) => {
    const { payload } = context;
    if (payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
    if (payload.repository.name === '.github' && touches(payload.commits, (p) => p.endsWith(CONFIG_FILE_NAME))) {
      // An org-wide config changed: every repository of the installation is evaluated again, config read afresh.
      const repositories = await context.octokit.paginate(context.octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
      await enqueue(context, repositories.map((r) => ({ ...scan(target({ owner: r.owner.login, repo: r.name }, payload.installation?.id, r.default_branch)), freshConfig: true })));
      return;
    }
    if (!touches(payload.commits, (p) => isManifestCandidate(p) || p === CONFIG_FILE)) {
      logFor({ deliveryId: context.id, event: context.name, repository: payload.repository.full_name }).info(`${payload.repository.full_name}: push changes no manifest; skipped`);
      return;
    }
    await enqueue(context, [scan(target(split(payload.repository.full_name), payload.installation?.id, payload.repository.default_branch, payload.after))]);
  });
};

interface PushCommit { readonly added?: readonly string[]; readonly modified?: readonly string[]; readonly removed?: readonly string[] }

/** Whether the push changed a path that matters. A push whose file lists are missing is treated as relevant. */
function touches(commits: readonly PushCommit[], matters: (path: string) => boolean): boolean {
  if (commits.length === 0) return true;
  return commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].some(matters));
}
