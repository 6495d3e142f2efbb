/**
 * Everything the app asks of GitHub for one repository: a small interface so the flow is written once and runs
 * against the real API (OctokitRepository) and, through the same Octokit, against the in-memory GitHub.
 */

/** The app's check run: created under this name, and the only check run whose re-run the app answers. */
export const CHECK_RUN_NAME = 'osm2linkerd';

/**
 * GitHub refused the request itself (a 4xx): sending it again unchanged would be refused again. Thrown by the
 * port's methods, so the run decides on what happened, never on HTTP statuses; `status` is GitHub's answer.
 */
export class PortRejected extends Error {
  readonly status: number;

  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.status = status;
  }
}

/** 422: the change conflicts with what GitHub holds (not a fast-forward, already exists) or fails its validation. */
export class PortConflict extends PortRejected {
  constructor(message: string, options?: ErrorOptions) {
    super(422, message, options);
  }
}

/** 404: what the request names does not exist, or the app cannot see it. */
export class PortNotFound extends PortRejected {
  constructor(message: string, options?: ErrorOptions) {
    super(404, message, options);
  }
}

export interface TreeFile {
  readonly path: string;
  readonly sha: string;
  readonly size: number;
  /** Set for tree entries that are not files (modes 120000 and 160000): never read as manifests, never written. */
  readonly link?: 'symlink' | 'submodule';
}

/**
 * Texts of blobs, and the blobs that were not read as text (binary, or bytes that are not valid UTF-8, decided from
 * the bytes: a file that holds U+FFFD itself is text), with why.
 */
export interface BlobTexts {
  readonly texts: Map<string, string>;
  readonly unread: Map<string, 'binary' | 'invalid-utf8'>;
}

export interface BranchHead {
  readonly commitSha: string;
  readonly treeSha: string;
}

export interface CommitInfo {
  readonly sha: string;
  readonly message: string;
  readonly authorLogin: string | null;
  readonly committerLogin: string | null;
  /** GitHub verified the commit's signature (API commits of apps are signed by GitHub). */
  readonly verified: boolean;
}

/** The commits on `head` that `base` lacks, and how far `head` is behind `base`. */
export interface Comparison {
  readonly ahead: readonly CommitInfo[];
  readonly behindBy: number;
}

export interface PullRequestInfo {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  readonly title: string;
  readonly body: string;
  readonly headRef: string;
  readonly headSha: string;
  /** `owner/name` of the repository the head branch lives in (a fork's differs); null when the fork was deleted. */
  readonly headRepository: string | null;
  /** The branch it would merge into (a phase of a series targets the phase before it until that one merges). */
  readonly baseRef?: string;
  readonly authorLogin: string | null;
  readonly url: string;
}

export interface CommentInfo {
  readonly id: number;
  readonly body: string;
  readonly authorLogin: string | null;
  /** GraphQL node id (review comments: to minimise a resolved one). */
  readonly nodeId?: string;
}

/** A new branch with its first commit, or `exists`: the branch was there and did not point at the base (nothing written). */
export type NewBranchCommit = { readonly kind: 'pushed'; readonly sha: string } | { readonly kind: 'exists' };

/** A new file content, or the removal of a file. */
export type FileWrite = { readonly path: string; readonly content: string } | { readonly path: string; readonly delete: true };

export interface NewReviewComment {
  readonly path: string;
  readonly line: number;
  readonly side: 'LEFT' | 'RIGHT';
  readonly body: string;
}

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly title: string;
  readonly message: string;
}

/** 👀 acknowledges a command; 👎 refuses one from someone without write permission. */
export type Reaction = 'eyes' | '-1';

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface RepositoryPort {
  readonly owner: string;
  readonly repo: string;
  /** The repository's default branch (installation payloads do not carry it). */
  defaultBranch(): Promise<string>;
  getBranch(branch: string): Promise<BranchHead | null>;
  /**
   * Every file of a commit's tree (one recursive read; a truncated answer is completed folder by folder), symbolic
   * links and submodules included, marked as such.
   */
  listFiles(commitSha: string): Promise<TreeFile[]>;
  /** Texts of files of a commit, read in batches (never one request per file); sizes keep each answer bounded. */
  readTexts(commitSha: string, files: readonly TreeFile[]): Promise<BlobTexts>;
  /** The app's config file with org `.github` fallback and `_extends`, from the default branch; null when absent. */
  readConfig(path: string): Promise<unknown>;
  createTree(baseTreeSha: string, writes: readonly FileWrite[]): Promise<string>;
  createCommit(message: string, treeSha: string, parents: readonly string[]): Promise<string>;
  /** 'exists' when another run created the branch first (GitHub's 422 "Reference already exists"). */
  createBranch(branch: string, sha: string): Promise<'created' | 'exists'>;
  /**
   * Creates `branch` at `baseSha` and commits `writes` on it, signed by GitHub, with the branch expected at
   * `baseSha` (a compare-and-swap: a branch someone else created or moved is never written).
   */
  createBranchWithCommit(branch: string, baseSha: string, message: string, writes: readonly FileWrite[]): Promise<NewBranchCommit>;
  updateBranch(branch: string, sha: string, force: boolean): Promise<void>;
  compare(baseSha: string, headSha: string): Promise<Comparison>;
  /** The newest pull request from `branch`, open or closed. */
  findPullRequest(branch: string): Promise<PullRequestInfo | null>;
  getPullRequest(number: number): Promise<PullRequestInfo>;
  createPullRequest(input: { title: string; body: string; head: string; base: string; draft: boolean }): Promise<PullRequestInfo>;
  updatePullRequest(number: number, fields: { title?: string; body?: string; state?: 'open' | 'closed'; base?: string }): Promise<void>;
  addLabels(number: number, labels: readonly string[]): Promise<void>;
  requestReviewers(number: number, reviewers: readonly string[]): Promise<void>;
  /** Each changed file's patch as GitHub shows it (undefined when GitHub shows none). */
  pullRequestPatches(number: number): Promise<Map<string, string | undefined>>;
  listReviewComments(number: number): Promise<CommentInfo[]>;
  updateReviewComment(id: number, body: string): Promise<void>;
  /** Hides a comment as resolved (GraphQL minimizeComment), so outdated comments do not crowd the conversation. */
  minimizeComment(nodeId: string): Promise<void>;
  createReview(number: number, commitSha: string, body: string, comments: readonly NewReviewComment[]): Promise<void>;
  /** Reviews of a pull request (their bodies carry the app's review marker). */
  listReviews(number: number): Promise<CommentInfo[]>;
  createCheckRun(input: { headSha: string; externalId: string; title: string; summary: string; conclusion: string; annotations: readonly CheckAnnotation[] }): Promise<number>;
  /** Whether the app's check run exists on a commit. */
  hasCheckRun(headSha: string): Promise<boolean>;
  /** The id of the app's newest check run on a commit carrying `externalId`, if any. */
  findCheckRun(headSha: string, externalId: string): Promise<number | undefined>;
  addCheckRunAnnotations(id: number, title: string, summary: string, annotations: readonly CheckAnnotation[]): Promise<void>;
  listIssueComments(number: number): Promise<CommentInfo[]>;
  createIssueComment(number: number, body: string): Promise<number>;
  updateIssueComment(id: number, body: string): Promise<void>;
  addReaction(commentId: number, content: Reaction): Promise<void>;
  permissionOf(login: string): Promise<Permission>;
  /** Open issues the app opened (for the config-error issue). */
  listOwnOpenIssues(botLogin: string): Promise<CommentInfo[]>;
  createIssue(title: string, body: string): Promise<number>;
  updateIssue(number: number, fields: { body?: string; state?: 'open' | 'closed' }): Promise<void>;
}
