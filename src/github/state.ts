import { z } from 'zod';
import { LINKERD_VERSIONS } from '../core/index.ts';

/** Choices made by slash commands. They live in the PR body, so they survive re-scans and restarts without a database. */
export const choicesSchema = z.object({
  strategy: z.enum(['forklift']).optional(),
  splitStyle: z.enum(['httproute', 'trafficsplit']).optional(),
  linkerdVersion: z.enum(LINKERD_VERSIONS).optional(),
  meshMode: z.enum(['smi', 'permissive']).optional(),
  ignore: z.array(z.string()).optional(),
});
export type Choices = z.infer<typeof choicesSchema>;

export const stateSchema = z.object({
  choices: choicesSchema.default({}),
  /** Hash of what the translation produced: unchanged output leaves a closed PR closed and an open one untouched. */
  output: z.string().default(''),
  /**
   * The default-branch commit that translation was made from: the reconcile leaves a repository whose head it is
   * alone. Absent in blocks written before it was recorded.
   */
  base: z.string().optional(),
});
export type PullRequestState = z.infer<typeof stateSchema>;

/**
 * The block as the app writes it: alone on the last line of the body. Only that place counts: the rest of the body
 * quotes repository text (escaped, but a person editing the body can paste anything), and a block found anywhere
 * else must not steer the bot.
 */
const BLOCK = /(^|\r?\n)<!-- osm2linkerd:state ([A-Za-z0-9_-]*) -->\s*$/;

/** Whether the body carries the app's state block where the app writes it. */
export function hasStateBlock(body: string): boolean {
  return BLOCK.test(body);
}

export function readState(body: string): PullRequestState {
  const encoded = BLOCK.exec(body)?.[2];
  if (!encoded) return stateSchema.parse({});
  try {
    const parsed = stateSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : stateSchema.parse({});
  } catch {
    return stateSchema.parse({});
  }
}

export function writeState(body: string, state: PullRequestState): string {
  const block = `<!-- osm2linkerd:state ${Buffer.from(JSON.stringify(state)).toString('base64url')} -->`;
  return BLOCK.test(body) ? body.replace(BLOCK, (_, start: string) => `${start}${block}`) : `${body}\n\n${block}`;
}
