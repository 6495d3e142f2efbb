import type { ProbotOctokit } from 'probot';
import { ConfigFileError } from './config.ts';
import type {
  BlobTexts, BranchHead, CheckAnnotation, CommentInfo, CommitInfo, Comparison, FileWrite, NewReviewComment, Permission, PullRequestInfo,
  Reaction, RepositoryPort, TreeFile,
} from './repository-port.ts';

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Files per GraphQL query: well under GitHub's node limits, and one request per 100 manifests. */
const BLOBS_PER_QUERY = 100;
/** Bytes of blob text per GraphQL answer: large manifests get smaller batches, so no answer grows past a few MB. */
const BYTES_PER_QUERY = 4 * 1024 * 1024;

interface GitTreeItem { path?: string; mode?: string; type?: string; sha?: string; size?: number }
interface BlobNode { text: string | null; isTruncated: boolean; isBinary: boolean | null }
interface UserLike { login?: string | null }

export const CONFIG_FILE = '.github/osm2linkerd.yml';

/**
 * POSTs that create a comment, review, check run or issue are not retried by Octokit: when GitHub stored one but the
 * answer was lost, a retry would post it twice. `createOnce` looks for it by its marker first, then tries again.
 */
const NOT_REPEATED = { retries: 0 };

/** The RepositoryPort over GitHub's REST and GraphQL APIs (retries and throttling come from Probot's Octokit). */
export class OctokitRepository implements RepositoryPort {
  readonly owner: string;
  readonly repo: string;
  readonly #octokit: Octokit;

  constructor(octokit: Octokit, owner: string, repo: string) {
    this.#octokit = octokit;
    this.owner = owner;
    this.repo = repo;
  }

  get #r() {
    return { owner: this.owner, repo: this.repo };
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.#octokit.rest.repos.get(this.#r);
    return data.default_branch;
  }

  async getBranch(branch: string): Promise<BranchHead | null> {
    try {
      const { data } = await this.#octokit.rest.repos.getBranch({ ...this.#r, branch });
      return { commitSha: data.commit.sha, treeSha: data.commit.commit.tree.sha };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async listFiles(commitSha: string): Promise<TreeFile[]> {
    const { data } = await this.#octokit.rest.git.getTree({ ...this.#r, tree_sha: commitSha, recursive: 'true' });
    if (!data.truncated) return blobsOf(data.tree, '');
    // GitHub's documented way out of a truncated recursive tree: walk it one folder at a time.
    const files: TreeFile[] = [];
    const walk = async (treeSha: string, prefix: string): Promise<void> => {
      const { data: level } = await this.#octokit.rest.git.getTree({ ...this.#r, tree_sha: treeSha });
      files.push(...blobsOf(level.tree, prefix));
      for (const item of level.tree) if (item.type === 'tree' && item.sha && item.path) await walk(item.sha, `${prefix}${item.path}/`);
    };
    await walk(commitSha, '');
    return files;
  }

  async readTexts(commitSha: string, files: readonly TreeFile[]): Promise<BlobTexts> {
    const texts = new Map<string, string>();
    const unread = new Map<string, 'binary' | 'invalid-utf8'>();
    for (const batch of batches(files.filter((f) => !f.link))) {
      const fields = batch.map((f, j) => `f${j}: object(expression: ${JSON.stringify(`${commitSha}:${f.path}`)}) { ... on Blob { text isTruncated isBinary } }`);
      const query = `query ($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { ${fields.join(' ')} } }`;
      const result = await this.#octokit.graphql<{ repository: Record<string, BlobNode | null> }>(query, this.#r);
      for (const [j, { path }] of batch.entries()) {
        const node = result.repository[`f${j}`];
        if (!node) continue;
        if (node.isBinary || node.text === null) {
          unread.set(path, 'binary');
          continue;
        }
        const text = node.isTruncated ? await this.#readLargeBlob(commitSha, path) : node.text;
        // GitHub decodes blobs lossily: U+FFFD stands for bytes that were not UTF-8. Editing such a text would
        // rewrite those bytes on lines the migration did not mean to change, so the file is left alone.
        if (text.includes('\uFFFD')) unread.set(path, 'invalid-utf8');
        else texts.set(path, text);
      }
    }
    return { texts, unread };
  }

  async #readLargeBlob(commitSha: string, path: string): Promise<string> {
    const { data } = await this.#octokit.rest.repos.getContent({ ...this.#r, path, ref: commitSha, mediaType: { format: 'raw' } });
    return String(data);
  }

  async readConfig(path: string): Promise<unknown> {
    try {
      const { config, files } = await this.#octokit.config.get({ ...this.#r, path });
      return files.some((f) => f.config !== null) ? config : null;
    } catch (error) {
      // The config plugin throws on unparseable YAML: that is the user's file to fix, not a failed run.
      if (error instanceof Error && error.message.startsWith('[@probot/octokit-plugin-config]')) throw new ConfigFileError(error.message);
      throw error;
    }
  }

  async createTree(baseTreeSha: string, writes: readonly FileWrite[]): Promise<string> {
    const tree = writes.map((w) => ('delete' in w
      ? { path: w.path, mode: '100644' as const, type: 'blob' as const, sha: null }
      : { path: w.path, mode: '100644' as const, type: 'blob' as const, content: w.content }));
    const { data } = await this.#octokit.rest.git.createTree({ ...this.#r, base_tree: baseTreeSha, tree });
    return data.sha;
  }

  async createCommit(message: string, treeSha: string, parents: readonly string[]): Promise<string> {
    const { data } = await this.#octokit.rest.git.createCommit({ ...this.#r, message, tree: treeSha, parents: [...parents] });
    return data.sha;
  }

  async createBranch(branch: string, sha: string): Promise<'created' | 'exists'> {
    try {
      await this.#octokit.rest.git.createRef({ ...this.#r, ref: `refs/heads/${branch}`, sha });
      return 'created';
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) return 'exists';
      throw error;
    }
  }

  async updateBranch(branch: string, sha: string, force: boolean): Promise<void> {
    await this.#octokit.rest.git.updateRef({ ...this.#r, ref: `heads/${branch}`, sha, force });
  }

  async compare(baseSha: string, headSha: string): Promise<Comparison> {
    const { data } = await this.#octokit.rest.repos.compareCommitsWithBasehead({ ...this.#r, basehead: `${baseSha}...${headSha}` });
    return { ahead: data.commits.map(commitInfo), behindBy: data.behind_by };
  }

  async findPullRequest(branch: string): Promise<PullRequestInfo | null> {
    const { data } = await this.#octokit.rest.pulls.list({ ...this.#r, head: `${this.owner}:${branch}`, state: 'all', sort: 'created', direction: 'desc', per_page: 10 });
    const first = data[0];
    return first ? pullRequestInfo(first) : null;
  }

  async getPullRequest(number: number): Promise<PullRequestInfo> {
    const { data } = await this.#octokit.rest.pulls.get({ ...this.#r, pull_number: number });
    return pullRequestInfo(data);
  }

  async createPullRequest(input: { title: string; body: string; head: string; base: string; draft: boolean }): Promise<PullRequestInfo> {
    const { data } = await this.#octokit.rest.pulls.create({ ...this.#r, ...input, maintainer_can_modify: false });
    return pullRequestInfo(data);
  }

  async updatePullRequest(number: number, fields: { title?: string; body?: string; state?: 'open' | 'closed'; base?: string }): Promise<void> {
    await this.#octokit.rest.pulls.update({ ...this.#r, pull_number: number, ...fields });
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    if (labels.length > 0) await this.#octokit.rest.issues.addLabels({ ...this.#r, issue_number: number, labels: [...labels] });
  }

  async requestReviewers(number: number, reviewers: readonly string[]): Promise<void> {
    const teams = reviewers.filter((r) => r.includes('/')).map((r) => r.slice(r.indexOf('/') + 1));
    const users = reviewers.filter((r) => !r.includes('/'));
    if (reviewers.length > 0) await this.#octokit.rest.pulls.requestReviewers({ ...this.#r, pull_number: number, reviewers: users, team_reviewers: teams });
  }

  async pullRequestPatches(number: number): Promise<Map<string, string | undefined>> {
    const files = await this.#octokit.paginate(this.#octokit.rest.pulls.listFiles, { ...this.#r, pull_number: number, per_page: 100 });
    return new Map(files.map((f) => [f.filename, f.patch]));
  }

  async listReviewComments(number: number): Promise<CommentInfo[]> {
    const comments = await this.#octokit.paginate(this.#octokit.rest.pulls.listReviewComments, { ...this.#r, pull_number: number, per_page: 100 });
    return comments.map((c) => ({ id: c.id, body: c.body, authorLogin: c.user.login, nodeId: c.node_id }));
  }

  async minimizeComment(nodeId: string): Promise<void> {
    await this.#octokit.graphql('mutation ($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: RESOLVED}) { minimizedComment { isMinimized } } }', { id: nodeId });
  }

  async updateReviewComment(id: number, body: string): Promise<void> {
    await this.#octokit.rest.pulls.updateReviewComment({ ...this.#r, comment_id: id, body });
  }

  async createReview(number: number, commitSha: string, body: string, comments: readonly NewReviewComment[]): Promise<void> {
    await this.#octokit.rest.pulls.createReview({ ...this.#r, pull_number: number, commit_id: commitSha, event: 'COMMENT', body, comments: [...comments], request: NOT_REPEATED });
  }

  async listReviews(number: number): Promise<CommentInfo[]> {
    const reviews = await this.#octokit.paginate(this.#octokit.rest.pulls.listReviews, { ...this.#r, pull_number: number, per_page: 100 });
    return reviews.map((r) => ({ id: r.id, body: r.body, authorLogin: r.user?.login ?? null }));
  }

  async createCheckRun(input: { headSha: string; externalId: string; title: string; summary: string; conclusion: string; annotations: readonly CheckAnnotation[] }): Promise<number> {
    const { data } = await this.#octokit.rest.checks.create({
      ...this.#r,
      name: 'osm2linkerd',
      head_sha: input.headSha,
      external_id: input.externalId,
      status: 'completed',
      conclusion: input.conclusion as 'success' | 'neutral' | 'action_required' | 'failure',
      output: { title: input.title, summary: input.summary, annotations: [...input.annotations] },
      request: NOT_REPEATED,
    });
    return data.id;
  }

  async findCheckRun(headSha: string, externalId: string): Promise<number | undefined> {
    const { data } = await this.#octokit.rest.checks.listForRef({ ...this.#r, ref: headSha, check_name: 'osm2linkerd', filter: 'all', per_page: 100 });
    return data.check_runs.find((c) => c.external_id === externalId)?.id;
  }

  async hasCheckRun(headSha: string): Promise<boolean> {
    const { data } = await this.#octokit.rest.checks.listForRef({ ...this.#r, ref: headSha, check_name: 'osm2linkerd', per_page: 1 });
    return data.total_count > 0;
  }

  async addCheckRunAnnotations(id: number, title: string, summary: string, annotations: readonly CheckAnnotation[]): Promise<void> {
    await this.#octokit.rest.checks.update({ ...this.#r, check_run_id: id, output: { title, summary, annotations: [...annotations] } });
  }

  async listIssueComments(number: number): Promise<CommentInfo[]> {
    const comments = await this.#octokit.paginate(this.#octokit.rest.issues.listComments, { ...this.#r, issue_number: number, per_page: 100 });
    return comments.map((c) => ({ id: c.id, body: c.body ?? '', authorLogin: c.user?.login ?? null }));
  }

  async createIssueComment(number: number, body: string): Promise<number> {
    const { data } = await this.#octokit.rest.issues.createComment({ ...this.#r, issue_number: number, body, request: NOT_REPEATED });
    return data.id;
  }

  async updateIssueComment(id: number, body: string): Promise<void> {
    await this.#octokit.rest.issues.updateComment({ ...this.#r, comment_id: id, body });
  }

  async addReaction(commentId: number, content: Reaction): Promise<void> {
    await this.#octokit.rest.reactions.createForIssueComment({ ...this.#r, comment_id: commentId, content });
  }

  async permissionOf(login: string): Promise<Permission> {
    try {
      const { data } = await this.#octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.#r, username: login });
      const role = (data as { role_name?: string }).role_name ?? data.permission;
      return (['admin', 'maintain', 'write', 'triage', 'read'] as const).find((p) => p === role) ?? 'none';
    } catch (error) {
      if (statusOf(error) === 404) return 'none';
      throw error;
    }
  }

  async listOwnOpenIssues(botLogin: string): Promise<CommentInfo[]> {
    // Not filtered with `creator=`: GitHub does not match app logins there everywhere; the newest 100 are enough.
    const { data } = await this.#octokit.rest.issues.listForRepo({ ...this.#r, state: 'open', sort: 'created', direction: 'desc', per_page: 100 });
    return data.filter((i) => !i.pull_request && i.user?.login === botLogin).map((i) => ({ id: i.number, body: i.body ?? '', authorLogin: i.user?.login ?? null }));
  }

  async createIssue(title: string, body: string): Promise<number> {
    const { data } = await this.#octokit.rest.issues.create({ ...this.#r, title, body, request: NOT_REPEATED });
    return data.number;
  }

  async updateIssue(number: number, fields: { body?: string; state?: 'open' | 'closed' }): Promise<void> {
    await this.#octokit.rest.issues.update({ ...this.#r, issue_number: number, ...fields });
  }
}

/** Up to BLOBS_PER_QUERY files and BYTES_PER_QUERY bytes per batch (a single larger file gets a batch of its own). */
export function batches(files: readonly TreeFile[]): TreeFile[][] {
  const result: TreeFile[][] = [];
  let current: TreeFile[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length > 0 && (current.length >= BLOBS_PER_QUERY || bytes + file.size > BYTES_PER_QUERY)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** Files of a tree level: blobs, links (blobs of mode 120000) and submodules (`commit` entries, mode 160000). */
function blobsOf(tree: readonly GitTreeItem[], prefix: string): TreeFile[] {
  return tree.filter((t) => (t.type === 'blob' || t.type === 'commit') && t.path && t.sha).map((t) => ({
    path: `${prefix}${t.path ?? ''}`,
    sha: t.sha ?? '',
    size: t.size ?? 0,
    ...(t.type === 'commit' || t.mode === '160000' ? { link: 'submodule' as const } : t.mode === '120000' ? { link: 'symlink' as const } : {}),
  }));
}

function commitInfo(c: { sha: string; commit: { message: string; verification?: { verified: boolean } }; author: UserLike | null; committer: UserLike | null }): CommitInfo {
  return { sha: c.sha, message: c.commit.message, authorLogin: c.author?.login ?? null, committerLogin: c.committer?.login ?? null, verified: c.commit.verification?.verified ?? false };
}

interface PullLike {
  number: number; state: string; merged_at: string | null; title: string; body: string | null; html_url: string;
  head: { ref: string; sha: string; repo: { full_name: string } | null }; base: { ref: string }; user: UserLike | null;
}

function pullRequestInfo(p: PullLike): PullRequestInfo {
  return {
    number: p.number,
    state: p.state === 'closed' ? 'closed' : 'open',
    merged: p.merged_at !== null,
    title: p.title,
    body: p.body ?? '',
    headRef: p.head.ref,
    headSha: p.head.sha,
    headRepository: p.head.repo?.full_name ?? null,
    baseRef: p.base.ref,
    authorLogin: p.user?.login ?? null,
    url: p.html_url,
  };
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
