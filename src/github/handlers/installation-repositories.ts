import { scan, split, target, type RegisterHandler } from './jobs.ts';

/** Repositories were added to an installation: each is scanned. */
export const onInstallationRepositories: RegisterHandler = (app, { enqueue }) => {
  app.on('installation_repositories.added', (context) => enqueue(context,
    context.payload.repositories_added.map((r) => scan(target(split(r.full_name), context.payload.installation.id)))));
};
