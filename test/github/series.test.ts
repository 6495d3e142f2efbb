import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { migrate } from '../../src/core/index.ts';
import { run } from '../../src/cli/main.ts';
import { BOT_LOGIN, type MemoryRepository, type PullRequestRecord } from '../../src/github/memory/memory-github.ts';
import { readSeriesState } from '../../src/github/state.ts';
import { SERIES_MARKER } from '../../src/github/series-text.ts';
import { commentOnPullRequest, harness, installationCreated, openApiViolations, pullRequestMerged, pushToDefault, type Harness } from '../support/github.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

/** examples/shop: four namespaces, a call cycle between orders and inventory (its README). */
const shop = () => Object.fromEntries(readTree(`${EXAMPLES}shop`));
const PHASED = { '.github/osm2linkerd.yml': stringify({ strategy: 'phased' }) };
const PHASES = ['00-bridge', '01-payments', '02-inventory-orders', '03-storefront', '04-lock-down'];
const branch = (id: string) => `osm2linkerd/migrate-${id}`;

afterEach(() => {
  expect(openApiViolations()).toEqual([]);
});

async function installed(files: Record<string, string> = { ...shop(), ...PHASED }): Promise<{ h: Harness; repo: MemoryRepository }> {
  const h = await harness();
  const repo = h.github.addRepository('acme', 'shop', files);
  await h.deliver(installationCreated(repo));
  return { h, repo };
}

function phasePull(repo: MemoryRepository, id: string): PullRequestRecord {
  const pulls = repo.pulls.filter((p) => p.head === branch(id));
  expect(pulls).toHaveLength(1);
  const pull = pulls[0];
  if (!pull) throw new Error(`no PR for ${id}`);
  return pull;
}

function tracking(repo: MemoryRepository) {
  const issues = repo.issues.filter((i) => i.body.includes(SERIES_MARKER));
  expect(issues).toHaveLength(1);
  const issue = issues[0];
  if (!issue) throw new Error('no tracking issue');
  return { issue, state: readSeriesState(issue.body) };
}

/** The phased plan as the CLI computes it from the same files (the core is the oracle). */
function planOf(files: Record<string, string>) {
  return migrate(new Map(Object.entries(files)), { strategy: 'phased' });
}

/** What the PR's diff shows: the files it changes, as GitHub's files endpoint (three-dot diff against its base). */
function changedBy(repo: MemoryRepository, pull: PullRequestRecord): string[] {
  return [...repo.patches(pull).keys()].sort();
}

/** A squash merge as GitHub does it: the default branch gets one commit with the PR head's tree; then the event. */
async function merge(h: Harness, repo: MemoryRepository, pull: PullRequestRecord, push = true): Promise<string[]> {
  const head = repo.filesOn(pull.head);
  const main = repo.filesOn(repo.defaultBranch);
  const changes: Record<string, string | null> = {};
  for (const [path, text] of head) if (main.get(path) !== text) changes[path] = text;
  for (const path of main.keys()) if (!head.has(path)) changes[path] = null;
  repo.commitFiles(repo.defaultBranch, changes, 'octocat', `${pull.title} (#${pull.number})`);
  pull.state = 'closed';
  pull.merged = true;
  await h.deliver(pullRequestMerged(repo, pull.number));
  if (push) await h.deliver(pushToDefault(repo, Object.keys(changes)));
  return Object.keys(changes);
}

describe('strategy phased: a stacked series of pull requests', () => {
  it('the first scan opens one PR per phase, each based on the one before, and one tracking issue', async () => {
    const { h, repo } = await installed();
    const plan = planOf({ ...shop(), ...PHASED });
    expect(plan.phases?.map((p) => p.id)).toEqual(PHASES);
    expect(repo.pulls).toHaveLength(PHASES.length);
    PHASES.forEach((id, i) => {
      const pull = phasePull(repo, id);
      expect(pull.base).toBe(i === 0 ? 'main' : branch(PHASES[i - 1] ?? ''));
      expect(pull.state).toBe('open');
      expect(pull.title).toContain(`phase ${i} of ${PHASES.length - 1}`);
      // Each PR shows its phase alone: exactly the files the plan's phase changes.
      expect(changedBy(repo, pull)).toEqual((plan.phases?.[i]?.files ?? []).map((f) => f.path).sort());
    });
    for (const [previous, id] of PHASES.slice(1).map((id, i) => [PHASES[i] ?? '', id] as const)) {
      expect(phasePull(repo, id).body).toContain(`Merge #${phasePull(repo, previous).number} (phase ${previous}) first`);
    }
    expect(phasePull(repo, '00-bridge').body).not.toContain('first. This pull request is based on');
    // The last branch holds the forklift translation exactly.
    const forklift = migrate(new Map(Object.entries({ ...shop(), ...PHASED })));
    const last = repo.filesOn(branch('04-lock-down'));
    for (const f of forklift.files) expect(last.get(f.path)).toBe(f.action === 'delete' ? undefined : f.content);
    const { issue, state } = tracking(repo);
    expect(issue.state).toBe('open');
    expect(state?.base).toBe(repo.headOf('main'));
    expect(state?.phases.map((p) => [p.id, p.status, p.pullRequest])).toEqual(PHASES.map((id) => [id, 'open', phasePull(repo, id).number]));
    for (const id of PHASES) expect(issue.body).toContain(`- [ ] **${id}**`);
    expect(issue.body).toContain(`open #${phasePull(repo, '01-payments').number}`);
    // A review and a check run per phase; nothing on the default branch.
    expect(new Set(repo.checkRuns.map((c) => c.headSha))).toEqual(new Set(PHASES.map((id) => repo.headOf(branch(id)))));
    expect(h.github.mutations().some((m) => m.path.endsWith('/git/refs/heads/main'))).toBe(false);
    expect(repo.pulls.some((p) => p.head === 'osm2linkerd/migrate')).toBe(false);
  });

  it('three redeliveries of the same push change nothing', async () => {
    const { h, repo } = await installed();
    const writes = h.github.mutations().length;
    const heads = PHASES.map((id) => repo.headOf(branch(id)));
    const issueBody = tracking(repo).issue.body;
    for (let i = 0; i < 3; i++) await h.deliver({ ...pushToDefault(repo, ['orders.yaml']), id: `redelivery-${i}` });
    expect(h.github.mutations()).toHaveLength(writes);
    expect(PHASES.map((id) => repo.headOf(branch(id)))).toEqual(heads);
    expect(tracking(repo).issue.body).toBe(issueBody);
    expect(repo.pulls).toHaveLength(PHASES.length);
    expect(h.app.outcomes.at(-1)?.status).toBe('unchanged');
  });

  it('merging the first phase moves the second onto the default branch, rebuilt on its new head, and ticks the checklist', async () => {
    const { h, repo } = await installed();
    const base = repo.headOf('main');
    const plan = planOf({ ...shop(), ...PHASED });
    const bridge = phasePull(repo, '00-bridge');
    // The `pull_request.closed` event alone does it (the push of the merge comes after, and then changes nothing).
    const changed = await merge(h, repo, bridge, false);
    const next = phasePull(repo, '01-payments');
    expect(next.base).toBe('main');
    // Rebuilt on the new head (a fast-forward merge of it: no force push), so its diff is its own phase only.
    const head = repo.headOf('main') ?? '';
    expect(repo.git.aheadOf(repo.headOf(branch('01-payments')) ?? '', head)).toEqual([]);
    expect(changedBy(repo, next)).toEqual((plan.phases?.[1]?.files ?? []).map((f) => f.path).sort());
    expect(next.body).not.toContain('first. This pull request is based on');
    // The later phases stay stacked.
    expect(phasePull(repo, '02-inventory-orders').base).toBe(branch('01-payments'));
    const { issue, state } = tracking(repo);
    expect(issue.body).toContain(`- [x] **00-bridge**`);
    expect(issue.body).toContain(`merged #${bridge.number}`);
    // The series base stays the commit it was planned from: the default branch now says "permissive".
    expect(state?.base).toBe(base);
    expect(state?.phases[0]).toMatchObject({ id: '00-bridge', status: 'merged' });
    expect(repo.pulls).toHaveLength(PHASES.length);
    const writes = h.github.mutations().length;
    await h.deliver(pushToDefault(repo, changed));
    expect(h.github.mutations()).toHaveLength(writes);
    expect(h.github.mutations().some((m) => m.method !== 'GET' && m.path.endsWith('/git/refs/heads/main'))).toBe(false);
  });

  it('merged one by one, each phase is moved onto the default branch in turn; the last merge ends the series with the forklift tree', async () => {
    const { h, repo } = await installed();
    for (const [i, id] of PHASES.entries()) {
      const pull = phasePull(repo, id);
      expect(pull.base).toBe('main');
      expect(changedBy(repo, pull)).toEqual((planOf({ ...shop(), ...PHASED }).phases?.[i]?.files ?? []).map((f) => f.path).sort());
      await merge(h, repo, pull);
    }
    const forklift = migrate(new Map(Object.entries({ ...shop(), ...PHASED })));
    const main = repo.filesOn('main');
    for (const f of forklift.files) expect(main.get(f.path)).toBe(f.action === 'delete' ? undefined : f.content);
    const { issue, state } = tracking(repo);
    expect(issue.state).toBe('closed');
    expect(issue.body).toContain('the migration is complete');
    expect(state?.phases.map((p) => p.status)).toEqual(PHASES.map(() => 'merged'));
    expect(repo.pulls.filter((p) => p.state === 'open')).toEqual([]);
  });

  it('a push to the default branch before any merge plans the series again from the new head', async () => {
    const { h, repo } = await installed();
    const before = PHASES.map((id) => repo.headOf(branch(id)));
    const orders = repo.filesOn('main').get('orders.yaml') ?? '';
    repo.commitFiles('main', { 'orders.yaml': `# owned by the orders team\n${orders}` }, 'octocat', 'comment');
    await h.deliver(pushToDefault(repo, ['orders.yaml']));
    const { state } = tracking(repo);
    expect(state?.base).toBe(repo.headOf('main'));
    // Every phase rebuilt on the new base; the lock-down's orders.yaml is translated from the new text.
    PHASES.forEach((id, i) => expect(repo.headOf(branch(id))).not.toBe(before[i]));
    expect(repo.filesOn(branch('04-lock-down')).get('orders.yaml')).toMatch(/^# owned by the orders team\n/);
    expect(repo.filesOn(branch('00-bridge')).get('orders.yaml')).toMatch(/^# owned by the orders team\n/);
    expect(repo.pulls.filter((p) => p.state === 'open')).toHaveLength(PHASES.length);
    expect(changedBy(repo, phasePull(repo, '00-bridge'))).toEqual(['mesh-config.yaml']);
  });

  it('after a merge, a push that changes a file of the open phase stops that phase with a note; the later ones wait', async () => {
    const { h, repo } = await installed();
    await merge(h, repo, phasePull(repo, '00-bridge'));
    const heads = PHASES.map((id) => repo.headOf(branch(id)));
    const namespaces = repo.filesOn('main').get('namespaces.yaml') ?? '';
    repo.commitFiles('main', { 'namespaces.yaml': `${namespaces}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: reporting\n` }, 'octocat', 'add reporting');
    await h.deliver(pushToDefault(repo, ['namespaces.yaml']));
    const stopped = phasePull(repo, '01-payments');
    const notes = repo.issueComments.filter((c) => c.issue === stopped.number && c.body.includes('osm2linkerd:drift'));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('`namespaces.yaml`');
    expect(notes[0]?.body).toContain('/osm2linkerd rescan');
    // Nothing of the stopped phase or the phases stacked on it was rewritten.
    expect(PHASES.map((id) => repo.headOf(branch(id)))).toEqual(heads);
    const { issue, state } = tracking(repo);
    expect(state?.phases.map((p) => p.status)).toEqual(['merged', 'stopped', 'waiting', 'waiting', 'waiting']);
    expect(issue.body).toContain('stopped #');
    expect(h.app.outcomes.at(-1)?.status).toBe('blocked');
    // Reverting the change lets the phase go on, and the note says so.
    repo.commitFiles('main', { 'namespaces.yaml': namespaces }, 'octocat', 'revert');
    await h.deliver(pushToDefault(repo, ['namespaces.yaml']));
    expect(tracking(repo).state?.phases.map((p) => p.status)).toEqual(['merged', 'open', 'open', 'open', 'open']);
    expect(repo.issueComments.find((c) => c.issue === stopped.number && c.body.includes('osm2linkerd:drift'))?.body).toContain('again what the plan expects');
    expect(repo.git.aheadOf(repo.headOf(branch('01-payments')) ?? '', repo.headOf('main') ?? '')).toEqual([]);
  });

  it('a person\'s commit on a phase branch stops only that phase; the later phases build on the branch as they left it', async () => {
    const { h, repo } = await installed();
    const human = repo.commitFiles(branch('02-inventory-orders'), { 'inventory-notes.md': 'checked by alice\n' }, 'alice', 'notes');
    const before = PHASES.map((id) => repo.headOf(branch(id)));
    // A change no phase touches: the base moves, every phase is rebuilt on it except the person's.
    repo.commitFiles('main', { 'reporting.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reporting\n  namespace: orders\n' }, 'octocat', 'config');
    await h.deliver(pushToDefault(repo, ['reporting.yaml']));
    expect(repo.headOf(branch('02-inventory-orders'))).toBe(human);
    const blocked = phasePull(repo, '02-inventory-orders');
    expect(repo.issueComments.filter((c) => c.issue === blocked.number && c.body.includes('osm2linkerd:blocked'))).toHaveLength(1);
    for (const id of ['00-bridge', '01-payments', '03-storefront', '04-lock-down']) expect(repo.headOf(branch(id))).not.toBe(before[PHASES.indexOf(id)]);
    expect(repo.filesOn(branch('03-storefront')).get('inventory-notes.md')).toBe('checked by alice\n');
    expect(repo.filesOn(branch('01-payments')).has('reporting.yaml')).toBe(true);
    expect(tracking(repo).state?.phases.map((p) => p.status)).toEqual(['open', 'open', 'blocked', 'open', 'open']);
    expect(tracking(repo).issue.body).toMatch(/blocked #\d+: commits by people on its branch \(\S+ by alice: notes\)/);
    for (const id of ['00-bridge', '01-payments', '03-storefront', '04-lock-down']) {
      expect(repo.issueComments.some((c) => c.issue === phasePull(repo, id).number && c.body.includes('osm2linkerd:blocked'))).toBe(false);
    }
  });

  it('`recreate` on a blocked phase discards the person\'s commit from it and from the phases built on it, nothing before it', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('alice', 'write');
    const human = repo.commitFiles(branch('01-payments'), { 'notes.md': 'wip\n' }, 'alice', 'wip');
    const bridge = repo.headOf(branch('00-bridge'));
    await h.deliver(pushToDefault(repo, ['orders.yaml']));
    const blocked = phasePull(repo, '01-payments');
    expect(tracking(repo).state?.phases[1]?.status).toBe('blocked');
    await h.deliver(commentOnPullRequest(repo, blocked.number, 'alice', '/osm2linkerd recreate'));
    expect(repo.headOf(branch('01-payments'))).not.toBe(human);
    expect(repo.filesOn(branch('01-payments')).has('notes.md')).toBe(false);
    expect(repo.issueComments.find((c) => c.issue === blocked.number && c.body.includes('osm2linkerd:result'))?.body).toContain(human.slice(0, 7));
    expect(changedBy(repo, phasePull(repo, '01-payments'))).not.toContain('notes.md');
    // The later phases were built on the branch as alice left it: the same commit leaves them, nothing else does.
    expect(tracking(repo).state?.phases.map((p) => p.status)).toEqual(PHASES.map(() => 'open'));
    for (const id of PHASES) expect(repo.filesOn(branch(id)).has('notes.md')).toBe(false);
    expect(repo.headOf(branch('00-bridge'))).toBe(bridge);
  });

  it('a config changed from phased to forklift closes the unmerged series and opens the single PR', async () => {
    const { h, repo } = await installed();
    repo.commitFiles('main', { '.github/osm2linkerd.yml': stringify({ strategy: 'forklift' }) }, 'octocat', 'forklift after all');
    await h.deliver(pushToDefault(repo, ['.github/osm2linkerd.yml']));
    expect(repo.pulls.filter((p) => p.state === 'open').map((p) => [p.head, p.base])).toEqual([['osm2linkerd/migrate', 'main']]);
    expect(tracking(repo).issue.state).toBe('closed');
    expect(tracking(repo).issue.body).toContain('replaced by one pull request');
  });

  it('`strategy forklift` closes a series no phase of which has merged, and the single PR takes over', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('alice', 'write');
    const on = phasePull(repo, '01-payments');
    await h.deliver(commentOnPullRequest(repo, on.number, 'alice', '/osm2linkerd strategy forklift'));
    for (const id of PHASES) expect(phasePull(repo, id).state).toBe('closed');
    expect(tracking(repo).issue.state).toBe('closed');
    const single = repo.pulls.filter((p) => p.head === 'osm2linkerd/migrate');
    expect(single).toHaveLength(1);
    expect(single[0]).toMatchObject({ base: 'main', state: 'open' });
    expect(repo.issueComments.find((c) => c.issue === on.number && c.body.includes('osm2linkerd:result'))?.body).toContain('**done**');
    // Redelivery: still one single PR, the series stays closed.
    await h.deliver(pushToDefault(repo, ['orders.yaml']));
    expect(repo.pulls.filter((p) => p.state === 'open').map((p) => p.head)).toEqual(['osm2linkerd/migrate']);
  });

  it('`strategy forklift` is refused once a phase has merged, and nothing changes', async () => {
    const { h, repo } = await installed();
    repo.permissions.set('alice', 'write');
    await merge(h, repo, phasePull(repo, '00-bridge'));
    const heads = PHASES.map((id) => repo.headOf(branch(id)));
    const on = phasePull(repo, '01-payments');
    await h.deliver(commentOnPullRequest(repo, on.number, 'alice', '/osm2linkerd strategy forklift'));
    expect(repo.issueComments.find((c) => c.issue === on.number && c.body.includes('osm2linkerd:result'))?.body).toMatch(/\*\*refused\*\*.*00-bridge/s);
    expect(repo.pulls.filter((p) => p.state === 'open')).toHaveLength(PHASES.length - 1);
    expect(repo.pulls.some((p) => p.head === 'osm2linkerd/migrate')).toBe(false);
    expect(PHASES.map((id) => repo.headOf(branch(id)))).toEqual(heads);
    expect(tracking(repo).issue.state).toBe('open');
  });

  it('`strategy phased` on the single PR replaces it with the series', async () => {
    const h = await harness();
    const repo = h.github.addRepository('acme', 'shop', shop());
    await h.deliver(installationCreated(repo));
    expect(repo.pulls.map((p) => p.head)).toEqual(['osm2linkerd/migrate']);
    repo.permissions.set('alice', 'admin');
    await h.deliver(commentOnPullRequest(repo, repo.pulls[0]?.number ?? 0, 'alice', '/osm2linkerd strategy phased'));
    expect(repo.pulls[0]?.state).toBe('closed');
    expect(repo.pulls.filter((p) => p.state === 'open').map((p) => p.head)).toEqual(PHASES.map(branch));
    expect(tracking(repo).state?.choices.strategy).toBe('phased');
    // The choice lives in the tracking issue: the next scan keeps the series.
    await h.deliver(pushToDefault(repo, ['orders.yaml']));
    expect(repo.pulls.filter((p) => p.state === 'open').map((p) => p.head)).toEqual(PHASES.map(branch));
  });

  it('a copy of the series block in a person\'s issue does not steer the bot', async () => {
    const { h, repo } = await installed();
    const { issue } = tracking(repo);
    repo.issues.push({ number: 900, title: 'copy', body: issue.body.replace(/"base":"[0-9a-f]+"/, '"base":"0000000"'), state: 'open', user: 'mallory' });
    const heads = PHASES.map((id) => repo.headOf(branch(id)));
    await h.deliver({ ...pushToDefault(repo, ['orders.yaml']), id: 'after-copy' });
    expect(PHASES.map((id) => repo.headOf(branch(id)))).toEqual(heads);
    expect(repo.issues.filter((i) => i.user === BOT_LOGIN && i.body.includes(SERIES_MARKER))).toHaveLength(1);
  });
});

describe('osm2linkerd pr --strategy phased (the dry run of the series)', () => {
  it('prints each phase\'s pull request (title, base, body, diff) in order, then the tracking checklist', async () => {
    let stdout = '';
    const code = await run(['pr', `${EXAMPLES}shop`, '--strategy', 'phased'], (t) => { stdout += t; }, () => {});
    expect(code).toBe(0);
    const plan = planOf(Object.fromEntries(readTree(`${EXAMPLES}shop`)));
    const heads = [...stdout.matchAll(/^######## Pull request #(\d+) (\S+) → (\S+),/gm)].map((m) => [m[2], m[3]]);
    expect(heads).toEqual(PHASES.map((id, i) => [branch(id), i === 0 ? 'main' : branch(PHASES[i - 1] ?? '')]));
    let at = 0;
    for (const phase of plan.phases ?? []) {
      // In order: the title, the body with the phase's checklist, the diff with exactly its files.
      at = stdout.indexOf(`Title: Linkerd 2.20 migration, phase ${phase.index} of 4: ${phase.title}`, at);
      expect(at).toBeGreaterThan(-1);
      const block = stdout.slice(at, stdout.indexOf('\nReview: ', at));
      expect(block).toContain(`===== #`);
      for (const item of phase.checklist) expect(block).toContain(`- [ ] ${item}`);
      const diffed = [...block.matchAll(/^\+\+\+ b\/(\S+)$/gm)].map((m) => m[1]);
      expect(diffed.sort()).toEqual(phase.files.map((f) => f.path).sort());
    }
    const checklist = stdout.slice(stdout.indexOf('===== Tracking issue #'));
    for (const id of PHASES) expect(checklist).toMatch(new RegExp(`^- \\[ \\] \\*\\*${id}\\*\\* .+: open #\\d+$`, 'm'));
    expect(stdout).not.toMatch(/refs\/heads\/main/);
  });
});

