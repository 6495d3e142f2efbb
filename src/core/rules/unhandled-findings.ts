import { defineFindings, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';

/** The findings of the catch-all for OSM kinds, annotations and fields no rule consumed (rules/unhandled.ts). */
export const unhandledFindings = defineFindings({
  'unhandled/osm-kind': {
    severity: 'warning',
    title: 'OSM or SMI kind not translated',
    remediation: 'No rule of this version translates this kind; the object is kept and must be migrated by hand (see the README table).',
    message: ({ refKind, ref, apiVersion }: { refKind: string; ref: string; apiVersion: string }) => `${refKind} ${ref} (${apiVersion}) is not translated by this version: it is kept as it is.`,
  },
  'unhandled/osm-annotation': {
    severity: 'warning',
    title: 'OSM annotation or label not translated',
    remediation: 'No rule translates this key; it is left in place. Remove it or replace it by hand.',
    message: verbatim,
  },
  'unhandled/osm-field': {
    severity: 'warning',
    title: 'Field of an OSM object not translated',
    remediation: 'The rule for this kind does not know this field (a newer or forked OSM spelling, or a typo OSM ignored). Check what it did in your OSM version and add the Linkerd equivalent by hand.',
    message: ({ shape, ref }: { shape: string; ref: string }) => `${shape} of ${ref} is not a field this version translates: it is dropped from the Linkerd output.`,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = unhandledFindings;

export const finding = finderFor(raises);
