import { defineFindings, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';

/** The findings raised while reading files: what the loader could not read or parse. */
export const loadFindings = defineFindings({
  'load/yaml-syntax-error': {
    severity: 'error',
    title: 'File is not valid YAML',
    remediation: 'Fix the YAML syntax at the given line and run the migration again. This file was not edited (the OSM objects in its valid documents were still translated into new files, and the originals stay until it parses); the rest of the repository was migrated.',
    message: verbatim,
  },
  'load/helm-template-osm-reference': {
    severity: 'warning',
    title: 'Helm template hard-codes OSM configuration',
    remediation: 'This template line mentions OSM (an openservicemesh.io key or an SMI kind). Replace it by hand with the Linkerd equivalent shown in the README table.',
    message: verbatim,
  },
  'load/symlink-not-read': {
    severity: 'info',
    title: 'Symbolic link not read and not written',
    remediation: 'A symbolic link can point outside the repository, so it is never read as a manifest and never written through. If it names a manifest OSM applied, migrate the file it points to (or replace the link by the file) and run the migration again.',
    message: verbatim,
  },
  'load/submodule-not-read': {
    severity: 'info',
    title: 'Submodule not read',
    remediation: 'A submodule is another repository: its manifests are not read and nothing is written into it. Run the migration on that repository itself.',
    message: verbatim,
  },
  'load/file-too-large': {
    severity: 'warning',
    title: 'Manifest too large to read',
    remediation: 'Files over 1 MiB are not read, so OSM configuration in this file (if any) was not migrated and the file is left untouched. Split it into smaller files, or migrate it by hand.',
    message: verbatim,
  },
  'load/binary-file': {
    severity: 'warning',
    title: 'File holds NUL bytes: not read',
    remediation: 'A file with NUL bytes is binary, not YAML or JSON: it was not read and is left untouched. If it is a manifest (e.g. saved as UTF-16), convert it to UTF-8 and run the migration again.',
    message: verbatim,
  },
  'load/invalid-utf8': {
    severity: 'warning',
    title: 'File is not valid UTF-8: not read',
    remediation: 'The file holds bytes that are not UTF-8. Editing it would replace them on lines the migration did not mean to change, so it was not read and is left untouched. Re-encode it as UTF-8 and run the migration again.',
    message: verbatim,
  },
  'load/alias-limit': {
    severity: 'error',
    title: 'Document expands too many YAML aliases',
    remediation: 'The document expands more aliases (*name) than the tool accepts (a guard against alias bombs), so it was not read: its OSM configuration was not migrated. Write the repeated values out or use fewer aliases.',
    message: verbatim,
  },
  'load/invalid-number': {
    severity: 'error',
    title: 'Non-finite, negative or absurd number in an OSM field',
    remediation: 'OSM fields hold small non-negative numbers (ports, weights, counts, durations). This value (.inf, .nan, a negative number or one beyond any real setting) cannot be what OSM applied; the API server rejects or overflows it. Fix the value and run the migration again; the translation treated it as missing.',
    message: verbatim,
  },
  'plan/path-not-writable': {
    severity: 'error',
    title: 'Planned file sits on a symbolic link, submodule or unread file: not written',
    remediation: 'The migration would write this path, but it is a symbolic link, a submodule, a file the tool did not read, or it resolves outside the repository. Nothing was written there. Remove or rename what is at that path and run the migration again.',
    message: verbatim,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = loadFindings;

/** The ids `finding(...)` accepts here. */
export type RaisedId = keyof typeof raises;

export const finding = finderFor(raises);
