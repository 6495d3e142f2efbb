import type { Severity } from './finding.ts';

/**
 * One finding, declared once beside the code that raises it: what the catalogue, the docs and every review comment
 * say about its id. `message` builds the finding's text from what the call site knows, so a call site passes
 * exactly the arguments its id takes (a wrong id or a wrong argument fails to compile).
 */
export interface FindingSpec<Args> {
  readonly severity: Severity;
  readonly title: string;
  /** What to do about it: the default remediation text of every finding with this id. */
  readonly remediation: string;
  readonly message: (args: Args) => string;
}

/** Findings keyed by id. Ids are `<stage-or-rule>/<what>`, stable across releases. */
export type FindingSet = Readonly<Record<string, FindingSpec<never>>>;

/** The arguments a spec's message builder takes. */
export type MessageArgs<Spec> = Spec extends { readonly message: (args: infer Args) => string } ? Args : never;

/** Declares a module's findings; the literal type keeps every id and every builder's arguments. */
export function defineFindings<const Set extends FindingSet>(set: Set): Set {
  return set;
}

/**
 * The message builder of a finding whose text the call site writes whole: the sites are in modules that assemble
 * it from several parts (or raise the id from several places), so the builder takes that text.
 */
export function verbatim(text: string): string {
  return text;
}

/** Some findings of a set declared elsewhere, for a module that raises them too (the declaration stays single). */
export function pick<const Set extends FindingSet, const Id extends keyof Set & string>(set: Set, ...ids: readonly Id[]): Pick<Set, Id> {
  const picked: Partial<Record<Id, Set[Id]>> = {};
  for (const id of ids) picked[id] = set[id];
  return picked as Pick<Set, Id>;
}

/** The URL fragment of an id's section in docs/findings.md. */
export function docsAnchor(id: string): string {
  return id.replace(/[^a-z0-9-]/g, '');
}
