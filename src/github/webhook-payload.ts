import { z } from 'zod';

/**
 * The fields the app's handlers read, per event: a signed payload without them is refused with a 400 that says
 * which field is wrong, instead of failing in a handler. Everything else in GitHub's payloads passes through.
 */
const repository = z.looseObject({ name: z.string(), full_name: z.string(), default_branch: z.string().optional(), owner: z.looseObject({ login: z.string() }) });
const installation = z.looseObject({ id: z.number() });
const listed = z.array(z.looseObject({ full_name: z.string() }));
const withAction = z.looseObject({ action: z.string() });

const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  installation: z.looseObject({ action: z.string(), installation, repositories: listed.optional() }),
  installation_repositories: z.looseObject({ action: z.string(), installation, repositories_added: listed }),
  push: z.looseObject({
    ref: z.string(),
    repository: repository.extend({ default_branch: z.string() }),
    installation: installation.optional(),
    commits: z.array(z.looseObject({ added: z.array(z.string()).optional(), modified: z.array(z.string()).optional(), removed: z.array(z.string()).optional() })),
  }),
  pull_request: z.looseObject({ action: z.string(), pull_request: z.looseObject({ body: z.string().nullable().optional() }), repository }),
  check_run: z.looseObject({ action: z.string(), check_run: z.looseObject({ name: z.string() }), repository }),
  issue_comment: z.looseObject({
    action: z.string(),
    issue: z.looseObject({ number: z.number(), body: z.string().nullable().optional() }),
    comment: z.looseObject({ id: z.number(), body: z.string() }),
    repository,
  }),
};

/** What is wrong with a payload for its event, or undefined when the handlers can read it. */
export function payloadProblem(event: string, payload: unknown): string | undefined {
  const schema = SCHEMAS[event] ?? withAction.partial();
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'the body is not a JSON object';
  const result = schema.safeParse(payload);
  if (result.success) return undefined;
  return result.error.issues.slice(0, 3).map((i) => `\`${i.path.join('.') || '(body)'}\`: ${i.message}`).join('; ');
}
