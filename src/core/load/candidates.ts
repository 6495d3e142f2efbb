/** Folders that never hold a repository's own manifests (vendored or generated content). */
const SKIPPED_FOLDERS = /(^|\/)(\.git|node_modules|vendor|\.terraform)\//;
const MANIFEST = /\.(ya?ml|json)$/i;
/** Lock files and editor settings are JSON but never manifests. */
const NOT_MANIFEST = /(^|\/)(package-lock|composer\.lock|tsconfig|\.vscode\/[^/]+|renovate)\.json$|(^|\/)package\.json$/i;
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Which repository files the migration reads: YAML/JSON manifests and Kustomization files up to 1 MiB. The CLI and
 * the GitHub App use the same rule, so a dry run on a checkout reads what the app reads.
 */
export function isManifestCandidate(path: string, size = 0): boolean {
  if (size > MAX_MANIFEST_BYTES || SKIPPED_FOLDERS.test(path)) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === 'Kustomization' || (MANIFEST.test(name) && !NOT_MANIFEST.test(path));
}

/** Text that names OSM or SMI: what makes a repository one this tool migrates. */
export function mentionsOsm(text: string): boolean {
  return /openservicemesh\.io|smi-spec\.io/.test(text);
}
