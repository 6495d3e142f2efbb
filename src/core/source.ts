/** Shared vocabulary of the core: what a repository is, and how we point into it. */

/** A repository as the core sees it: path (POSIX, relative to the root) → text. */
export type RepositoryFiles = ReadonlyMap<string, string>;

/** A path into a parsed YAML/JSON document: map keys and sequence indices. */
export type NodePath = readonly (string | number)[];

/** Where something stands in the repository; `line` is 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** The identity of a Kubernetes object. `namespace` is undefined for cluster-scoped or unknown-namespace objects. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** `Kind/namespace/name` (or `Kind/name`): how findings and reports name an object. */
export function formatRef(ref: Pick<ObjectRef, 'kind' | 'name' | 'namespace'>): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** The API group of an apiVersion (`''` for the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Why an adapter did not hand a repository path to the core: links and submodules are never read (they can point
 * outside the repository), and files it could not read faithfully are left untouched. The core reports each one and
 * never plans a write to such a path.
 */
export type UnreadReason = 'symlink' | 'submodule' | 'too-large' | 'binary' | 'invalid-utf8';
export type UnreadPaths = ReadonlyMap<string, UnreadReason>;
