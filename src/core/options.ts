import { z } from 'zod';

/** The Linkerd versions a translation can target, oldest first. */
export const LINKERD_VERSIONS = ['2.12', '2.13', '2.14', '2.15', '2.16', '2.17', '2.18', '2.19', '2.20'] as const;
export type LinkerdVersion = (typeof LINKERD_VERSIONS)[number];
export const NEWEST_LINKERD: LinkerdVersion = '2.20';

export const migrationOptionsSchema = z.object({
  /** Linkerd version the output must be valid for. */
  linkerdVersion: z.enum(LINKERD_VERSIONS).default(NEWEST_LINKERD),
  /**
   * forklift: one change, OSM removed and Linkerd in place (a restart window). phased: zero downtime, an ordered list of
   * phases (bridge, one per namespace group with callees first, lock-down) whose last result equals forklift's.
   * separate-cluster: the forklift result as a copy under `clusterPath` for a new cluster; the old one is untouched.
   */
  strategy: z.enum(['forklift', 'phased', 'separate-cluster']).default('forklift'),
  /** Strategy separate-cluster: the folder (relative to the repository root) that receives the new cluster's copy. */
  clusterPath: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a relative folder: letters, digits, ".", "_", "-" and "/"').refine((p) => !p.split('/').includes('..'), 'no ".." segments').default('linkerd-cluster'),
  /** httproute: weighted HTTPRoute per TrafficSplit; trafficsplit: keep it for the linkerd-smi extension. */
  splitStyle: z.enum(['httproute', 'trafficsplit']).default('httproute'),
  /**
   * OSM's traffic policy mode when the repository has no MeshConfig. `auto`: SMI mode when TrafficTargets exist
   * (with a finding asking to confirm), else permissive.
   */
  meshMode: z.enum(['auto', 'smi', 'permissive']).default('auto'),
  /**
   * How the Servers translated from TrafficTargets admit traffic in permissive mode. `exact`: what OSM admitted, every
   * meshed client and no plaintext one (`accessPolicy: all-authenticated`, 2.16+). `audit`: `accessPolicy: audit`,
   * which also admits the plaintext and unmeshed clients OSM refused, and logs what the translated policies would deny.
   */
  permissiveAccess: z.enum(['exact', 'audit']).default('exact'),
  /** CIDRs the kubelet probes come from. Empty: probes stay open to every network, and a finding says so. */
  probeNetworks: z.array(z.string()).default([]),
  /** Linkerd trust domain (only used in explanatory text; identities are written as identityRefs). */
  trustDomain: z.string().default('cluster.local'),
  /** Globs of repository paths to leave alone. */
  exclude: z.array(z.string()).default([]),
});

export type MigrationOptions = z.infer<typeof migrationOptionsSchema>;
export type MigrationOptionsInput = z.input<typeof migrationOptionsSchema>;

export function resolveOptions(input: MigrationOptionsInput = {}): MigrationOptions {
  return migrationOptionsSchema.parse(input);
}

/** Compares two Linkerd versions: negative when a < b. */
export function compareVersions(a: LinkerdVersion, b: LinkerdVersion): number {
  return LINKERD_VERSIONS.indexOf(a) - LINKERD_VERSIONS.indexOf(b);
}

export function atLeast(version: LinkerdVersion, minimum: LinkerdVersion): boolean {
  return compareVersions(version, minimum) >= 0;
}
