import { CHECK_RUN_NAME } from '../repository-port.ts';
import { scan, target, type RegisterHandler } from './jobs.ts';

/** Someone asked to re-run the app's check: the repository is scanned again and the check posted afresh. */
export const onCheckRun: RegisterHandler = (app, { enqueue }) => {
  app.on('check_run.rerequested', async (context) => {
    if (context.payload.check_run.name !== CHECK_RUN_NAME) return;
    const r = context.payload.repository;
    await enqueue(context, [scan(target({ owner: r.owner.login, repo: r.name }, context.payload.installation?.id, r.default_branch), { recheck: true, force: true })]);
  });
};
