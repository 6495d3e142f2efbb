import { catalogue, escapeMarkdown, inlineCode, isFindingId } from '../core/index.ts';
import { helpText, parseCommand, PREFIX, type Command } from './command-grammar.ts';
import { BOT_BRANCH } from './config.ts';
import { isAppsPullRequest, runMigration, type RunContext, type RunOutcome } from './run-migration.ts';
import { hasStateBlock, readState, writeState, type Choices } from './state.ts';
import { RESULT_MARKER, upsertStickyComment } from './sticky-comment.ts';

export interface CommandComment {
  readonly commentId: number;
  readonly body: string;
  readonly author: string;
  readonly issueNumber: number;
  /** From the webhook payload: who opened the pull request, and its body (looked at before any request). */
  readonly pullRequestAuthor: string | null;
  readonly pullRequestBody: string;
}

const WRITERS = new Set(['admin', 'maintain', 'write']);

/**
 * A slash command on the bot's pull request: parsed, authorised with the collaborator-permission endpoint (never
 * author_association), acknowledged with 👀, carried out, and answered in one sticky result comment.
 *
 * Anyone can comment, so what a comment costs before its author is known to have write permission is bounded: the
 * payload says whether the PR looks like the app's (no request), then one read asks for the permission, and a
 * person without write permission gets a 👎 reaction and nothing else (the shared result comment is not rewritten;
 * the PR body lists the commands, docs/findings.md explains every finding).
 */
export async function handleCommand(ctx: RunContext, comment: CommandComment): Promise<'ignored' | 'refused' | 'answered'> {
  const parsed = parseCommand(comment.body);
  if (parsed.kind === 'none') return 'ignored';
  const { port } = ctx;
  if (comment.pullRequestAuthor !== ctx.botLogin || !hasStateBlock(comment.pullRequestBody)) return 'ignored';
  if (!WRITERS.has(await port.permissionOf(comment.author))) {
    await port.addReaction(comment.commentId, '-1');
    ctx.log.info(`${port.owner}/${port.repo}#${comment.issueNumber}: command by ${comment.author} refused: no write permission`);
    return 'refused';
  }
  const pr = await port.getPullRequest(comment.issueNumber);
  // Ours: opened by the app from its `<prefix>migrate` branch, or a phase's, in this repository (a body alone could be copied).
  if (!hasStateBlock(pr.body) || !isAppsPullRequest(pr, ctx, pr.headRef) || !BOT_BRANCH.test(pr.headRef)) return 'ignored';
  const reply = (text: string) => upsertStickyComment(port, pr.number, ctx.botLogin, RESULT_MARKER, `@${comment.author} ${text}`);
  if (parsed.kind === 'error') {
    await reply(parsed.message);
    return 'answered';
  }
  await port.addReaction(comment.commentId, 'eyes');
  try {
    await reply(await execute(ctx, parsed.command, pr.body, pr.number));
  } catch (error) {
    await reply(`\`${PREFIX} ${parsed.command.name}\` failed: ${error instanceof Error ? error.message : String(error)}. Nothing was left half-done; run it again.`);
    throw error;
  }
  return 'answered';
}

async function execute(ctx: RunContext, command: Command, body: string, pr: number): Promise<string> {
  switch (command.name) {
    case 'help':
      return `here is what you can ask:\n\n${helpText(true)}`;
    case 'explain':
      return explain(command.findingId);
    case 'rescan':
      return describe('rescan', await runMigration(ctx, { force: true, pullRequest: pr }));
    case 'recreate': {
      // What was discarded comes from the run's own look at the branch, just before it reset it.
      const outcome = await runMigration(ctx, { force: true, recreate: true, pullRequest: pr });
      const discarded = outcome.discarded ?? [];
      const lost = discarded.length === 0 ? 'No commits by people were on the branch.' : `Discarded commits (still reachable by sha): ${discarded.map(inlineCode).join(', ')}.`;
      return `${describe('recreate', outcome)}\n\n${lost}`;
    }
    default: {
      const choices = withChoice(readState(body).choices, command);
      await ctx.port.updatePullRequest(pr, { body: writeState(body, { ...readState(body), choices }) });
      return describe(`${command.name} ${'value' in command ? command.value : command.glob}`, await runMigration(ctx, { force: true, choices, pullRequest: pr }));
    }
  }
}

function withChoice(choices: Choices, command: Command): Choices {
  switch (command.name) {
    case 'strategy': return { ...choices, strategy: command.value };
    case 'split': return { ...choices, splitStyle: command.value };
    case 'target': return { ...choices, linkerdVersion: command.value };
    case 'mode': return { ...choices, meshMode: command.value };
    case 'ignore': return { ...choices, ignore: [...new Set([...(choices.ignore ?? []), command.glob])] };
    default: return choices;
  }
}

function explain(id: string): string {
  if (!isFindingId(id)) {
    const close = Object.keys(catalogue).filter((k) => k.includes(id) || id.includes(k.split('/')[1] ?? k)).slice(0, 5);
    return `${inlineCode(id)} is not a finding id.${close.length > 0 ? ` Did you mean ${close.map((k) => `\`${k}\``).join(', ')}?` : ''} Every id is listed in docs/findings.md.`;
  }
  const entry = catalogue[id];
  return `**\`${id}\`** (${entry.severity}): ${entry.title}.\n\n${entry.remediation}`;
}

function describe(what: string, outcome: RunOutcome): string {
  const verdict = outcome.status === 'blocked' ? 'blocked' : outcome.status === 'config-error' ? 'failed' : outcome.status === 'refused' ? 'refused' : 'done';
  return `${inlineCode(`${PREFIX} ${what}`)}: **${verdict}**. ${escapeMarkdown(outcome.detail)}.`;
}

