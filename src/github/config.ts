import { z } from 'zod';
import { escapeMarkdown, inlineCode, isValidCidr, LINKERD_VERSIONS } from '../core/index.ts';

/**
 * `.github/osm2linkerd.yml`: read from the default branch through Probot's config plugin (org `.github` fallback,
 * `_extends`). Unknown keys are errors, so a typo is reported instead of silently ignored.
 */
export const appConfigSchema = z.object({
  /** Only paths matching one of these globs are read (empty: every manifest). */
  include: z.array(z.string()).default([]),
  /** Paths matching these globs are left alone. */
  exclude: z.array(z.string()).default([]),
  /** forklift: one pull request; phased: one pull request per phase, stacked, with a tracking issue (run-series.ts). */
  strategy: z.enum(['forklift', 'phased']).default('forklift'),
  splitStyle: z.enum(['httproute', 'trafficsplit']).default('httproute'),
  linkerdVersion: z.enum(LINKERD_VERSIONS).optional(),
  meshMode: z.enum(['auto', 'smi', 'permissive']).default('auto'),
  /** Permissive mode: `exact` admits what OSM did (meshed clients only); `audit` also admits the clients OSM refused. */
  permissiveAccess: z.enum(['exact', 'audit']).default('exact'),
  /** Checked here, so a typo is a config error the user sees, not a failure later in the run. */
  probeNetworks: z.array(z.string().refine(isValidCidr, 'a CIDR such as 10.0.0.0/8 or fd00::/8')).default([]),
  /** The bot's branch is `<branchPrefix>migrate`; a phase's is `<branchPrefix>migrate-<NN>-<slug>`. */
  branchPrefix: z.string().regex(/^[A-Za-z0-9._/-]*$/, 'letters, digits, ".", "_", "-" and "/" only').default('osm2linkerd/'),
  labels: z.array(z.string()).default(['osm2linkerd']),
  /** Users, or `org/team` for teams, asked to review the pull request when it is opened. */
  reviewers: z.array(z.string()).default([]),
  draft: z.boolean().default(false),
  _extends: z.string().optional(),
}).strict();

export type AppConfig = z.infer<typeof appConfigSchema>;

export type ConfigResult = { readonly ok: true; readonly config: AppConfig } | { readonly ok: false; readonly errors: readonly string[] };

export function parseAppConfig(raw: unknown): ConfigResult {
  const parsed = appConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${inlineCode(i.path.join('.') || '(file)')}: ${escapeMarkdown(i.message)}`) };
}

export function branchName(config: AppConfig, phaseId?: string): string {
  return `${config.branchPrefix}migrate${phaseId ? `-${phaseId}` : ''}`;
}

/** A branch the app pushes to: `<prefix>migrate`, or a phase's `<prefix>migrate-<NN>-<slug>`. */
/** The config file, on the default branch (or the owner's `.github` repository's). */
export const CONFIG_FILE_NAME = 'osm2linkerd.yml';
export const CONFIG_FILE = `.github/${CONFIG_FILE_NAME}`;

/** The bot branch of the default config (what the app looks for before, or without, a repository's config). */
export const DEFAULT_BOT_BRANCH = branchName(appConfigSchema.parse({}));

export const BOT_BRANCH = /(^|\/)migrate(-\d{2}-[a-z0-9-]+)?$/;

export const CONFIG_ISSUE_TITLE = 'Action Required: Fix osm2linkerd configuration';
export const CONFIG_ISSUE_MARKER = '<!-- osm2linkerd:config-error -->';

export function configIssueBody(path: string, errors: readonly string[]): string {
  return [
    CONFIG_ISSUE_MARKER,
    `osm2linkerd could not use \`${path}\` on the default branch, so it changes nothing until the file is fixed:`,
    '',
    ...errors.map((e) => `- ${e}`),
    '',
    'Valid keys: `include`, `exclude`, `strategy` (forklift|phased), `splitStyle` (httproute|trafficsplit), `linkerdVersion` (' +
      `${LINKERD_VERSIONS[0]}…${LINKERD_VERSIONS.at(-1)}), \`meshMode\` (auto|smi|permissive), \`permissiveAccess\` (exact|audit), \`probeNetworks\`, \`branchPrefix\`, \`labels\`, \`reviewers\`, \`draft\`, \`_extends\`.`,
    '',
    'This issue closes itself once the configuration is valid.',
  ].join('\n');
}

/** The config file exists but is not YAML: reported like any other invalid configuration. */
export class ConfigFileError extends Error {}
