import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isManifestCandidate, type UnreadReason } from '../core/index.ts';

export interface Checkout {
  /** POSIX path relative to the root → text, for every manifest read. */
  readonly files: Map<string, string>;
  /** Manifest paths not read, and why (links, files too large, binary or not UTF-8): the core reports each. */
  readonly unread: Map<string, UnreadReason>;
  /**
   * What a Git tree of this checkout would hold besides `files`: every symbolic link (its target) and the bytes of
   * the manifests not read. The dry run puts them in its in-memory repository, so the app meets them as on GitHub.
   */
  readonly special: Map<string, { readonly symlink: string } | { readonly bytes: Uint8Array }>;
}

/** Strict UTF-8: a file with invalid bytes is left alone instead of being rewritten with U+FFFD. A BOM is kept. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A checkout on disk → the core's RepositoryFiles. Symbolic links (to files or folders) are never followed: they
 * can point outside the checkout, and the writer must not write through them either.
 */
export async function readCheckout(root: string): Promise<Checkout> {
  const files = new Map<string, string>();
  const unread = new Map<string, UnreadReason>();
  const special: Checkout['special'] = new Map();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const repoPath = relative(root, path).split(sep).join('/');
      if (entry.isSymbolicLink()) {
        // Reported when it could be a manifest (as the app does: GitHub shows a link to a folder as one blob).
        if (isManifestCandidate(repoPath)) unread.set(repoPath, 'symlink');
        special.set(repoPath, { symlink: await readlink(path) });
      } else if (entry.isDirectory()) {
        if (isManifestCandidate(`${repoPath}/x.yaml`)) await walk(path);
      } else if (entry.isFile() && isManifestCandidate(repoPath)) {
        const bytes = await readFile(path);
        if (!isManifestCandidate(repoPath, (await stat(path)).size)) {
          unread.set(repoPath, 'too-large');
          special.set(repoPath, { bytes });
          continue;
        }
        const read = decode(bytes);
        if (typeof read === 'string') files.set(repoPath, read);
        else {
          unread.set(repoPath, read.reason);
          special.set(repoPath, { bytes });
        }
      }
    }
  };
  await walk(root);
  return { files, unread, special };
}

function decode(bytes: Uint8Array): string | { reason: UnreadReason } {
  if (bytes.includes(0)) return { reason: 'binary' };
  try {
    return UTF8.decode(bytes);
  } catch {
    return { reason: 'invalid-utf8' };
  }
}
