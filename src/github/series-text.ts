import { escapeMarkdown, inlineCode, type MigrationPhase, type MigrationPlan, type PullRequestText } from '../core/index.ts';
import type { PhaseStatus } from './state.ts';

/** The Markdown of a phased series: each phase's pull request, and the tracking issue's checklist. */

export const SERIES_MARKER = '<!-- osm2linkerd:series-tracking -->';
export const SERIES_TITLE = 'osm2linkerd: phased migration to Linkerd';
/** The sticky comment on a phase that stopped because the default branch changed one of its files. */
export const DRIFT_MARKER = '<!-- osm2linkerd:drift -->';
const MAX_FINDINGS = 150;

export interface PhaseLine {
  readonly phase: MigrationPhase;
  readonly status: PhaseStatus;
  readonly pullRequest?: number;
  /** Stopped: the files that changed; waiting: the phase it waits for; blocked: the commits by people. */
  readonly note?: string;
}

export interface PhaseContext {
  readonly total: number;
  readonly tracking: number;
  readonly defaultBranch: string;
  /** The pull request of the phase this one is based on, while that one is not merged. */
  readonly basedOn?: { readonly id: string; readonly number?: number };
  readonly commandHelp: string;
}

export function phaseTitle(plan: MigrationPlan, phase: MigrationPhase, total: number): string {
  return `Linkerd ${plan.summary.linkerdVersion} migration, phase ${phase.index} of ${total - 1}: ${phase.title}`;
}

/**
 * The body of one phase's pull request (without the state block, which the caller appends). The checklist is the
 * core's own Markdown (commands in code spans); findings quote repository text and are escaped.
 */
export function phasePullRequest(plan: MigrationPlan, phase: MigrationPhase, context: PhaseContext): PullRequestText {
  const counts = (['create', 'modify', 'delete'] as const).map((a) => `${phase.files.filter((f) => f.action === a).length} ${a === 'modify' ? 'modified' : `${a}d`}`).join(', ');
  const findings = phase.findings.slice(0, MAX_FINDINGS).map((f) => `- **${f.severity}** ${inlineCode(f.id)}${f.file ? ` ${escapeMarkdown(f.file)}:${f.line}` : ''}: ${escapeMarkdown(f.message)}`);
  const based = context.basedOn
    ? `> [!IMPORTANT]\n> Merge ${context.basedOn.number ? `#${context.basedOn.number}` : inlineCode(context.basedOn.id)} (phase ${context.basedOn.id}) first. This pull request is based on its branch, so its diff is this phase alone; osm2linkerd moves it onto ${inlineCode(context.defaultBranch)} when that one merges.`
    : '';
  const v = phase.verify;
  const verify = v
    ? `### Verify\n\nThe mixed cluster after this phase (some namespaces on OSM, some on Linkerd), ${v.requests} requests held to OSM's verdicts before the migration: ${v.outages.filter((d) => d.coveredBy.length === 0).length === 0 ? '✅ nothing OSM allowed fails unexplained' : `❌ ${v.outages.filter((d) => d.coveredBy.length === 0).length} requests OSM allowed fail and no finding explains them`}; ${v.outages.filter((d) => d.coveredBy.length > 0).length} explained by findings; ${v.wider} allowed that OSM denied (temporarily wider until the lock-down).`
    : '';
  const body = [
    `This pull request is **phase ${phase.index} of ${context.total - 1}** of a zero-downtime migration from Open Service Mesh to **Linkerd ${plan.summary.linkerdVersion}**, one pull request per phase. The whole series and the state of each phase: #${context.tracking}.`,
    based,
    phase.namespaces.length > 0 ? `Namespaces moved to Linkerd: ${phase.namespaces.map(inlineCode).join(', ')}.` : '',
    `Files: ${counts}.`,
    phase.checklist.length > 0 ? `### Checklist\n\n${phase.checklist.map((c) => `- [ ] ${c.replace(/\s*\n\s*/g, ' ')}`).join('\n')}` : '',
    findings.length > 0 ? `### Findings (${phase.findings.length})\n\n${findings.join('\n')}${phase.findings.length > MAX_FINDINGS ? `\n- …and ${phase.findings.length - MAX_FINDINGS} more (run \`osm2linkerd translate --strategy phased --phase ${phase.index}\`)` : ''}` : '',
    verify,
    context.commandHelp,
  ].filter(Boolean).join('\n\n');
  return { title: phaseTitle(plan, phase, context.total), body };
}

export interface TrackingContext {
  readonly defaultBranch: string;
  readonly base: string;
  readonly linkerdVersion: string;
  /** Why the series ended (all merged, replaced by a forklift PR, no OSM left), when it did. */
  readonly ended?: string;
}

/** The tracking issue: a checklist of every phase and its state (without the state block, which the caller appends). */
export function trackingIssueBody(lines: readonly PhaseLine[], context: TrackingContext): string {
  return [
    SERIES_MARKER,
    `## Phased migration from Open Service Mesh to Linkerd ${context.linkerdVersion}`,
    `One pull request per phase, each based on the one before until that one merges. Merge them in order, and do each phase's checklist around its merge: every phase leaves the cluster working.`,
    context.ended ? `> [!NOTE]\n> ${context.ended}` : '',
    lines.map(checklistLine).join('\n'),
    `The phases are planned from ${inlineCode(context.defaultBranch)} at ${inlineCode(context.base.slice(0, 12))}. Until a phase merges, a change on ${inlineCode(context.defaultBranch)} plans them again from its new head. Once one has merged, ${inlineCode(context.defaultBranch)} no longer says what OSM enforced (the bridge made it permissive), so the plan stays the one from that commit, and a phase whose files changed on ${inlineCode(context.defaultBranch)} stops and says which.`,
    'Comment `/osm2linkerd help` on any phase\'s pull request for the commands; `/osm2linkerd strategy forklift` replaces the series with one pull request while no phase has merged.',
  ].filter(Boolean).join('\n\n');
}

function checklistLine(line: PhaseLine): string {
  const pr = line.pullRequest ? ` #${line.pullRequest}` : '';
  const state: Record<PhaseStatus, string> = {
    'not-opened': 'not yet opened',
    open: `open${pr}`,
    merged: `merged${pr}`,
    blocked: `blocked${pr}: commits by people on its branch${line.note ? ` (${escapeMarkdown(line.note)})` : ''}`,
    stopped: `stopped${pr}: changed on the default branch since the plan: ${line.note ?? ''}`,
    waiting: `waiting for phase ${line.note ?? 'before it'}`,
    closed: `closed${pr} without merging`,
  };
  return `- [${line.status === 'merged' ? 'x' : ' '}] **${line.phase.id}** ${escapeMarkdown(line.phase.title)}: ${state[line.status]}`;
}

export function driftComment(files: readonly string[], context: { readonly defaultBranch: string; readonly base: string; readonly branch: string; readonly previous?: string }): string {
  return [
    '### ✋ osm2linkerd stopped updating this phase',
    '',
    `The series was planned from ${inlineCode(context.defaultBranch)} at ${inlineCode(context.base.slice(0, 12))}. Since then, files this phase changes are no longer what ${context.previous ? `phase ${context.previous}` : 'that commit'} left them on ${inlineCode(context.defaultBranch)}: ${files.map(inlineCode).join(', ')}.`,
    '',
    `A phase has merged, so the app does not plan the series again from ${inlineCode(context.defaultBranch)}: it no longer says what OSM enforced, and a plan made from it would be wrong. Applying this phase over the new content could undo that change or break it.`,
    '',
    `To go on: make those files on ${inlineCode(context.defaultBranch)} what the phases before left them (revert the change, or carry it into this phase by hand on ${inlineCode(context.branch)}), then comment \`/osm2linkerd rescan\`. The later phases wait for this one.`,
  ].join('\n');
}

export const DRIFT_RESOLVED = '✅ The files this phase changes are again what the plan expects; osm2linkerd updates this pull request again.';
