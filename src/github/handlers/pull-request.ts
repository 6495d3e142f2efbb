import { hasStateBlock } from '../state.ts';
import { scan, split, target, type RegisterHandler } from './jobs.ts';

/** A phase's branch, `<prefix>migrate-<NN>-<slug>` (config.ts). */
const PHASE_BRANCH = /(^|\/)migrate-\d{2}-[a-z0-9-]+$/;

/** The app's pull request reopened (bring it up to date), or a phase of a series merged (move to the next). */
export const onPullRequest: RegisterHandler = (app, { enqueue }) => {
  app.on('pull_request.reopened', async (context) => {
    // Someone reopened our closed pull request: that is a request to bring it up to date.
    const { pull_request: pr, repository: r } = context.payload;
    // Ours only: opened by an app from a branch of this repository, carrying the state block (the run itself checks
    // that the PR it finds is the app's own).
    if (!hasStateBlock(pr.body ?? '') || pr.user?.type !== 'Bot' || pr.head.repo?.full_name !== r.full_name) return;
    await enqueue(context, [scan(target(split(r.full_name), context.payload.installation?.id, r.default_branch), { force: true })]);
  });
  app.on('pull_request.closed', async (context) => {
    // A phase of a series merged: the next phase moves onto the default branch and the checklist is updated (the
    // push of the merge would do it too, but a merge that changes no manifest path sends a push that is skipped).
    const { pull_request: pr, repository: r } = context.payload;
    if (!pr.merged || !PHASE_BRANCH.test(pr.head.ref) || !hasStateBlock(pr.body ?? '') || pr.user?.type !== 'Bot' || pr.head.repo?.full_name !== r.full_name) return;
    await enqueue(context, [scan(target(split(r.full_name), context.payload.installation?.id, r.default_branch))]);
  });
};
