import type { Finding } from '../findings/finding.ts';
import { finding, type RaisedId as FindingId } from './findings.ts';
import type { UnreadPaths, UnreadReason } from '../source.ts';

const FINDING: Record<UnreadReason, { readonly id: FindingId; readonly what: string }> = {
  symlink: { id: 'load/symlink-not-read', what: 'is a symbolic link: it was not followed' },
  submodule: { id: 'load/submodule-not-read', what: 'is a submodule: its files were not read' },
  'too-large': { id: 'load/file-too-large', what: 'is larger than 1 MiB: it was not read' },
  binary: { id: 'load/binary-file', what: 'holds NUL bytes: it was not read' },
  'invalid-utf8': { id: 'load/invalid-utf8', what: 'is not valid UTF-8: it was not read' },
};

/** One finding per path the adapter did not read, so nothing in the repository is skipped silently. */
export function unreadFindings(unread: UnreadPaths): Finding[] {
  return [...unread].map(([path, reason]) => finding(FINDING[reason].id, { file: path, line: 1 }, {
    message: `${path} ${FINDING[reason].what}, and the migration does not change it.`,
  }));
}

/** What load needs to know of a planned file change (plan/types.ts FileChange) to keep it off an unread path. */
interface PlannedWrite {
  readonly path: string;
  readonly action: string;
}

/**
 * Drops planned changes to paths the adapter did not read (a generated `x.linkerd.yaml` where a link of that name
 * exists would otherwise be written through the link), each with a finding.
 */
export function withoutUnreadTargets<F extends PlannedWrite>(files: readonly F[], unread: UnreadPaths): { files: F[]; findings: Finding[] } {
  const kept: F[] = [];
  const findings: Finding[] = [];
  for (const file of files) {
    const reason = unread.get(file.path);
    if (reason === undefined) {
      kept.push(file);
      continue;
    }
    findings.push(finding('plan/path-not-writable', { file: file.path, line: 1 }, {
      message: `The migration would ${file.action} ${file.path}, but that path ${FINDING[reason].what.replace(/: .*/, '')}: it was not written.`,
    }));
  }
  return { files: kept, findings };
}
