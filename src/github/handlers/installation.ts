import { scan, split, target, type RegisterHandler } from './jobs.ts';

/** The app was installed: every repository it was given is scanned. */
export const onInstallation: RegisterHandler = (app, { enqueue }) => {
  app.on('installation.created', (context) => enqueue(context,
    (context.payload.repositories ?? []).map((r) => scan(target(split(r.full_name), context.payload.installation.id)))));
};
