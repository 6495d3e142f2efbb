import { raises } from './findings.ts';
import { planServers } from '../../linkerd/servers.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';

/**
 * What choosing the pods of every generated Server decided (linkerd/servers.ts, linkerd/server-selection.ts):
 * selectors narrowed, Servers withheld because they would reach another ServiceAccount's pods, pod ports two Servers
 * claim. The plan is shared by every rule that emits or attaches to Servers, so its findings are said here, once.
 */
export const serverSelectionRule = defineRule({
  id: 'server-selection',
  consumes: [],
  raises,
  translate: translateServerSelection,
});

export function translateServerSelection(input: RuleInput): RuleOutput {
  const out = new Emitter();
  for (const f of planServers(input).findings) out.finding(f);
  return out.output();
}
