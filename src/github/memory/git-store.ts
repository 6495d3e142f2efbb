import { createHash } from 'node:crypto';
import { gitBlobSha } from '../git-objects.ts';

export interface StoredCommit {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: string;
  readonly committer: string;
  readonly verified: boolean;
}

/** Files of a tree by path; folders are implied by paths, as in a recursive tree listing. */
export type StoredTree = ReadonlyMap<string, string>;

/** Git's entry modes other than a plain file (100644): executables, symbolic links (the blob is the link target), submodules (the sha is a commit of another repository). */
export type EntryMode = '100755' | '120000' | '160000';

/** Content-addressed blobs, trees and commits, as Git keeps them (sha1 of the content, so equal trees have equal shas). */
export class GitStore {
  /** Blob texts as GitHub decodes them (bytes that are not UTF-8 become U+FFFD). */
  readonly blobs = new Map<string, string>();
  /** The bytes of blobs given as bytes (the others are the UTF-8 of their text). */
  readonly #bytes = new Map<string, Buffer>();
  readonly trees = new Map<string, StoredTree>();
  /** Per tree, the entries that are not plain files. */
  readonly modes = new Map<string, ReadonlyMap<string, EntryMode>>();
  readonly commits = new Map<string, StoredCommit>();
  #clock = 0;

  /** Stores a blob under Git's own object id (`sha1("blob <size>\\0" + bytes)`), as GitHub names it. */
  blob(content: string | Uint8Array): string {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const sha = gitBlobSha(bytes);
    this.blobs.set(sha, typeof content === 'string' ? content : new TextDecoder().decode(bytes));
    if (typeof content !== 'string') this.#bytes.set(sha, bytes);
    return sha;
  }

  bytesOf(sha: string): Buffer | undefined {
    const text = this.blobs.get(sha);
    return this.#bytes.get(sha) ?? (text === undefined ? undefined : Buffer.from(text, 'utf8'));
  }

  tree(files: ReadonlyMap<string, string>, modes: ReadonlyMap<string, EntryMode> = new Map()): string {
    const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const kept = new Map([...modes].filter(([path]) => sorted.has(path)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const sha = sha1(`tree\u0000${JSON.stringify([...sorted])}${kept.size > 0 ? JSON.stringify([...kept]) : ''}`);
    this.trees.set(sha, sorted);
    this.modes.set(sha, kept);
    return sha;
  }

  modesOf(treeSha: string): ReadonlyMap<string, EntryMode> {
    return this.modes.get(treeSha) ?? new Map();
  }

  treeOf(files: Readonly<Record<string, string>>): string {
    return this.tree(new Map(Object.entries(files).map(([path, text]) => [path, this.blob(text)])));
  }

  commit(tree: string, parents: readonly string[], message: string, author: string, committer = author, verified = false): string {
    const sha = sha1(`commit\u0000${tree}\u0000${parents.join(',')}\u0000${message}\u0000${author}\u0000${committer}\u0000${this.#clock++}`);
    this.commits.set(sha, { sha, tree, parents, message, author, committer, verified });
    return sha;
  }

  filesAt(commitSha: string): ReadonlyMap<string, string> {
    const commit = this.commits.get(commitSha);
    return (commit && this.trees.get(commit.tree)) ?? new Map();
  }

  textAt(commitSha: string, path: string): string | undefined {
    const blob = this.filesAt(commitSha).get(path);
    return blob === undefined ? undefined : this.blobs.get(blob);
  }

  /** Commit shas reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop() ?? '';
      if (seen.has(next) || !this.commits.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  aheadOf(base: string, head: string): StoredCommit[] {
    const known = this.ancestors(base);
    return [...this.ancestors(head)].filter((s) => !known.has(s)).map((s) => this.commits.get(s)).filter((c): c is StoredCommit => !!c).reverse();
  }

  mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const next = queue.shift() ?? '';
      if (ofA.has(next)) return next;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return undefined;
  }
}

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
