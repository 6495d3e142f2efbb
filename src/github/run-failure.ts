import { DEFAULT_BOT_BRANCH } from './config.ts';
import type { RunContext } from './run-migration.ts';
import { upsertStickyComment } from './sticky-comment.ts';

export const FAILED_MARKER = '<!-- osm2linkerd:failed -->';

/**
 * A run that failed its last attempt says so where people look: one sticky note on the app's open pull request
 * (edited in place by later failures). Without an open PR, the log line and the metric are all there is.
 */
export async function reportFinalFailure(ctx: RunContext, kind: 'scan' | 'command', error: unknown): Promise<void> {
  const pr = await ctx.port.findPullRequest(DEFAULT_BOT_BRANCH);
  if (pr?.state !== 'open') return;
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 300) ?? '';
  await upsertStickyComment(ctx.port, pr.number, ctx.botLogin, FAILED_MARKER, [
    `### ⚠️ osm2linkerd could not finish a ${kind === 'scan' ? 'scan' : 'command'} of this repository`,
    '',
    `Every attempt failed; the last with: \`${reason.replace(/`/g, "'")}\`.`,
    '',
    'The next push to the default branch, `/osm2linkerd rescan`, or the daily reconcile tries again.',
  ].join('\n'));
}
