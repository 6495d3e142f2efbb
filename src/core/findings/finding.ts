import type { SourceLocation } from '../source.ts';
import type { FindingId } from './catalogue.ts';
import { docsAnchor, type FindingSet, type FindingSpec, type MessageArgs } from './define.ts';

export type Severity = 'error' | 'warning' | 'info';

/**
 * Which requests a finding accounts for, so `verify` can tell a known, explained difference from a silent one.
 * Undefined fields match anything.
 */
export interface DifferenceScope {
  /** Namespace of the destination workload. */
  readonly namespace?: string;
  /** ServiceAccount the destination workload runs as. */
  readonly serviceAccount?: string;
  /** Destination container port (number). */
  readonly port?: number;
  /** Source identity `<sa>.<namespace>`, or `unmeshed` / `kubelet`, or an `ingress:…` source. */
  readonly source?: string;
  /** HTTP requests to exactly these paths (e.g. the probe paths a default probe route opens); TCP requests never match. */
  readonly paths?: readonly string[];
  /** HTTP requests with these methods. */
  readonly methods?: readonly string[];
  /** Requests whose source address is inside one of these CIDRs (what a finding about an IPRange explains). */
  readonly networks?: readonly string[];
}

/** A one-line replacement a reviewer can apply (rendered as a ```suggestion block by the GitHub door). */
export interface Suggestion {
  readonly file: string;
  readonly line: number;
  readonly replacement: string;
}

export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  /** The object that caused it: `Kind/namespace/name`. Empty for file-level findings. */
  readonly resource: string;
  readonly message: string;
  readonly remediation: string;
  readonly docsUrl: string;
  readonly suggestion?: Suggestion;
  readonly affects?: readonly DifferenceScope[];
}

export const FINDINGS_DOCS = 'https://github.com/osm2linkerd/osm2linkerd/blob/main/docs/findings.md';

export function docsUrlFor(id: FindingId): string {
  return `${FINDINGS_DOCS}#${docsAnchor(id)}`;
}

export interface FindingDetails<Args> {
  /** The arguments of the id's message builder (its findings.ts declares them). */
  readonly message: Args;
  /** Defaults to the declared remediation text. */
  readonly remediation?: string;
  readonly resource?: string;
  readonly suggestion?: Suggestion;
  readonly affects?: readonly DifferenceScope[];
}

/** Builds a finding of one of a module's ids: severity, docs and the message's wording come from its declaration. */
export type Finder<Set extends FindingSet> = <Id extends keyof Set & string>(id: Id, at: SourceLocation, details: FindingDetails<MessageArgs<Set[Id]>>) => Finding;

/** The `finding(...)` of a module that raises the findings of `set`, so a rule cannot disagree with their declaration. */
export function finderFor<const Set extends FindingSet>(set: Set): Finder<Set> {
  return (id, at, details) => {
    // Id is a key of Set, so the spec exists; its builder's parameter is `never` in FindingSet, and the Finder's
    // signature already tied `details.message` to it.
    const spec = set[id] as FindingSpec<never>;
    const message = (spec.message as (args: unknown) => string)(details.message);
    return {
      // Every set a finder is built from is collected into the catalogue (registry.test.ts checks it).
      id: id as string as FindingId,
      severity: spec.severity,
      file: at.file,
      line: at.line,
      resource: details.resource ?? '',
      message,
      remediation: details.remediation ?? spec.remediation,
      docsUrl: `${FINDINGS_DOCS}#${docsAnchor(id)}`,
      ...(details.suggestion ? { suggestion: details.suggestion } : {}),
      ...(details.affects ? { affects: details.affects } : {}),
    };
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: severity, file, line, id, message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.id.localeCompare(b.id) ||
      a.message.localeCompare(b.message),
  );
}

/** cyrb53: a small pure hash, so fingerprints need no node:crypto in the core. */
export function hash53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Identifies a finding across re-runs (line numbers excluded: they move when unrelated lines change). */
export function fingerprint(f: Finding): string {
  return hash53(`${f.id}\u0000${f.file}\u0000${f.resource}\u0000${f.message}`);
}
