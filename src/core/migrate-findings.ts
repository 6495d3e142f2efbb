import { defineFindings } from './findings/define.ts';
import { finderFor } from './findings/finding.ts';

/** The findings of the migration pipeline itself (migrate.ts): verify's verdict on the translation. */
export const migrateFindings = defineFindings({
  'verify/uncovered-difference': {
    severity: 'error',
    title: 'Linkerd would decide a request differently and no finding explains it',
    remediation: 'This is a translator bug: the generated policy allows or denies a request OSM did not. Do not merge; report it with the repository layout.',
    message: ({ unitClause, describeSource, workload, port, what, allowed, reason, allowed2, reason2 }: { unitClause: string; describeSource: string; workload: string; port: number; what: string; allowed: boolean; reason: string; allowed2: boolean; reason2: string }) => `${unitClause}${describeSource} → ${workload}:${port} ${what}: OSM ${allowed ? 'allowed' : 'denied'} it (${reason}), Linkerd would ${allowed2 ? 'allow' : 'deny'} it (${reason2}).`,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = migrateFindings;

export const finding = finderFor(raises);
