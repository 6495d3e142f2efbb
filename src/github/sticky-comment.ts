import { createOnce } from './create-once.ts';
import type { RepositoryPort } from './repository-port.ts';

/**
 * One comment per purpose, edited in place: finds the bot's comment carrying `marker` and rewrites it only when the
 * text changed (no notification for an identical update).
 */
export async function upsertStickyComment(port: RepositoryPort, issue: number, botLogin: string, marker: string, text: string): Promise<void> {
  const body = `${text}\n\n${marker}`;
  const find = async () => (await port.listIssueComments(issue)).find((c) => c.authorLogin === botLogin && c.body.includes(marker));
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
