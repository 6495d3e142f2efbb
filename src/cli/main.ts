#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  isValidCidr,
  LINKERD_VERSIONS,
  changesThroughPhase,
  migrate,
  migrationOptionsSchema,
  phaseJson,
  renderJson,
  renderPhases,
  renderSummary,
  renderSarif,
  renderText,
  renderVerificationJson,
  renderVerificationReport,
  terminalSafe,
  type MigrationOptionsInput,
  type MigrationPlan,
} from '../core/index.ts';
import { dryRun } from '../github/dry-run.ts';
import { readCheckout } from './read-checkout.ts';
import { writePlan } from './write-plan.ts';

const USAGE = `osm2linkerd: migrate Open Service Mesh (OSM/SMI) configuration to Linkerd

Usage:
  osm2linkerd translate <dir> [options]   print the migration (access changes, steps before merging, findings,
                                          summary, diff)
  osm2linkerd verify <dir> [options]      print the OSM-vs-Linkerd equivalence report
  osm2linkerd pr <dir> [options]          dry run of the GitHub App: the pull request it would open (title, body,
                                          diff, review comments, check annotations) and its API calls, offline
  osm2linkerd --help | --version

Options:
  --format text|json|sarif      output format of translate (default text); verify: text or json
  --write                       apply the changes to <dir>
  --out <dir>                   write changed and new files under <dir> instead
  --linkerd-version <x.y>       target Linkerd ${LINKERD_VERSIONS[0]}..${LINKERD_VERSIONS.at(-1)} (default ${LINKERD_VERSIONS.at(-1)})
  --split-style httproute|trafficsplit   TrafficSplit → weighted HTTPRoute (default) or kept for linkerd-smi
  --strategy forklift|phased|separate-cluster
                                one change with OSM removed (default); zero-downtime phases: a bridge, one phase
                                per namespace group (callees first), the lock-down (= forklift); or a copy for a new
                                cluster with the cut-over steps, the old cluster's files untouched
  --cluster-path <dir>          separate-cluster: the folder that receives the copy (default linkerd-cluster)
  --phase <n>                   with a phased plan: print phase n; --write / --out write the tree after phases
                                0..n (planned from the tree before the migration)
  --mode auto|smi|permissive    OSM's traffic policy mode when no MeshConfig says (default auto; as the app's mode)
  --permissive-access exact|audit        permissive mode: Servers admit meshed clients only, as OSM did (default),
                                          or audit (also admits the plaintext clients OSM refused)
  --probe-networks <cidr,...>   networks kubelet probes come from (default: every network, with a finding)
  --exclude <glob>              paths to leave alone (repeatable)

Exit codes: 0 success, 1 findings of severity error (or verify differences no finding explains), 2 usage or I/O error.
`;

class UsageError extends Error {}

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '0.0.0';
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** Every CIDR option is checked before anything runs: a typo is a usage error, not a finding late in the run. */
function cidrList(flag: string, value: string): string[] {
  const cidrs = value.split(',').map((s) => s.trim()).filter(Boolean);
  const invalid = cidrs.find((c) => !isValidCidr(c));
  if (invalid !== undefined) throw new UsageError(`--${flag} takes CIDRs such as 10.0.0.0/8 or fd00::/8 (got "${invalid}")`);
  return cidrs;
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (for a folder not made yet). */
async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(await realPathOf(parent), basename(absolute));
}

/** `--out` must not be the source or inside it: its files would be read as manifests by the next run. */
async function checkOutDir(source: string, out: string): Promise<void> {
  const [from, to] = [await realPathOf(source), await realPathOf(out)];
  const inside = relative(from, to);
  const outside = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  if (!outside) throw new UsageError(`--out ${out} is the source directory or inside it: choose a folder outside ${source}`);
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      write: { type: 'boolean' },
      out: { type: 'string' },
      'linkerd-version': { type: 'string' },
      'split-style': { type: 'string' },
      strategy: { type: 'string' },
      'cluster-path': { type: 'string' },
      phase: { type: 'string' },
      mode: { type: 'string' },
      'permissive-access': { type: 'string' },
      'probe-networks': { type: 'string' },
      exclude: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
  const options: MigrationOptionsInput = {
    ...(oneOf('linkerd-version', values['linkerd-version'], LINKERD_VERSIONS) ? { linkerdVersion: oneOf('linkerd-version', values['linkerd-version'], LINKERD_VERSIONS) } : {}),
    ...(values['split-style'] ? { splitStyle: oneOf('split-style', values['split-style'], ['httproute', 'trafficsplit'] as const) } : {}),
    ...(values.strategy ? { strategy: oneOf('strategy', values.strategy, ['forklift', 'phased', 'separate-cluster'] as const) } : {}),
    ...(values['cluster-path'] !== undefined ? { clusterPath: clusterPath(values['cluster-path']) } : {}),
    ...(values.mode ? { meshMode: oneOf('mode', values.mode, ['auto', 'smi', 'permissive'] as const) } : {}),
    ...(values['permissive-access'] ? { permissiveAccess: oneOf('permissive-access', values['permissive-access'], ['exact', 'audit'] as const) } : {}),
    ...(values['probe-networks'] ? { probeNetworks: cidrList('probe-networks', values['probe-networks']) } : {}),
    ...(values.exclude ? { exclude: values.exclude } : {}),
  };
  const format = oneOf('format', values.format, ['text', 'json', 'sarif'] as const) ?? 'text';
  if (values.write && values.out) throw new UsageError('--write and --out cannot be used together');
  const phase = values.phase === undefined ? undefined : phaseNumber(values.phase, options.strategy);
  return { values, positionals, options, format, phase };
}

function clusterPath(value: string): string {
  const parsed = migrationOptionsSchema.shape.clusterPath.safeParse(value);
  if (!parsed.success) throw new UsageError(`--cluster-path ${parsed.error.issues[0]?.message ?? 'is not a relative folder'} (got "${value}")`);
  return parsed.data;
}

function phaseNumber(value: string, strategy: string | undefined): number {
  if (strategy !== 'phased' && strategy !== 'separate-cluster') throw new UsageError('--phase needs --strategy phased or separate-cluster');
  if (!/^\d+$/.test(value)) throw new UsageError(`--phase must be a phase number (got "${value}")`);
  return Number(value);
}

/** `colour`: stdout is a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export async function run(argv: readonly string[], write: (text: string) => void, writeError: (text: string) => void, terminal: { readonly colour: boolean } = { colour: false }): Promise<number> {
  // File names and YAML strings from the repository reach findings, diffs and errors: nothing printed may drive the terminal.
  const out = (text: string) => write(terminalSafe(text));
  const err = (text: string) => writeError(terminalSafe(text));
  try {
    const { values, positionals, options, format, phase } = parse(argv);
    if (values.help) { out(USAGE); return 0; }
    if (values.version) { out(`${version()}\n`); return 0; }
    const [command, dir, ...extra] = positionals;
    if (command !== 'translate' && command !== 'verify' && command !== 'pr') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
    if (!dir) throw new UsageError(`${command} needs a directory`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new UsageError(`${dir} is not a directory`);
    if (values.out) await checkOutDir(dir, values.out);
    const checkout = await readCheckout(dir);
    if (command === 'pr') {
      const { strategy, clusterPath: copyPath, ...config } = options;
      if (copyPath !== undefined || (strategy !== undefined && strategy !== 'forklift')) throw new UsageError(`the GitHub App opens forklift pull requests; see the ${strategy} plan with \`translate --strategy ${strategy}\``);
      const { report, repository } = await dryRun(checkout.files, config, `example/${basename(resolve(dir))}`);
      out(`${report}\n`);
      return repository.pulls.length > 0 ? 0 : 1;
    }
    const plan = migrate(checkout.files, options, checkout.unread);
    if (command === 'verify') {
      out(format === 'json' ? renderVerificationJson(plan.verification) : renderVerificationReport(plan.verification));
      // A Server conflict makes Linkerd's choice depend on age: as bad as an unexplained difference.
      const conflicts = plan.verification.unknowns.filter((u) => u.kind === 'server-conflict').length;
      return plan.verification.uncovered.length > 0 || conflicts > 0 ? 1 : 0;
    }
    if (phase !== undefined) return await runPhase(plan, checkout.files, phase, { dir, format, write: values.write === true, out: values.out }, out, err);
    if (format === 'json') out(renderJson(plan));
    else if (format === 'sarif') out(renderSarif(plan.findings, version()));
    else out(plan.phases ? `${renderPhases(plan)}\n${renderSummary(plan)}\n` : renderText(plan, { colour: terminal.colour, diff: true }));
    const refusals = values.write ? await writePlan(dir, plan.files, { inPlace: true })
      : values.out ? await writePlan(values.out, plan.files, { inPlace: false }) : [];
    for (const r of refusals) err(`osm2linkerd: not written: ${JSON.stringify(r.path)} (${r.reason})\n`);
    return plan.summary.findings.error > 0 || refusals.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      err(`osm2linkerd: ${error.message}\nRun 'osm2linkerd --help' for the options.\n`);
      return 2;
    }
    if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
      err(`osm2linkerd: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

interface PhaseRun {
  readonly dir: string;
  readonly format: 'text' | 'json' | 'sarif';
  readonly write: boolean;
  readonly out: string | undefined;
}

/**
 * One phase, printed; with --write or --out, the tree after phases 0..n. Phases are planned from the tree before the
 * migration, so a checkout that already holds generated files (an earlier phase, or a forklift) is refused rather than
 * planned again from a state whose OSM settings the bridge already changed.
 */
async function runPhase(plan: MigrationPlan, checkout: ReadonlyMap<string, string>, index: number, run: PhaseRun, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const migrated = [...checkout].filter(([, text]) => text.startsWith(GENERATED_HEADER)).map(([path]) => path);
  if (migrated.length > 0) {
    throw new UsageError(`--phase needs the tree from before the migration, and ${migrated.slice(0, 3).join(', ')} ${migrated.length > 1 ? 'are' : 'is'} already generated: run it on that commit (e.g. \`git worktree add ../before <commit>\`)`);
  }
  const phase = plan.phases?.[index];
  if (!phase) throw new UsageError(`--phase ${index}: the plan has phases 0 to ${(plan.phases?.length ?? 1) - 1}`);
  if (run.format === 'sarif') out(renderSarif(phase.findings, version()));
  else if (run.format === 'json') out(`${JSON.stringify(phaseJson(phase), null, 2)}\n`);
  else out(renderPhases(plan, index));
  if (run.write || run.out) {
    const changes = changesThroughPhase(checkout, plan.phases ?? [], index);
    const refusals = run.write ? await writePlan(run.dir, changes, { inPlace: true }) : run.out ? await writePlan(run.out, changes, { inPlace: false }) : [];
    for (const r of refusals) err(`osm2linkerd: not written: ${JSON.stringify(r.path)} (${r.reason})\n`);
    if (refusals.length > 0) return 1;
  }
  return phase.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** The first line of every file the migration generates (plan/placement.ts). */
const GENERATED_HEADER = '# Generated by osm2linkerd';

if (import.meta.main) {
  // `osm2linkerd translate . | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const colour = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  process.exitCode = await run(process.argv.slice(2), (t) => process.stdout.write(t), (t) => process.stderr.write(t), { colour });
}
