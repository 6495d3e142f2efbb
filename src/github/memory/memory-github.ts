import { structuredPatch } from 'diff';
import { parsePatch } from '../../core/index.ts';
import { GitStore, type StoredCommit } from './git-store.ts';

/**
 * An in-memory GitHub behind Octokit's `request.fetch`: refs, trees, commits, pull requests, reviews, comments, check
 * runs, issues, permissions and the GraphQL blob query. It behaves like GitHub where the app depends on it (422 on an
 * existing ref, non-fast-forward updates and review lines outside the diff; 404 on missing things) and records every
 * request, so tests and the dry run can show and count the calls.
 */
export const APP_SLUG = 'osm2linkerd';
export const BOT_LOGIN = `${APP_SLUG}[bot]`;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly status: number;
}

export interface PullRequestRecord {
  number: number; state: 'open' | 'closed'; merged: boolean; title: string; body: string; head: string; base: string; draft: boolean;
  labels: string[]; reviewers: string[]; createdAt: number;
  /** Who opened it (the app unless a test says otherwise) and, for a fork's PR, the fork's `owner/name`. */
  author?: string; headRepository?: string;
}
export interface ReviewRecord { id: number; pull: number; body: string; event: string; commitId: string; comments: number }
export interface ReviewCommentRecord { id: number; pull: number; path: string; line: number; side: string; body: string; user: string; minimized?: boolean }
export interface IssueCommentRecord { id: number; issue: number; body: string; user: string }
export interface IssueRecord { number: number; title: string; body: string; state: 'open' | 'closed'; user: string }
export interface CheckRunRecord { id: number; headSha: string; name: string; externalId: string; conclusion: string; title: string; summary: string; annotations: unknown[] }

/** One attempt to deliver a webhook, as `GET /app/hook/deliveries` lists it (the sender records it). */
export interface HookDeliveryRecord {
  readonly id: number;
  /** The `X-GitHub-Delivery` id, the same for every attempt of one delivery. */
  readonly guid: string;
  readonly event: string;
  readonly action: string | null;
  readonly statusCode: number;
  readonly deliveredAt: string;
  readonly redelivery: boolean;
}

/** A failure to inject: the next `times` requests that match answer with `status` (0: the connection fails, as on a timeout). */
export interface InjectedFailure {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** For `POST /graphql`: only the document with this operation name (the app names every one). */
  readonly operation?: string;
  /** GitHub did the work, then the answer was lost (a 502 from a proxy, a dropped connection). */
  readonly afterApplying?: boolean;
  times: number;
}

/**
 * A tree entry that is not a file: a symbolic link to `symlink`, or a submodule at commit `submodule`; or a file given
 * as its bytes (which need not be UTF-8).
 */
export type SpecialEntry = { readonly symlink: string } | { readonly submodule: string } | { readonly bytes: Uint8Array };

export class MemoryRepository {
  readonly git = new GitStore();
  readonly refs = new Map<string, string>();
  readonly pulls: PullRequestRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly reviewComments: ReviewCommentRecord[] = [];
  readonly issueComments: IssueCommentRecord[] = [];
  readonly issues: IssueRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly reactions: { commentId: number; content: string }[] = [];
  readonly permissions = new Map<string, string>();
  #nextNumber = 1;

  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  /** Answer recursive tree reads as GitHub does for huge trees: `truncated: true` with part of the entries. */
  truncateTrees = false;

  constructor(owner: string, name: string, defaultBranch = 'main') {
    this.owner = owner;
    this.name = name;
    this.defaultBranch = defaultBranch;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** The repository's GraphQL node id. */
  get nodeId(): string {
    return `R_${Buffer.from(this.fullName).toString('base64url')}`;
  }

  nextNumber(): number {
    return this.#nextNumber++;
  }

  /**
   * A commit on `branch` by `login` that sets (string) or deletes (null) files, or places a symbolic link or a
   * submodule; returns its sha.
   */
  commitFiles(branch: string, files: Readonly<Record<string, string | null | SpecialEntry>>, login: string, message = 'change files'): string {
    const parent = this.refs.get(branch);
    const current = new Map(parent ? this.git.filesAt(parent) : []);
    const modes = new Map(parent ? this.git.modesOf(this.git.commits.get(parent)?.tree ?? '') : []);
    for (const [path, entry] of Object.entries(files)) {
      modes.delete(path);
      if (entry === null) current.delete(path);
      else if (typeof entry === 'string') current.set(path, this.git.blob(entry));
      else if ('bytes' in entry) current.set(path, this.git.blob(entry.bytes));
      else if ('symlink' in entry) {
        current.set(path, this.git.blob(entry.symlink));
        modes.set(path, '120000');
      } else {
        current.set(path, entry.submodule);
        modes.set(path, '160000');
      }
    }
    const sha = this.git.commit(this.git.tree(current, modes), parent ? [parent] : [], message, login);
    this.refs.set(branch, sha);
    return sha;
  }

  headOf(branch: string): string | undefined {
    return this.refs.get(branch);
  }

  filesOn(branch: string): Map<string, string> {
    const sha = this.refs.get(branch);
    const files = new Map<string, string>();
    for (const [path, blob] of sha ? this.git.filesAt(sha) : []) files.set(path, this.git.blobs.get(blob) ?? '');
    return files;
  }

  /** Per-file unified patches of a pull request, as GitHub's files endpoint gives them (three-dot diff). */
  patches(pull: PullRequestRecord): Map<string, string> {
    const head = this.refs.get(pull.head);
    const base = this.refs.get(pull.base);
    if (!head || !base) return new Map();
    const from = this.git.filesAt(this.git.mergeBase(base, head) ?? base);
    const to = this.git.filesAt(head);
    const patches = new Map<string, string>();
    for (const path of new Set([...from.keys(), ...to.keys()])) {
      if (from.get(path) === to.get(path)) continue;
      const before = this.git.blobs.get(from.get(path) ?? '') ?? '';
      const after = this.git.blobs.get(to.get(path) ?? '') ?? '';
      const patch = structuredPatch(path, path, before, after, '', '', { context: 3 });
      // git (and GitHub) number an empty side from the line before it: `@@ -0,0 +1,12 @@` for a new file.
      const start = (line: number, count: number) => (count === 0 ? line - 1 : line);
      patches.set(path, patch.hunks.map((h) => [`@@ -${start(h.oldStart, h.oldLines)},${h.oldLines} +${start(h.newStart, h.newLines)},${h.newLines} @@`, ...h.lines].join('\n')).join('\n'));
    }
    return patches;
  }
}

type Handler = (repo: MemoryRepository, match: RegExpExecArray, req: { query: Record<string, string>; body: Record<string, unknown> }) => Reply;
interface Reply { status: number; data?: unknown; raw?: string }

export class MemoryGitHub {
  readonly repositories = new Map<string, MemoryRepository>();
  readonly requests: RecordedRequest[] = [];
  readonly failures: InjectedFailure[] = [];
  /** Webhook delivery attempts, oldest first (listed newest first, as GitHub does). */
  readonly hookDeliveries: HookDeliveryRecord[] = [];
  /** Called for `POST /app/hook/deliveries/{id}/attempts`: the test sends the delivery again. */
  onRedeliver: ((delivery: HookDeliveryRecord) => void) | undefined;
  /** Called before each request is answered: lets a test act as a person between two of the app's requests. */
  beforeRequest: ((method: string, path: string, body: Readonly<Record<string, unknown>>) => void) | undefined;
  readonly #routes: [string, RegExp, Handler][] = [];

  constructor() {
    this.#defineRoutes();
  }

  addRepository(owner: string, name: string, files: Readonly<Record<string, string | SpecialEntry>>, defaultBranch = 'main'): MemoryRepository {
    const repo = new MemoryRepository(owner, name, defaultBranch);
    repo.commitFiles(defaultBranch, files, 'octocat', 'initial commit');
    this.repositories.set(repo.fullName, repo);
    return repo;
  }

  repository(fullName: string): MemoryRepository {
    const repo = this.repositories.get(fullName);
    if (!repo) throw new Error(`no repository ${fullName}`);
    return repo;
  }

  /** Records an attempt to deliver a webhook (what GitHub's delivery log would show). */
  recordDelivery(attempt: Omit<HookDeliveryRecord, 'id' | 'deliveredAt' | 'redelivery'> & { deliveredAt?: string }): HookDeliveryRecord {
    const record = {
      ...attempt, id: this.hookDeliveries.length + 1, deliveredAt: attempt.deliveredAt ?? new Date().toISOString(),
      redelivery: this.hookDeliveries.some((d) => d.guid === attempt.guid),
    };
    this.hookDeliveries.push(record);
    return record;
  }

  fail(failure: Omit<InjectedFailure, 'times'> & { times?: number }): void {
    this.failures.push({ ...failure, times: failure.times ?? 1 });
  }

  /** Mutating requests (what the app changed), in order: REST writes and GraphQL mutations. */
  mutations(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/access_tokens') && (r.path !== '/graphql' || graphqlOperation(r.body)?.kind === 'mutation'));
  }

  /** A `fetch` for Octokit's `request.fetch` option. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const text = typeof init?.body === 'string' ? init.body : '';
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const query = Object.fromEntries(url.searchParams);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3/, ''));
    this.beforeRequest?.(method, path, body);
    const reply = this.#answer(method, url.pathname, path, { query, body });
    if (reply.status === 0) {
      this.requests.push({ method, path, query, body: text ? body : undefined, status: 0 });
      throw new TypeError('fetch failed (memory GitHub: injected timeout)');
    }
    this.requests.push({ method, path, query, body: text ? body : undefined, status: reply.status });
    const headers: Record<string, string> = { 'content-type': reply.raw === undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', ...('headers' in reply ? (reply.headers as Record<string, string>) : {}) };
    const response = reply.status === 204 ? new Response(null, { status: 204 }) : new Response(reply.raw ?? JSON.stringify(reply.data ?? {}), { status: reply.status, headers });
    // A real answer knows its URL (Octokit's paginate reads it).
    Object.defineProperty(response, 'url', { value: url.toString() });
    return response;
  };

  #answer(method: string, rawPath: string, path: string, req: { query: Record<string, string>; body: Record<string, unknown> }): Reply & { headers?: Record<string, string> } {
    const operation = graphqlOperation(req.body)?.name;
    const failure = this.failures.find((f) => f.times > 0 && f.method === method && f.path.test(path) && (f.operation === undefined || f.operation === operation));
    if (failure) {
      failure.times--;
      if (failure.afterApplying) this.#route(method, rawPath, path, req);
      return { status: failure.status, data: { message: failure.message ?? 'Server Error' }, headers: { ...failure.headers } };
    }
    return this.#route(method, rawPath, path, req);
  }

  #route(method: string, rawPath: string, path: string, req: { query: Record<string, string>; body: Record<string, unknown> }): Reply & { headers?: Record<string, string> } {
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) return { status: 201, data: { token: 'ghs_memory', expires_at: '2999-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' } };
    if (method === 'GET' && path === '/app') return { status: 200, data: { id: 1, slug: APP_SLUG, name: APP_SLUG, owner: { login: 'osm2linkerd' } } };
    if (method === 'POST' && path === '/graphql') return this.#graphql(req.body);
    if (method === 'GET' && path === '/app/installations') {
      const owners = [...new Set([...this.repositories.values()].map((r) => r.owner))];
      return { status: 200, data: owners.length > 0 ? [{ id: 1, account: userJson(owners[0] ?? ''), app_id: 1, target_type: 'Organization', permissions: {}, events: [] }] : [] };
    }
    if (method === 'GET' && path === '/app/hook/deliveries') return { status: 200, data: [...this.hookDeliveries].reverse().map(deliveryJson) };
    const attempt = method === 'POST' ? /^\/app\/hook\/deliveries\/(\d+)\/attempts$/.exec(path) : null;
    if (attempt) {
      const delivery = this.hookDeliveries.find((d) => d.id === Number(attempt[1]));
      if (!delivery) return notFound();
      queueMicrotask(() => this.onRedeliver?.(delivery));
      return { status: 202, data: {} };
    }
    if (method === 'GET' && path === '/installation/repositories') {
      const repositories = [...this.repositories.values()].map((r) => repositoryJson(r));
      return { status: 200, data: { total_count: repositories.length, repositories } };
    }
    for (const [verb, pattern, handler] of this.#routes) {
      if (verb !== method) continue;
      // Path parameters may hold encoded slashes (branch names): match on the raw path, decode each parameter.
      const match = pattern.exec(rawPath.replace(/^\/api\/v3/, ''));
      if (!match) continue;
      for (let i = 1; i < match.length; i++) match[i] = decodeURIComponent(match[i] ?? '');
      const repo = this.repositories.get(`${match[1]}/${match[2]}`);
      if (!repo) return notFound();
      return handler(repo, match, req);
    }
    return { status: 404, data: { message: `Not Found (memory GitHub has no route for ${method} ${path})` } };
  }

  /**
   * The GraphQL documents the app sends, told apart by operation name (test/github/graphql-documents.test.ts checks
   * each against GitHub's public schema). Answers have GitHub's shapes, errors included: NOT_FOUND for a missing
   * repository (with the rest of the data), STALE_DATA for a commit whose expectedHeadOid is not the branch head.
   */
  #graphql(body: Record<string, unknown>): Reply {
    const query = String(body.query ?? '');
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const operation = graphqlOperation(body)?.name;
    if (operation === 'Osm2linkerdMinimizeComment') return this.#minimize(String(variables.id ?? ''));
    if (operation === 'Osm2linkerdCreateBranchWithCommit') return this.#createBranchWithCommit(variables);
    const repo = this.repositories.get(`${String(variables.owner)}/${String(variables.repo)}`);
    if (!repo) return graphqlErrors({ repository: null }, [notFoundError(['repository'], `${String(variables.owner)}/${String(variables.repo)}`)]);
    if (operation === 'Osm2linkerdSnapshot') return this.#snapshot(repo, variables);
    if (operation === 'Osm2linkerdRepositoryId') return { status: 200, data: { data: { repository: { id: repo.nodeId } } } };
    if (operation !== 'Osm2linkerdBlobs') return graphqlErrors(null, [{ message: `memory GitHub does not answer the operation ${operation ?? '(anonymous)'}` }]);
    const result: Record<string, unknown> = {};
    for (const m of query.matchAll(/(\w+): object\(expression: ("(?:[^"\\]|\\.)*")\)/g)) {
      const expression = JSON.parse(m[2] ?? '""') as string;
      const colon = expression.indexOf(':');
      const blob = repo.git.filesAt(expression.slice(0, colon)).get(expression.slice(colon + 1));
      result[m[1] ?? ''] = blob === undefined ? null : blobJson(repo, blob);
    }
    return { status: 200, data: { data: { repository: result } } };
  }

  #snapshot(repo: MemoryRepository, variables: Record<string, unknown>): Reply {
    const configPath = String(variables.configPath);
    const commitWithConfig = (r: MemoryRepository) => {
      const sha = r.refs.get(r.defaultBranch);
      const commit = sha ? r.git.commits.get(sha) : undefined;
      if (!commit) return null;
      const blob = r.git.trees.get(commit.tree)?.get(configPath);
      return { name: r.defaultBranch, target: { oid: commit.sha, tree: { oid: commit.tree }, file: blob === undefined ? null : { object: { __typename: 'Blob', ...blobJson(r, blob) } } } };
    };
    const botBranch = String(variables.botRef).replace(/^refs\/heads\//, '');
    const botSha = repo.refs.get(botBranch);
    const botCommit = botSha ? repo.git.commits.get(botSha) : undefined;
    const pulls = repo.pulls.filter((p) => p.head === String(variables.botBranch)).sort((a, b) => b.createdAt - a.createdAt).slice(0, 10);
    const issues = repo.issues.filter((i) => i.state === 'open').reverse().slice(0, 100);
    const data = {
      repository: {
        id: repo.nodeId,
        defaultBranchRef: commitWithConfig(repo),
        botBranch: botCommit ? { target: { oid: botCommit.sha, tree: { oid: botCommit.tree } } } : null,
        pullRequests: { nodes: pulls.map((p) => pullRequestNode(repo, p)) },
        issues: { nodes: issues.map((i) => ({ number: i.number, body: i.body, author: actorJson(i.user) })) },
      },
      organizationConfig: null as unknown,
    };
    const org = this.repositories.get(`${repo.owner}/.github`);
    if (!org) return graphqlErrors(data, [notFoundError(['organizationConfig'], `${repo.owner}/.github`)]);
    const orgHead = commitWithConfig(org);
    data.organizationConfig = { defaultBranchRef: orgHead ? { target: { file: orgHead.target.file } } : null };
    return { status: 200, data: { data } };
  }

  /** `createRef`, then `createCommitOnBranch`, in order, each failing on its own as GitHub's mutations do. */
  #createBranchWithCommit(variables: Record<string, unknown>): Reply {
    const repo = [...this.repositories.values()].find((r) => r.nodeId === variables.repositoryId);
    if (!repo) return graphqlErrors({ createRef: null, createCommitOnBranch: null }, [{ type: 'NOT_FOUND', path: ['createRef'], message: `Could not resolve to a node with the global id of '${String(variables.repositoryId)}'` }]);
    const errors: Record<string, unknown>[] = [];
    const data: Record<string, unknown> = {};
    const ref = String(variables.ref);
    const branch = ref.replace(/^refs\/heads\//, '');
    const base = String(variables.base);
    if (repo.refs.has(branch)) {
      data.createRef = null;
      errors.push({ type: 'UNPROCESSABLE', path: ['createRef'], message: `A ref named "${ref}" already exists in the repository.` });
    } else if (!repo.git.commits.has(base)) {
      data.createRef = null;
      errors.push({ type: 'UNPROCESSABLE', path: ['createRef'], message: 'Object does not exist' });
    } else {
      repo.refs.set(branch, base);
      data.createRef = { ref: { name: branch } };
    }
    const target = variables.branch as { repositoryNameWithOwner?: string; branchName?: string };
    const into = this.repositories.get(target.repositoryNameWithOwner ?? '');
    const head = into?.refs.get(target.branchName ?? '');
    if (!into || head === undefined) {
      data.createCommitOnBranch = null;
      errors.push({ type: 'NOT_FOUND', path: ['createCommitOnBranch'], message: `Could not resolve to a Ref named "${target.branchName ?? ''}"` });
    } else if (head !== base) {
      data.createCommitOnBranch = null;
      errors.push({ type: 'STALE_DATA', path: ['createCommitOnBranch'], message: `Expected branch to point to "${base}" but it did not.  Pull and try again.` });
    } else {
      const changes = variables.changes as { additions?: { path: string; contents: string }[]; deletions?: { path: string }[] };
      const parent = into.git.commits.get(head);
      const files = new Map(into.git.trees.get(parent?.tree ?? '') ?? []);
      const modes = new Map(into.git.modesOf(parent?.tree ?? ''));
      for (const d of changes.deletions ?? []) {
        files.delete(d.path);
        modes.delete(d.path);
      }
      for (const a of changes.additions ?? []) {
        files.set(a.path, into.git.blob(new Uint8Array(Buffer.from(a.contents, 'base64'))));
        modes.delete(a.path);
      }
      const message = variables.message as { headline: string; body?: string };
      // Authored by the app; committed and signed by GitHub (web-flow), as every API commit of an app is.
      const sha = into.git.commit(into.git.tree(files, modes), [head], message.body ? `${message.headline}\n\n${message.body}` : message.headline, BOT_LOGIN, 'web-flow', true);
      into.refs.set(target.branchName ?? '', sha);
      data.createCommitOnBranch = { commit: { oid: sha } };
    }
    return errors.length > 0 ? graphqlErrors(data, errors) : { status: 200, data: { data } };
  }

  #minimize(nodeId: string): Reply {
    for (const repo of this.repositories.values()) {
      const comment = repo.reviewComments.find((c) => `RC_${c.id}` === nodeId);
      if (comment) {
        comment.minimized = true;
        return { status: 200, data: { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } } };
      }
    }
    return graphqlErrors({ minimizeComment: null }, [{ type: 'NOT_FOUND', path: ['minimizeComment'], message: `Could not resolve to a node with the global id of '${nodeId}'` }]);
  }

  #define(method: string, pattern: string, handler: Handler): void {
    const re = new RegExp(`^/repos/([^/]+)/([^/]+)${pattern.replace(/:(\w+)/g, '([^/]+)')}$`);
    this.#routes.push([method, re, handler]);
  }

  #defineRoutes(): void {
    const r = this.#define.bind(this);
    r('GET', '', (repo) => ({ status: 200, data: repositoryJson(repo) }));
    r('GET', '/branches/:branch', (repo, m) => {
      const sha = repo.refs.get(m[3] ?? '');
      const commit = sha ? repo.git.commits.get(sha) : undefined;
      return commit ? { status: 200, data: { name: m[3], commit: { sha: commit.sha, commit: { tree: { sha: commit.tree }, message: commit.message } }, protected: false } } : notFound('Branch not found');
    });
    r('GET', '/git/blobs/:sha', (repo, m) => {
      const bytes = repo.git.bytesOf(m[3] ?? '');
      return bytes ? { status: 200, data: { sha: m[3], node_id: '', url: '', size: bytes.length, encoding: 'base64', content: bytes.toString('base64') } } : notFound();
    });
    r('GET', '/git/trees/:sha', (repo, m, req) => treeJson(repo, m[3] ?? '', req.query.recursive !== undefined));
    r('POST', '/git/trees', (repo, _m, req) => {
      const base = repo.git.trees.get(String(req.body.base_tree ?? ''));
      if (req.body.base_tree && !base) return { status: 422, data: { message: 'base_tree is not a valid tree' } };
      const files = new Map(base ?? []);
      const modes = new Map(repo.git.modesOf(String(req.body.base_tree ?? '')));
      for (const entry of req.body.tree as { path: string; mode?: string; sha?: string | null; content?: string }[]) {
        modes.delete(entry.path);
        if (entry.content !== undefined) files.set(entry.path, repo.git.blob(entry.content));
        else if (entry.sha === null) files.delete(entry.path);
        else if (entry.sha) files.set(entry.path, entry.sha);
        if (entry.mode === '100755' || entry.mode === '120000' || entry.mode === '160000') modes.set(entry.path, entry.mode);
      }
      const sha = repo.git.tree(files, modes);
      return { status: 201, data: { sha, url: '', truncated: false, tree: [] } };
    });
    r('POST', '/git/commits', (repo, _m, req) => {
      const tree = String(req.body.tree);
      const parents = (req.body.parents as string[] | undefined) ?? [];
      if (!repo.git.trees.has(tree) || parents.some((p) => !repo.git.commits.has(p))) return { status: 422, data: { message: 'Tree or parent SHA does not exist' } };
      // As on GitHub: an app's API commit is authored by the app and committed and signed by GitHub (web-flow).
      const sha = repo.git.commit(tree, parents, String(req.body.message), BOT_LOGIN, 'web-flow', true);
      return { status: 201, data: commitJson(repo.git.commits.get(sha)) };
    });
    r('POST', '/git/refs', (repo, _m, req) => {
      const branch = String(req.body.ref).replace(/^refs\/heads\//, '');
      if (repo.refs.has(branch)) return { status: 422, data: { message: 'Reference already exists' } };
      if (!repo.git.commits.has(String(req.body.sha))) return { status: 422, data: { message: 'Object does not exist' } };
      repo.refs.set(branch, String(req.body.sha));
      return { status: 201, data: refJson(repo, branch) };
    });
    r('PATCH', '/git/refs/(.+)', (repo, m, req) => {
      const branch = (m[3] ?? '').replace(/^heads\//, '');
      const current = repo.refs.get(branch);
      if (!current) return { status: 422, data: { message: 'Reference does not exist' } };
      const next = String(req.body.sha);
      if (!req.body.force && !repo.git.ancestors(next).has(current)) return { status: 422, data: { message: 'Update is not a fast forward' } };
      repo.refs.set(branch, next);
      return { status: 200, data: refJson(repo, branch) };
    });
    r('GET', '/compare/(.+)\\.\\.\\.(.+)', (repo, m) => {
      const [base, head] = [resolve(repo, m[3] ?? ''), resolve(repo, m[4] ?? '')];
      if (!base || !head) return notFound();
      const ahead = repo.git.aheadOf(base, head);
      const behind = repo.git.aheadOf(head, base);
      return { status: 200, data: { status: 'diverged', ahead_by: ahead.length, behind_by: behind.length, total_commits: ahead.length, commits: ahead.map(commitJson), files: [] } };
    });
    r('GET', '/pulls', (repo, _m, req) => {
      // `head=user:branch` as on GitHub: a fork's branch of the same name belongs to another user.
      const [headOwner, head] = req.query.head?.split(':') ?? [];
      const state = req.query.state ?? 'open';
      const list = repo.pulls.filter((p) => (!head || (p.head === head && (p.headRepository?.split('/')[0] ?? repo.owner) === headOwner)) && (state === 'all' || p.state === state)).sort((a, b) => b.createdAt - a.createdAt);
      return { status: 200, data: list.map((p) => pullJson(repo, p)) };
    });
    r('POST', '/pulls', (repo, _m, req) => {
      const head = String(req.body.head);
      if (!repo.refs.has(head)) return { status: 422, data: { message: 'Validation Failed', errors: [{ field: 'head', code: 'invalid' }] } };
      if (repo.pulls.some((p) => p.head === head && p.state === 'open')) return { status: 422, data: { message: `A pull request already exists for ${repo.owner}:${head}.` } };
      const pull: PullRequestRecord = {
        number: repo.nextNumber(), state: 'open', merged: false, title: String(req.body.title), body: String(req.body.body ?? ''), head,
        base: String(req.body.base), draft: req.body.draft === true, labels: [], reviewers: [], createdAt: repo.pulls.length,
      };
      repo.pulls.push(pull);
      return { status: 201, data: pullJson(repo, pull) };
    });
    r('GET', '/pulls/:n', (repo, m) => withPull(repo, m[3], (p) => ({ status: 200, data: pullJson(repo, p) })));
    r('PATCH', '/pulls/:n', (repo, m, req) => withPull(repo, m[3], (p) => {
      if (req.body.state === 'open' && p.state === 'closed') {
        if (!repo.refs.has(p.head)) return { status: 422, data: { message: 'state cannot be changed. The head branch was deleted.' } };
        if (p.merged) return { status: 422, data: { message: 'state cannot be changed. The pull request has been merged.' } };
      }
      if (typeof req.body.title === 'string') p.title = req.body.title;
      if (typeof req.body.body === 'string') p.body = req.body.body;
      if (typeof req.body.base === 'string') {
        if (!repo.refs.has(req.body.base)) return { status: 422, data: { message: `base ${req.body.base} does not exist` } };
        p.base = req.body.base;
      }
      if (req.body.state === 'open' || req.body.state === 'closed') p.state = req.body.state;
      return { status: 200, data: pullJson(repo, p) };
    }));
    r('GET', '/pulls/:n/files', (repo, m) => withPull(repo, m[3], (p) => ({
      status: 200, data: [...repo.patches(p)].map(([filename, patch]) => ({ sha: '', filename, status: 'modified', additions: 0, deletions: 0, changes: 0, blob_url: '', raw_url: '', contents_url: '', patch })),
    })));
    r('GET', '/pulls/:n/comments', (repo, m) => ({ status: 200, data: repo.reviewComments.filter((c) => c.pull === Number(m[3])).map(reviewCommentJson) }));
    r('PATCH', '/pulls/comments/:id', (repo, m, req) => {
      const comment = repo.reviewComments.find((c) => c.id === Number(m[3]));
      if (!comment) return notFound();
      comment.body = String(req.body.body);
      return { status: 200, data: reviewCommentJson(comment) };
    });
    r('POST', '/pulls/:n/reviews', (repo, m, req) => withPull(repo, m[3], (p) => {
      const patches = repo.patches(p);
      const comments = (req.body.comments as { path: string; line: number; side: string; body: string }[] | undefined) ?? [];
      for (const c of comments) {
        const lines = parsePatch(patches.get(c.path) ?? '');
        const onDiff = c.side === 'LEFT' ? lines.removed.has(c.line) : lines.added.has(c.line);
        if (!onDiff) return { status: 422, data: { message: 'Unprocessable Entity', errors: [`Line could not be resolved: ${c.path}:${c.line} (${c.side})`] } };
      }
      const review: ReviewRecord = { id: repo.nextNumber() * 1000, pull: p.number, body: String(req.body.body ?? ''), event: String(req.body.event), commitId: String(req.body.commit_id), comments: comments.length };
      repo.reviews.push(review);
      for (const c of comments) repo.reviewComments.push({ id: repo.nextNumber() * 1000 + 1, pull: p.number, path: c.path, line: c.line, side: c.side, body: c.body, user: BOT_LOGIN });
      return { status: 200, data: { id: review.id, body: review.body, state: 'COMMENTED', commit_id: review.commitId, user: userJson(BOT_LOGIN) } };
    }));
    r('GET', '/pulls/:n/reviews', (repo, m) => withPull(repo, m[3], (p) => ({
      status: 200, data: repo.reviews.filter((rv) => rv.pull === p.number).map((rv) => ({ id: rv.id, body: rv.body, state: 'COMMENTED', commit_id: rv.commitId, user: userJson(BOT_LOGIN) })),
    })));
    r('POST', '/pulls/:n/requested_reviewers', (repo, m, req) => withPull(repo, m[3], (p) => {
      p.reviewers.push(...((req.body.reviewers as string[] | undefined) ?? []), ...((req.body.team_reviewers as string[] | undefined) ?? []).map((t) => `team:${t}`));
      return { status: 201, data: pullJson(repo, p) };
    }));
    r('POST', '/issues/:n/labels', (repo, m, req) => withPull(repo, m[3], (p) => {
      p.labels.push(...(req.body.labels as string[]));
      return { status: 200, data: p.labels.map((name) => ({ name })) };
    }));
    r('POST', '/check-runs', (repo, _m, req) => {
      const output = (req.body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
      const run: CheckRunRecord = { id: repo.nextNumber() * 1000 + 2, headSha: String(req.body.head_sha), name: String(req.body.name), externalId: String(req.body.external_id ?? ''), conclusion: String(req.body.conclusion ?? ''), title: output.title ?? '', summary: output.summary ?? '', annotations: [...(output.annotations ?? [])] };
      repo.checkRuns.push(run);
      return { status: 201, data: { id: run.id, head_sha: run.headSha, name: run.name, conclusion: run.conclusion } };
    });
    r('GET', '/commits/:ref/check-runs', (repo, m, req) => {
      const runs = repo.checkRuns.filter((c) => c.headSha === (resolve(repo, m[3] ?? '') ?? m[3]) && (!req.query.check_name || c.name === req.query.check_name));
      return { status: 200, data: { total_count: runs.length, check_runs: runs.map((c) => ({ id: c.id, name: c.name, head_sha: c.headSha, external_id: c.externalId, conclusion: c.conclusion })) } };
    });
    r('PATCH', '/check-runs/:id', (repo, m, req) => {
      const run = repo.checkRuns.find((c) => c.id === Number(m[3]));
      if (!run) return notFound();
      run.annotations.push(...(((req.body.output ?? {}) as { annotations?: unknown[] }).annotations ?? []));
      return { status: 200, data: { id: run.id } };
    });
    r('GET', '/issues/:n/comments', (repo, m) => ({ status: 200, data: repo.issueComments.filter((c) => c.issue === Number(m[3])).map(issueCommentJson) }));
    r('POST', '/issues/:n/comments', (repo, m, req) => {
      const comment: IssueCommentRecord = { id: repo.nextNumber() * 1000 + 3, issue: Number(m[3]), body: String(req.body.body), user: BOT_LOGIN };
      repo.issueComments.push(comment);
      return { status: 201, data: issueCommentJson(comment) };
    });
    r('PATCH', '/issues/comments/:id', (repo, m, req) => {
      const comment = repo.issueComments.find((c) => c.id === Number(m[3]));
      if (!comment) return notFound();
      comment.body = String(req.body.body);
      return { status: 200, data: issueCommentJson(comment) };
    });
    r('POST', '/issues/comments/:id/reactions', (repo, m, req) => {
      repo.reactions.push({ commentId: Number(m[3]), content: String(req.body.content) });
      return { status: 201, data: { id: 1, content: req.body.content, user: userJson(BOT_LOGIN) } };
    });
    r('GET', '/collaborators/:user/permission', (repo, m) => {
      const role = repo.permissions.get(m[3] ?? '') ?? 'read';
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return { status: 200, data: { permission, role_name: role, user: userJson(m[3] ?? '') } };
    });
    r('GET', '/issues', (repo, _m, req) => ({
      status: 200,
      data: repo.issues.filter((i) => (req.query.state ?? 'open') === i.state && (!req.query.creator || req.query.creator === i.user)).map((i) => issueJson(repo, i)),
    }));
    r('POST', '/issues', (repo, _m, req) => {
      const issue: IssueRecord = { number: repo.nextNumber(), title: String(req.body.title), body: String(req.body.body ?? ''), state: 'open', user: BOT_LOGIN };
      repo.issues.push(issue);
      return { status: 201, data: issueJson(repo, issue) };
    });
    r('PATCH', '/issues/:n', (repo, m, req) => {
      const issue = repo.issues.find((i) => i.number === Number(m[3]));
      if (!issue) return notFound();
      if (typeof req.body.body === 'string') issue.body = req.body.body;
      if (req.body.state === 'open' || req.body.state === 'closed') issue.state = req.body.state;
      return { status: 200, data: issueJson(repo, issue) };
    });
    r('GET', '/contents/(.+)', (repo, m, req) => {
      const ref = req.query.ref ?? repo.defaultBranch;
      const sha = repo.refs.get(ref) ?? ref;
      const text = repo.git.textAt(sha, m[3] ?? '');
      return text === undefined ? notFound() : { status: 200, raw: text };
    });
  }
}

/** The kind and name of a GraphQL request's operation (the app names every document). */
export function graphqlOperation(body: unknown): { kind: 'query' | 'mutation'; name: string } | undefined {
  const match = /^\s*(query|mutation)\s+(\w+)/.exec(String((body as { query?: unknown } | undefined)?.query ?? ''));
  return match ? { kind: match[1] === 'mutation' ? 'mutation' : 'query', name: match[2] ?? '' } : undefined;
}

function graphqlErrors(data: unknown, errors: readonly Record<string, unknown>[]): Reply {
  return { status: 200, data: { data, errors } };
}

function notFoundError(path: readonly string[], fullName: string): Record<string, unknown> {
  return { type: 'NOT_FOUND', path, message: `Could not resolve to a Repository with the name '${fullName}'.` };
}

/**
 * A Blob as GraphQL gives it: `byteSize` of the bytes, `text` decoded lossily (U+FFFD for bytes that are not
 * UTF-8), no text for a blob with NUL bytes (GitHub calls it binary).
 */
function blobJson(repo: MemoryRepository, sha: string) {
  const bytes = repo.git.bytesOf(sha) ?? Buffer.alloc(0);
  const isBinary = bytes.includes(0);
  return { byteSize: bytes.length, text: isBinary ? null : (repo.git.blobs.get(sha) ?? ''), isTruncated: false, isBinary };
}

/** An Actor: GraphQL names a Bot without the `[bot]` suffix REST gives its login. */
function actorJson(login: string) {
  return login.endsWith('[bot]') ? { __typename: 'Bot', login: login.slice(0, -'[bot]'.length) } : { __typename: 'User', login };
}

function pullRequestNode(repo: MemoryRepository, p: PullRequestRecord) {
  const headRepository = p.headRepository ?? repo.fullName;
  return {
    number: p.number, state: p.merged ? 'MERGED' : p.state === 'open' ? 'OPEN' : 'CLOSED', merged: p.merged, title: p.title, body: p.body,
    url: `https://github.com/${repo.fullName}/pull/${p.number}`, headRefName: p.head, headRefOid: repo.refs.get(p.head) ?? '',
    headRepository: { nameWithOwner: headRepository }, headRepositoryOwner: { login: headRepository.split('/')[0] ?? '' }, author: actorJson(p.author ?? BOT_LOGIN),
  };
}

function notFound(message = 'Not Found'): Reply {
  return { status: 404, data: { message } };
}

function resolve(repo: MemoryRepository, refOrSha: string): string | undefined {
  return repo.refs.get(refOrSha) ?? (repo.git.commits.has(refOrSha) ? refOrSha : undefined);
}

function withPull(repo: MemoryRepository, number: string | undefined, then: (p: PullRequestRecord) => Reply): Reply {
  const pull = repo.pulls.find((p) => p.number === Number(number));
  return pull ? then(pull) : notFound();
}

function userJson(login: string) {
  return { login, id: login.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}

function deliveryJson(d: HookDeliveryRecord) {
  const ok = d.statusCode >= 200 && d.statusCode < 300;
  return {
    id: d.id, guid: d.guid, delivered_at: d.deliveredAt, redelivery: d.redelivery, duration: 0.1, status: ok ? 'OK' : d.statusCode === 0 ? 'timed out' : 'Invalid HTTP Response: ' + d.statusCode,
    status_code: d.statusCode, event: d.event, action: d.action, installation_id: 1, repository_id: null,
  };
}

function repositoryJson(repo: MemoryRepository) {
  return { id: 1, name: repo.name, full_name: repo.fullName, owner: userJson(repo.owner), default_branch: repo.defaultBranch, private: false };
}

function refJson(repo: MemoryRepository, branch: string) {
  return { ref: `refs/heads/${branch}`, node_id: '', url: '', object: { type: 'commit', sha: repo.refs.get(branch) ?? '', url: '' } };
}

function commitJson(c: StoredCommit | undefined) {
  if (!c) return {};
  return {
    sha: c.sha, tree: { sha: c.tree }, parents: c.parents.map((sha) => ({ sha })), message: c.message,
    commit: {
      message: c.message, author: { name: c.author, email: '' }, committer: { name: c.committer, email: '' }, tree: { sha: c.tree },
      verification: { verified: c.verified, reason: c.verified ? 'valid' : 'unsigned', signature: null, payload: null },
    },
    author: userJson(c.author), committer: userJson(c.committer),
  };
}

function treeJson(repo: MemoryRepository, sha: string, recursive: boolean): Reply {
  // A folder of a tree is addressed as `<tree sha>~<folder path>` (real GitHub gives folders their own sha).
  const [rootSha = '', folder = ''] = sha.split('~');
  const treeSha = repo.git.commits.get(rootSha)?.tree ?? rootSha;
  const files = repo.git.trees.get(treeSha);
  if (!files) return notFound();
  const modes = repo.git.modesOf(treeSha);
  const entries = [...files].map(([path, sha]) => {
    const mode = modes.get(path) ?? '100644';
    // As GitHub lists them: a submodule is a `commit` entry without a size; a link is a blob holding its target.
    return mode === '160000' ? { path, mode, type: 'commit', sha } : { path, mode, type: 'blob', sha, size: repo.git.bytesOf(sha)?.length ?? 0 };
  });
  if (recursive) {
    const shown = repo.truncateTrees ? entries.slice(0, Math.floor(entries.length / 2)) : entries;
    return { status: 200, data: { sha: treeSha, url: '', truncated: repo.truncateTrees, tree: shown } };
  }
  const prefix = folder ? `${folder}/` : '';
  const level = new Map<string, { path: string; mode: string; type: string; sha: string; size?: number }>();
  for (const e of entries) {
    if (!e.path.startsWith(prefix)) continue;
    const rest = e.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) level.set(rest, { ...e, path: rest });
    else level.set(rest.slice(0, slash), { path: rest.slice(0, slash), mode: '040000', type: 'tree', sha: `${treeSha}~${prefix}${rest.slice(0, slash)}` });
  }
  return { status: 200, data: { sha, url: '', truncated: false, tree: [...level.values()] } };
}

function pullJson(repo: MemoryRepository, p: PullRequestRecord) {
  return {
    number: p.number, state: p.state, merged_at: p.merged ? '2026-01-01T00:00:00Z' : null, title: p.title, body: p.body, draft: p.draft,
    html_url: `https://github.com/${repo.fullName}/pull/${p.number}`,
    head: { ref: p.head, sha: repo.refs.get(p.head) ?? '', repo: p.headRepository ? { ...repositoryJson(repo), full_name: p.headRepository } : repositoryJson(repo) },
    base: { ref: p.base, sha: repo.refs.get(p.base) ?? '' }, labels: p.labels.map((name) => ({ name })), user: userJson(p.author ?? BOT_LOGIN),
  };
}

function reviewCommentJson(c: ReviewCommentRecord) {
  return { id: c.id, node_id: `RC_${c.id}`, path: c.path, line: c.line, side: c.side, body: c.body, user: userJson(c.user) };
}

function issueCommentJson(c: IssueCommentRecord) {
  return { id: c.id, body: c.body, user: userJson(c.user) };
}

function issueJson(repo: MemoryRepository, i: IssueRecord) {
  return { number: i.number, title: i.title, body: i.body, state: i.state, user: userJson(i.user), html_url: `https://github.com/${repo.fullName}/issues/${i.number}` };
}
