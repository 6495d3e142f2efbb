import type { ProbotOctokit } from 'probot';
import { parse as parseYaml } from 'yaml';
import { CONFIG_FILE, ConfigFileError, DEFAULT_BOT_BRANCH } from './config.ts';
import type {
  BlobTexts, BranchHead, CheckAnnotation, CommentInfo, CommitInfo, Comparison, FileWrite, NewBranchCommit, NewReviewComment, Permission,
  PullRequestInfo, Reaction, RepositoryPort, TreeFile,
} from './repository-port.ts';
import { CHECK_RUN_NAME, PortConflict, PortNotFound, PortRejected } from './repository-port.ts';

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * Files per GraphQL query. `object(expression:)` is a field, not a connection, so GitHub's node limit (500,000
 * nodes, counted over connections' `first`) does not grow with it; what bounds a query is the size of its answer
 * and GitHub's 10-second query timeout, so batches are also cut at BYTES_PER_QUERY. 250 files: the 200 manifests of
 * a large repository in one request.
 */
const BLOBS_PER_QUERY = 250;
/** Bytes of blob text per GraphQL answer: large manifests get smaller batches, so no answer grows past a few MB. */
const BYTES_PER_QUERY = 4 * 1024 * 1024;

interface GitTreeItem { path?: string; mode?: string; type?: string; sha?: string; size?: number }
interface BlobNode { byteSize: number; text: string | null; isTruncated: boolean; isBinary: boolean | null }
interface UserLike { login?: string | null }
/** A GraphQL `Actor`: a Bot's login lacks the `[bot]` suffix REST gives it. */
interface ActorNode { __typename: string; login: string }
interface ConfigNode { __typename: string; text?: string | null; isBinary?: boolean | null; isTruncated?: boolean }
interface CommitNode { oid?: string; tree?: { oid: string }; file?: { object: ConfigNode | null } | null }
interface PullRequestNode {
  number: number; state: 'OPEN' | 'CLOSED' | 'MERGED'; merged: boolean; title: string; body: string; url: string; headRefName: string; headRefOid: string;
  headRepository: { nameWithOwner: string } | null; headRepositoryOwner: { login: string } | null; author: ActorNode | null;
}
interface SnapshotData {
  repository: {
    id: string;
    defaultBranchRef: { name: string; target: CommitNode } | null;
    botBranch: { target: CommitNode } | null;
    pullRequests: { nodes: PullRequestNode[] };
    issues: { nodes: { number: number; body: string; author: ActorNode | null }[] };
  };
  organizationConfig: { defaultBranchRef: { target: CommitNode } | null } | null;
}


/**
 * What a run reads first, in one GraphQL query: the default branch and its head, the config file there (and in the
 * owner's `.github` repository, the config plugin's fallback), the app's pull request and branch for the default
 * bot branch, and the open issues (the config-error issue). Documents are named so the memory GitHub can answer them.
 */
const SNAPSHOT_QUERY = `query Osm2linkerdSnapshot($owner: String!, $repo: String!, $configPath: String!, $botBranch: String!, $botRef: String!) {
  repository(owner: $owner, name: $repo) {
    id
    defaultBranchRef { name target { ...HeadCommit ... on Commit { file(path: $configPath) { object { ...ConfigBlob } } } } }
    botBranch: ref(qualifiedName: $botRef) { target { ...HeadCommit } }
    pullRequests(headRefName: $botBranch, first: 10, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { number state merged title body url headRefName headRefOid headRepository { nameWithOwner } headRepositoryOwner { login } author { __typename login } }
    }
    issues(states: OPEN, first: 100, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { number body author { __typename login } } }
  }
  organizationConfig: repository(owner: $owner, name: ".github") {
    defaultBranchRef { target { ... on Commit { file(path: $configPath) { object { ...ConfigBlob } } } } }
  }
}
fragment HeadCommit on GitObject { ... on Commit { oid tree { oid } } }
fragment ConfigBlob on GitObject { __typename ... on Blob { text isBinary isTruncated } }`;

/**
 * A new branch and its commit in one request. Mutation fields run one after the other: `createRef` at the base, then
 * `createCommitOnBranch` with `expectedHeadOid` = the base, a compare-and-swap (GitHub refuses with STALE_DATA when
 * the branch points elsewhere, so a branch someone else created or moved is never written). GitHub signs the commit.
 */
const CREATE_BRANCH_WITH_COMMIT = `mutation Osm2linkerdCreateBranchWithCommit($repositoryId: ID!, $ref: String!, $base: GitObjectID!, $branch: CommittableBranch!, $message: CommitMessage!, $changes: FileChanges!) {
  createRef(input: {repositoryId: $repositoryId, name: $ref, oid: $base}) { ref { name } }
  createCommitOnBranch(input: {branch: $branch, expectedHeadOid: $base, message: $message, fileChanges: $changes}) { commit { oid } }
}`;

const REPOSITORY_ID_QUERY = 'query Osm2linkerdRepositoryId($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { id } }';
const MINIMIZE_COMMENT = 'mutation Osm2linkerdMinimizeComment($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: RESOLVED}) { minimizedComment { isMinimized } } }';

/** Answers of the snapshot query, each handed out once: a second read of the same thing asks GitHub again. */
interface Snapshot {
  defaultBranch?: string;
  branches: Map<string, BranchHead | null>;
  /** The config plugin's answer, or the error it would throw. */
  config?: { readonly raw: unknown } | { readonly error: ConfigFileError };
  pullRequests: Map<string, PullRequestInfo | null>;
  issues?: CommentInfo[];
}

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
  #snapshot: Promise<Snapshot> | undefined;
  /** Set by the first write: from then on every read asks GitHub. */
  #wrote = false;
  #repositoryId: string | undefined;

  constructor(octokit: Octokit, owner: string, repo: string) {
    this.#octokit = octokit;
    this.owner = owner;
    this.repo = repo;
  }

  get #r() {
    return { owner: this.owner, repo: this.repo };
  }

  /**
   * The first read of the default branch, its head, the config, the bot branch, its pull request or the open issues
   * loads them all in one query. Each answer is used once, and none after this port wrote anything: later reads
   * (a re-read before a compare-and-swap, a look after a lost race) always ask GitHub.
   */
  #loadSnapshot(): Promise<Snapshot> {
    this.#snapshot ??= this.#querySnapshot().catch((error: unknown) => {
      this.#snapshot = undefined; // a failed query is asked again by the next read
      throw error;
    });
    return this.#snapshot;
  }

  async #take<K extends 'defaultBranch' | 'config' | 'issues'>(key: K): Promise<Snapshot[K] | undefined> {
    // A port that has written (a command's reaction, say) does not load the snapshot at all.
    if (this.#wrote) return undefined;
    const snapshot = await this.#loadSnapshot();
    if (this.#wrote) return undefined;
    const value = snapshot[key];
    delete snapshot[key];
    return value;
  }

  async #takeFrom<V>(pick: (s: Snapshot) => Map<string, V>, key: string): Promise<V | undefined> {
    if (this.#wrote) return undefined;
    const snapshot = await this.#loadSnapshot();
    const map = pick(snapshot);
    if (this.#wrote || !map.has(key)) return undefined;
    const value = map.get(key);
    map.delete(key);
    return value;
  }

  async #querySnapshot(): Promise<Snapshot> {
    const variables = { ...this.#r, configPath: CONFIG_FILE, botBranch: DEFAULT_BOT_BRANCH, botRef: `refs/heads/${DEFAULT_BOT_BRANCH}` };
    const data = await partialData<SnapshotData>(this.#octokit.graphql<SnapshotData>(SNAPSHOT_QUERY, variables), ['organizationConfig']);
    const { repository } = data;
    this.#repositoryId = repository.id;
    const snapshot: Snapshot = { branches: new Map(), pullRequests: new Map() };
    const head = repository.defaultBranchRef;
    if (head) {
      snapshot.defaultBranch = head.name;
      snapshot.branches.set(head.name, branchHeadOf(head.target));
      try {
        // The config plugin's order: the repository's file, else the owner's `.github` repository's.
        const own = configFileOf(head.target, `${this.owner}/${this.repo}`);
        const fallback = this.repo === '.github' ? null : configFileOf(data.organizationConfig?.defaultBranchRef?.target, `${this.owner}/.github`);
        const chosen = own === null ? fallback : own;
        // `_extends`, and files GraphQL did not give whole, are left to the config plugin.
        if (chosen !== undefined && !(chosen !== null && typeof chosen === 'object' && '_extends' in chosen)) snapshot.config = { raw: chosen };
      } catch (error) {
        if (!(error instanceof ConfigFileError)) throw error;
        snapshot.config = { error };
      }
    }
    snapshot.branches.set(DEFAULT_BOT_BRANCH, repository.botBranch ? branchHeadOf(repository.botBranch.target) : null);
    // As REST's `head=<owner>:<branch>`: the branch of this owner's repository, not a fork's of the same name.
    const pull = repository.pullRequests.nodes.find((p) => p.headRepositoryOwner?.login === this.owner);
    snapshot.pullRequests.set(DEFAULT_BOT_BRANCH, pull ? pullRequestInfoOf(pull) : null);
    snapshot.issues = repository.issues.nodes.map((i) => ({ id: i.number, body: i.body, authorLogin: actorLogin(i.author) }));
    return snapshot;
  }

  async defaultBranch(): Promise<string> {
    const known = await this.#take('defaultBranch');
    if (known !== undefined) return known;
    const { data } = await refusedAsPortError(this.#octokit.rest.repos.get(this.#r));
    return data.default_branch;
  }

  async getBranch(branch: string): Promise<BranchHead | null> {
    const known = await this.#takeFrom((s) => s.branches, branch);
    if (known !== undefined) return known;
    try {
      const { data } = await refusedAsPortError(this.#octokit.rest.repos.getBranch({ ...this.#r, branch }));
      return { commitSha: data.commit.sha, treeSha: data.commit.commit.tree.sha };
    } catch (error) {
      if (error instanceof PortNotFound) return null;
      throw error;
    }
  }

  async listFiles(commitSha: string): Promise<TreeFile[]> {
    const { data } = await refusedAsPortError(this.#octokit.rest.git.getTree({ ...this.#r, tree_sha: commitSha, recursive: 'true' }));
    if (!data.truncated) return blobsOf(data.tree, '');
    // GitHub's documented way out of a truncated recursive tree: walk it one folder at a time.
    const files: TreeFile[] = [];
    const walk = async (treeSha: string, prefix: string): Promise<void> => {
      const { data: level } = await refusedAsPortError(this.#octokit.rest.git.getTree({ ...this.#r, tree_sha: treeSha }));
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
      const fields = batch.map((f, j) => `f${j}: object(expression: ${JSON.stringify(`${commitSha}:${f.path}`)}) { ... on Blob { byteSize text isTruncated isBinary } }`);
      const query = `query Osm2linkerdBlobs($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { ${fields.join(' ')} } }`;
      const result = await this.#octokit.graphql<{ repository: Record<string, BlobNode | null> }>(query, this.#r);
      for (const [j, file] of batch.entries()) {
        const node = result.repository[`f${j}`];
        if (!node) continue;
        if (node.isBinary || node.text === null) {
          unread.set(file.path, 'binary');
          continue;
        }
        // GitHub decodes blobs lossily (bytes that are not UTF-8 become U+FFFD), so the text alone cannot tell a
        // file holding U+FFFD from one holding bad bytes. A text that is whole, free of U+FFFD and as long in UTF-8
        // as the blob's bytes is the blob; anything else is decided from the bytes themselves.
        const exact = !node.isTruncated && !node.text.includes('\uFFFD') && Buffer.byteLength(node.text, 'utf8') === node.byteSize;
        const text = exact ? node.text : strictUtf8(await this.#readBlobBytes(file.sha));
        // Editing a text that is not the file's bytes would rewrite them on lines the migration did not mean to
        // change, so such a file is left alone.
        if (text === undefined) unread.set(file.path, 'invalid-utf8');
        else texts.set(file.path, text);
      }
    }
    return { texts, unread };
  }

  /** A blob's exact bytes (the Git database API answers base64, up to 100 MB). */
  async #readBlobBytes(sha: string): Promise<Buffer> {
    const { data } = await refusedAsPortError(this.#octokit.rest.git.getBlob({ ...this.#r, file_sha: sha }));
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
  }

  async readConfig(path: string): Promise<unknown> {
    if (path === CONFIG_FILE) {
      const known = await this.#take('config');
      if (known && 'error' in known) throw known.error;
      if (known) return known.raw;
    }
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
    this.#wrote = true;
    const tree = writes.map((w) => ('delete' in w
      ? { path: w.path, mode: '100644' as const, type: 'blob' as const, sha: null }
      : { path: w.path, mode: '100644' as const, type: 'blob' as const, content: w.content }));
    const { data } = await refusedAsPortError(this.#octokit.rest.git.createTree({ ...this.#r, base_tree: baseTreeSha, tree }));
    return data.sha;
  }

  async createCommit(message: string, treeSha: string, parents: readonly string[]): Promise<string> {
    this.#wrote = true;
    const { data } = await refusedAsPortError(this.#octokit.rest.git.createCommit({ ...this.#r, message, tree: treeSha, parents: [...parents] }));
    return data.sha;
  }

  async createBranch(branch: string, sha: string): Promise<'created' | 'exists'> {
    this.#wrote = true;
    try {
      await refusedAsPortError(this.#octokit.rest.git.createRef({ ...this.#r, ref: `refs/heads/${branch}`, sha }));
      return 'created';
    } catch (error) {
      if (error instanceof PortConflict && /already exists/i.test(error.message)) return 'exists';
      throw error;
    }
  }

  async createBranchWithCommit(branch: string, baseSha: string, message: string, writes: readonly FileWrite[]): Promise<NewBranchCommit> {
    this.#wrote = true;
    this.#repositoryId ??= (await this.#octokit.graphql<{ repository: { id: string } }>(REPOSITORY_ID_QUERY, this.#r)).repository.id;
    const [headline = '', ...rest] = message.split('\n');
    const variables = {
      repositoryId: this.#repositoryId,
      ref: `refs/heads/${branch}`,
      base: baseSha,
      branch: { repositoryNameWithOwner: `${this.owner}/${this.repo}`, branchName: branch },
      message: { headline, body: rest.join('\n').trim() },
      changes: {
        additions: writes.filter((w) => !('delete' in w)).map((w) => ({ path: w.path, contents: Buffer.from('content' in w ? w.content : '', 'utf8').toString('base64') })),
        deletions: writes.filter((w) => 'delete' in w).map((w) => ({ path: w.path })),
      },
      // Not repeated: a repeat of an applied mutation would find the branch moved and report a lost race.
      request: NOT_REPEATED,
    };
    let data: { createCommitOnBranch: { commit: { oid: string } | null } | null } | undefined;
    let errors: readonly GraphqlError[] = [];
    try {
      data = await this.#octokit.graphql(CREATE_BRANCH_WITH_COMMIT, variables);
    } catch (error) {
      if (!isGraphqlResponseError(error)) throw error;
      ({ data, errors } = error as unknown as { data: typeof data; errors: GraphqlError[] });
    }
    const commit = data?.createCommitOnBranch?.commit?.oid;
    // The ref may have existed already (another run, or a run that died before its commit): the commit still landed
    // if the branch pointed at the base, which is all the compare-and-swap asks.
    if (commit) return { kind: 'pushed', sha: commit };
    const stale = errors.find((e) => e.path?.[0] === 'createCommitOnBranch' && e.type === 'STALE_DATA');
    if (stale) return { kind: 'exists' };
    throw new Error(`could not create ${branch} with its commit: ${errors.map((e) => e.message).join('; ') || 'no commit in the answer'}`);
  }

  async updateBranch(branch: string, sha: string, force: boolean): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.git.updateRef({ ...this.#r, ref: `heads/${branch}`, sha, force }));
  }

  async compare(baseSha: string, headSha: string): Promise<Comparison> {
    const { data } = await refusedAsPortError(this.#octokit.rest.repos.compareCommitsWithBasehead({ ...this.#r, basehead: `${baseSha}...${headSha}` }));
    return { ahead: data.commits.map(commitInfo), behindBy: data.behind_by };
  }

  async findPullRequest(branch: string): Promise<PullRequestInfo | null> {
    const known = await this.#takeFrom((s) => s.pullRequests, branch);
    if (known !== undefined) return known;
    const { data } = await refusedAsPortError(this.#octokit.rest.pulls.list({ ...this.#r, head: `${this.owner}:${branch}`, state: 'all', sort: 'created', direction: 'desc', per_page: 10 }));
    const first = data[0];
    return first ? pullRequestInfo(first) : null;
  }

  async getPullRequest(number: number): Promise<PullRequestInfo> {
    const { data } = await refusedAsPortError(this.#octokit.rest.pulls.get({ ...this.#r, pull_number: number }));
    return pullRequestInfo(data);
  }

  async createPullRequest(input: { title: string; body: string; head: string; base: string; draft: boolean }): Promise<PullRequestInfo> {
    this.#wrote = true;
    const { data } = await refusedAsPortError(this.#octokit.rest.pulls.create({ ...this.#r, ...input, maintainer_can_modify: false }));
    return pullRequestInfo(data);
  }

  async updatePullRequest(number: number, fields: { title?: string; body?: string; state?: 'open' | 'closed'; base?: string }): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.pulls.update({ ...this.#r, pull_number: number, ...fields }));
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    this.#wrote = true;
    if (labels.length > 0) await refusedAsPortError(this.#octokit.rest.issues.addLabels({ ...this.#r, issue_number: number, labels: [...labels] }));
  }

  async requestReviewers(number: number, reviewers: readonly string[]): Promise<void> {
    this.#wrote = true;
    const teams = reviewers.filter((r) => r.includes('/')).map((r) => r.slice(r.indexOf('/') + 1));
    const users = reviewers.filter((r) => !r.includes('/'));
    if (reviewers.length > 0) await refusedAsPortError(this.#octokit.rest.pulls.requestReviewers({ ...this.#r, pull_number: number, reviewers: users, team_reviewers: teams }));
  }

  async pullRequestPatches(number: number): Promise<Map<string, string | undefined>> {
    const files = await refusedAsPortError(this.#octokit.paginate(this.#octokit.rest.pulls.listFiles, { ...this.#r, pull_number: number, per_page: 100 }));
    return new Map(files.map((f) => [f.filename, f.patch]));
  }

  async listReviewComments(number: number): Promise<CommentInfo[]> {
    const comments = await refusedAsPortError(this.#octokit.paginate(this.#octokit.rest.pulls.listReviewComments, { ...this.#r, pull_number: number, per_page: 100 }));
    return comments.map((c) => ({ id: c.id, body: c.body, authorLogin: c.user.login, nodeId: c.node_id }));
  }

  async minimizeComment(nodeId: string): Promise<void> {
    this.#wrote = true;
    await this.#octokit.graphql(MINIMIZE_COMMENT, { id: nodeId });
  }

  async updateReviewComment(id: number, body: string): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.pulls.updateReviewComment({ ...this.#r, comment_id: id, body }));
  }

  async createReview(number: number, commitSha: string, body: string, comments: readonly NewReviewComment[]): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.pulls.createReview({ ...this.#r, pull_number: number, commit_id: commitSha, event: 'COMMENT', body, comments: [...comments], request: NOT_REPEATED }));
  }

  async listReviews(number: number): Promise<CommentInfo[]> {
    const reviews = await refusedAsPortError(this.#octokit.paginate(this.#octokit.rest.pulls.listReviews, { ...this.#r, pull_number: number, per_page: 100 }));
    return reviews.map((r) => ({ id: r.id, body: r.body, authorLogin: r.user?.login ?? null }));
  }

  async createCheckRun(input: { headSha: string; externalId: string; title: string; summary: string; conclusion: string; annotations: readonly CheckAnnotation[] }): Promise<number> {
    this.#wrote = true;
    const { data } = await refusedAsPortError(this.#octokit.rest.checks.create({
      ...this.#r,
      name: CHECK_RUN_NAME,
      head_sha: input.headSha,
      external_id: input.externalId,
      status: 'completed',
      conclusion: input.conclusion as 'success' | 'neutral' | 'action_required' | 'failure',
      output: { title: input.title, summary: input.summary, annotations: [...input.annotations] },
      request: NOT_REPEATED,
    }));
    return data.id;
  }

  async findCheckRun(headSha: string, externalId: string): Promise<number | undefined> {
    const { data } = await refusedAsPortError(this.#octokit.rest.checks.listForRef({ ...this.#r, ref: headSha, check_name: CHECK_RUN_NAME, filter: 'all', per_page: 100 }));
    return data.check_runs.find((c) => c.external_id === externalId)?.id;
  }

  async hasCheckRun(headSha: string): Promise<boolean> {
    const { data } = await refusedAsPortError(this.#octokit.rest.checks.listForRef({ ...this.#r, ref: headSha, check_name: CHECK_RUN_NAME, per_page: 1 }));
    return data.total_count > 0;
  }

  async addCheckRunAnnotations(id: number, title: string, summary: string, annotations: readonly CheckAnnotation[]): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.checks.update({ ...this.#r, check_run_id: id, output: { title, summary, annotations: [...annotations] } }));
  }

  async listIssueComments(number: number): Promise<CommentInfo[]> {
    const comments = await refusedAsPortError(this.#octokit.paginate(this.#octokit.rest.issues.listComments, { ...this.#r, issue_number: number, per_page: 100 }));
    return comments.map((c) => ({ id: c.id, body: c.body ?? '', authorLogin: c.user?.login ?? null }));
  }

  async createIssueComment(number: number, body: string): Promise<number> {
    this.#wrote = true;
    const { data } = await refusedAsPortError(this.#octokit.rest.issues.createComment({ ...this.#r, issue_number: number, body, request: NOT_REPEATED }));
    return data.id;
  }

  async updateIssueComment(id: number, body: string): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.issues.updateComment({ ...this.#r, comment_id: id, body }));
  }

  async addReaction(commentId: number, content: Reaction): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.reactions.createForIssueComment({ ...this.#r, comment_id: commentId, content }));
  }

  async permissionOf(login: string): Promise<Permission> {
    try {
      const { data } = await refusedAsPortError(this.#octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.#r, username: login }));
      const role = (data as { role_name?: string }).role_name ?? data.permission;
      return (['admin', 'maintain', 'write', 'triage', 'read'] as const).find((p) => p === role) ?? 'none';
    } catch (error) {
      if (error instanceof PortNotFound) return 'none';
      throw error;
    }
  }

  async listOwnOpenIssues(botLogin: string): Promise<CommentInfo[]> {
    const known = await this.#take('issues');
    if (known !== undefined) return known.filter((i) => i.authorLogin === botLogin);
    // Not filtered with `creator=`: GitHub does not match app logins there everywhere; the newest 100 are enough.
    const { data } = await refusedAsPortError(this.#octokit.rest.issues.listForRepo({ ...this.#r, state: 'open', sort: 'created', direction: 'desc', per_page: 100 }));
    return data.filter((i) => !i.pull_request && i.user?.login === botLogin).map((i) => ({ id: i.number, body: i.body ?? '', authorLogin: i.user?.login ?? null }));
  }

  async createIssue(title: string, body: string): Promise<number> {
    this.#wrote = true;
    const { data } = await refusedAsPortError(this.#octokit.rest.issues.create({ ...this.#r, title, body, request: NOT_REPEATED }));
    return data.number;
  }

  async updateIssue(number: number, fields: { body?: string; state?: 'open' | 'closed' }): Promise<void> {
    this.#wrote = true;
    await refusedAsPortError(this.#octokit.rest.issues.update({ ...this.#r, issue_number: number, ...fields }));
  }
}

interface GraphqlError { readonly type?: string; readonly path?: readonly (string | number)[]; readonly message: string }

function isGraphqlResponseError(error: unknown): error is Error & { data: unknown; errors: GraphqlError[] } {
  return error instanceof Error && error.name === 'GraphqlResponseError' && 'errors' in error;
}

/**
 * The data of a query whose only errors are NOT_FOUND under `optional` top-level fields (GitHub answers a missing or
 * inaccessible repository that way, with the rest of the data); any other error is thrown.
 */
async function partialData<T>(answer: Promise<T>, optional: readonly string[]): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (!isGraphqlResponseError(error) || !error.data) throw error;
    const tolerated = error.errors.every((e) => e.type === 'NOT_FOUND' && optional.includes(String(e.path?.[0])));
    if (!tolerated) throw error;
    return error.data as T;
  }
}

function branchHeadOf(target: CommitNode): BranchHead | null {
  return target.oid && target.tree ? { commitSha: target.oid, treeSha: target.tree.oid } : null;
}

/**
 * A config file as the config plugin reads it: null when absent, `{}` when empty, the parsed YAML otherwise;
 * undefined when GraphQL did not give it whole (binary, truncated), so the plugin reads it.
 */
function configFileOf(target: CommitNode | undefined, where: string): unknown {
  const object = target?.file?.object;
  if (!object) return null;
  if (object.__typename !== 'Blob') throw new ConfigFileError(`${where}: ${CONFIG_FILE} exists, but is either a directory or a submodule`);
  if (object.isBinary || object.isTruncated || typeof object.text !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(object.text, { logLevel: 'error' }) as unknown;
  } catch {
    throw new ConfigFileError(`Configuration could not be parsed from ${where}/${CONFIG_FILE} (invalid YAML)`);
  }
  if (typeof parsed === 'string') throw new ConfigFileError(`Configuration could not be parsed from ${where}/${CONFIG_FILE} (YAML is not an object)`);
  // As the plugin: an empty file is an empty config, and the result is a shallow copy.
  return Object.assign({}, parsed ?? {});
}

function actorLogin(actor: ActorNode | null): string | null {
  if (!actor) return null;
  return actor.__typename === 'Bot' ? `${actor.login}[bot]` : actor.login;
}

function pullRequestInfoOf(p: PullRequestNode): PullRequestInfo {
  return {
    number: p.number,
    state: p.state === 'OPEN' ? 'open' : 'closed',
    merged: p.merged,
    title: p.title,
    body: p.body,
    headRef: p.headRefName,
    headSha: p.headRefOid,
    headRepository: p.headRepository?.nameWithOwner ?? null,
    authorLogin: actorLogin(p.author),
    url: p.url,
  };
}

/** The text of bytes that are valid UTF-8, else undefined (never a lossy decoding). */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
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

/**
 * A REST request whose refusal (a 4xx: GitHub's verdict on the request itself) becomes the port's typed error, so
 * the run never reads HTTP statuses; a 5xx or a lost connection is passed on as it is (worth another attempt).
 */
async function refusedAsPortError<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const status = statusOf(error);
    if (status === undefined || status >= 500) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (status === 422) throw new PortConflict(message, { cause: error });
    if (status === 404) throw new PortNotFound(message, { cause: error });
    throw new PortRejected(status, message, { cause: error });
  }
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
}
