import { createOnce } from './create-once.ts';
import type { RepositoryPort } from './repository-port.ts';

/**
 * One comment per purpose, edited in place: finds the bot's comment carrying `marker` and rewrites it only when the
 * text changed (no notification for an identical update).
 */
export async function upsertStickyComment(port: RepositoryPort, issue: number, botLogin: string, marker: string, text: string): Promise<void> {
  const body = `${text}\n\n${marker}`;
  // The marker counts only at the end, where it is written: quoted text earlier in a comment cannot claim it.
  const find = async () => (await port.listIssueComments(issue)).find((c) => c.authorLogin === botLogin && normalise(c.body).endsWith(marker));
  const existing = await find();
  if (!existing) await createOnce(() => port.createIssueComment(issue, body), async () => (await find())?.id);
  else if (normalise(existing.body) !== normalise(body)) await port.updateIssueComment(existing.id, body);
}

export function normalise(text: string): string {
  return text.replace(/\r\n/g, '\n').trim();
}

export const RESULT_MARKER = '<!-- osm2linkerd:result -->';
export const BLOCKED_MARKER = '<!-- osm2linkerd:blocked -->';
export const CLOSED_MARKER = '<!-- osm2linkerd:closed -->';
