import { z } from 'zod';
import { LINKERD_VERSIONS } from '../core/index.ts';

/** Choices made by slash commands. They live in the PR body (a phased series': its tracking issue's body), so they survive re-scans and restarts without a database. */
export const choicesSchema = z.object({
  strategy: z.enum(['forklift', 'phased']).optional(),
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
  return decode(BLOCK, body, stateSchema) ?? stateSchema.parse({});
}

export function writeState(body: string, state: PullRequestState): string {
  return encode(BLOCK, 'state', body, state);
}

/** What a phase of a series is, as the tracking issue's checklist shows it. */
export const PHASE_STATUSES = ['not-opened', 'open', 'merged', 'blocked', 'stopped', 'waiting', 'closed'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];

/** A phased series (run-series.ts): kept in its tracking issue's body, written only by the app, read only there. */
export const seriesStateSchema = z.object({
  choices: choicesSchema.default({}),
  /** The default-branch commit the phases are planned from: it moves only while no phase has merged. */
  base: z.string().regex(/^[0-9a-f]{7,64}$/),
  phases: z.array(z.object({
    id: z.string(),
    status: z.enum(PHASE_STATUSES),
    pullRequest: z.number().int().positive().optional(),
    /** The commit the phase's branch was last built on, and the branch's head then: both unchanged, nothing to do. */
    builtOn: z.string().optional(),
    head: z.string().optional(),
  })).default([]),
});
export type SeriesState = z.infer<typeof seriesStateSchema>;

/** The series block, alone on the last line of the tracking issue's body (the same rule as the PR's block). */
const SERIES_BLOCK = /(^|\r?\n)<!-- osm2linkerd:series ([A-Za-z0-9_-]*) -->\s*$/;

/** The series' state, or null when the body does not carry a valid block where the app writes it. */
export function readSeriesState(body: string): SeriesState | null {
  return decode(SERIES_BLOCK, body, seriesStateSchema);
}

/** The body without its series block (and the blank lines before it), for a note to follow the text. */
export function withoutSeriesState(body: string): string {
  return body.replace(/\n*<!-- osm2linkerd:series [A-Za-z0-9_-]* -->\s*$/, '');
}

export function writeSeriesState(body: string, state: SeriesState): string {
  return encode(SERIES_BLOCK, 'series', body, state);
}

function decode<T>(block: RegExp, body: string, schema: z.ZodType<T>): T | null {
  const encoded = block.exec(body)?.[2];
  if (!encoded) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function encode(block: RegExp, name: string, body: string, state: unknown): string {
  const line = `<!-- osm2linkerd:${name} ${Buffer.from(JSON.stringify(state)).toString('base64url')} -->`;
  return block.test(body) ? body.replace(block, (_, start: string) => `${start}${line}`) : `${body}\n\n${line}`;
}
