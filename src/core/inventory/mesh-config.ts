import type { NodePath, SourceLocation } from '../source.ts';
import { asRecord, asString, getIn, isRecord } from '../values.ts';
import { isValidCidr } from '../primitives/cidr.ts';
import type { Inventory, K8sObject } from './model.ts';

/**
 * OSM's mesh-wide configuration as OSM read it (osm-semantics §4.1), whatever form the repository keeps it in:
 *  - `MeshConfig` (config.openservicemesh.io v1alpha1 / v1alpha2, v0.9+): `spec` as written;
 *  - Helm's `preset-mesh-config` ConfigMap: the MeshConfig spec JSON in `data["preset-mesh-config.json"]`, which
 *    osm-bootstrap turns into the MeshConfig;
 *  - the legacy `osm-config` ConfigMap (v0.8 and earlier): snake_case string values in `data`, mapped here to the
 *    MeshConfig paths they became (`egress` → `traffic.enableEgress`, …).
 * Pure functions of the inventory, so every rule reads the same answer (decideMeshMode picks the same object first).
 */

export type MeshConfigForm = 'meshconfig' | 'preset-configmap' | 'legacy-configmap';

export interface MeshConfigSource {
  readonly object: K8sObject;
  readonly form: MeshConfigForm;
  /** The spec in the MeshConfig (v1alpha2) layout. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Legacy `osm-config` data keys with no MeshConfig counterpart known here (always empty for the other forms). */
  readonly unmappedLegacyKeys: readonly string[];
  /** Line of a spec path (`['traffic', 'enableEgress']`); ConfigMap forms point at the data key that holds it. */
  locate(path: NodePath): SourceLocation;
}

export const LEGACY_CONFIGMAP = 'osm-config';
export const PRESET_CONFIGMAP = 'preset-mesh-config';
const PRESET_KEY = 'preset-mesh-config.json';

/** MeshConfig objects first, then the ConfigMap forms, in repository order (as decideMeshMode reads them). */
export function meshConfigObjects(inventory: Inventory): K8sObject[] {
  const configMaps = inventory.objects.filter(
    (o) => o.ref.kind === 'ConfigMap' && (o.ref.name === LEGACY_CONFIGMAP || o.ref.name === PRESET_CONFIGMAP),
  );
  return [...inventory.osm('MeshConfig'), ...configMaps];
}

/** The mesh configuration OSM ran with, as far as the repository says: the first readable object, else undefined. */
export function readMeshConfig(inventory: Inventory): MeshConfigSource | undefined {
  for (const object of meshConfigObjects(inventory)) {
    const source = readMeshConfigObject(object);
    if (source) return source;
  }
  return undefined;
}

/** `osm-config` keys of v0.8 (`osm@v0.8.0:pkg/configurator/client.go:21-56`) → MeshConfig path and value type. */
export const LEGACY_KEYS: Readonly<Record<string, { readonly path: readonly string[]; readonly type: 'bool' | 'string' | 'int' | 'list' }>> = {
  permissive_traffic_policy_mode: { path: ['traffic', 'enablePermissiveTrafficPolicyMode'], type: 'bool' },
  egress: { path: ['traffic', 'enableEgress'], type: 'bool' },
  use_https_ingress: { path: ['traffic', 'useHTTPSIngress'], type: 'bool' },
  outbound_ip_range_exclusion_list: { path: ['traffic', 'outboundIPRangeExclusionList'], type: 'list' },
  enable_debug_server: { path: ['observability', 'enableDebugServer'], type: 'bool' },
  prometheus_scraping: { path: ['observability', 'prometheusScraping'], type: 'bool' },
  tracing_enable: { path: ['observability', 'tracing', 'enable'], type: 'bool' },
  tracing_address: { path: ['observability', 'tracing', 'address'], type: 'string' },
  tracing_port: { path: ['observability', 'tracing', 'port'], type: 'int' },
  tracing_endpoint: { path: ['observability', 'tracing', 'endpoint'], type: 'string' },
  envoy_log_level: { path: ['sidecar', 'logLevel'], type: 'string' },
  enable_privileged_init_container: { path: ['sidecar', 'enablePrivilegedInitContainer'], type: 'bool' },
  service_cert_validity_duration: { path: ['certificate', 'serviceCertValidityDuration'], type: 'string' },
};

export function readMeshConfigObject(object: K8sObject): MeshConfigSource | undefined {
  if (object.ref.kind === 'MeshConfig') {
    return {
      object,
      form: 'meshconfig',
      spec: asRecord(object.body['spec']),
      unmappedLegacyKeys: [],
      locate: (path) => object.locate(['spec', ...path]),
    };
  }
  const data = asRecord(object.body['data']);
  const preset = asString(data[PRESET_KEY]);
  if (preset !== undefined) {
    const parsed = parseJson(preset);
    if (!isRecord(parsed)) return undefined;
    return { object, form: 'preset-configmap', spec: parsed, unmappedLegacyKeys: [], locate: () => object.locate(['data', PRESET_KEY]) };
  }
  if (object.ref.name !== LEGACY_CONFIGMAP) return undefined;
  const spec: Record<string, unknown> = {};
  const unmapped: string[] = [];
  const keyOf = new Map<string, string>();
  for (const [key, raw] of Object.entries(data)) {
    const mapping = LEGACY_KEYS[key];
    if (!mapping) {
      unmapped.push(key);
      continue;
    }
    setIn(spec, mapping.path, legacyValue(raw, mapping.type));
    keyOf.set(mapping.path.join('.'), key);
  }
  return {
    object,
    form: 'legacy-configmap',
    spec,
    unmappedLegacyKeys: unmapped,
    locate: (path) => object.locate(['data', ...(keyOf.has(path.join('.')) ? [keyOf.get(path.join('.')) as string] : [])]),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** ConfigMap values are strings; OSM parsed them with strconv (bools, ints) or split them on commas (lists). */
function legacyValue(raw: unknown, type: 'bool' | 'string' | 'int' | 'list'): unknown {
  const text = raw === null || raw === undefined ? '' : String(raw).trim();
  switch (type) {
    case 'bool': return text.toLowerCase() === 'true';
    case 'int': return /^\d+$/.test(text) ? Number(text) : text;
    case 'list': return text.split(',').map((v) => v.trim()).filter(Boolean);
    case 'string': return text;
  }
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = isRecord(current[key]) ? current[key] : {};
    current[key] = next;
    current = next;
  }
  current[path[path.length - 1] as string] = value;
}

// ---------------------------------------------------------------------------------------------------------------
// Feature flags

/**
 * `spec.featureFlags` with the v1.2.4 chart defaults (osm-semantics §4.1 table; `charts/osm/values.yaml`).
 * osm-bootstrap writes every flag into the MeshConfig it creates from the preset, so a flag the repository's
 * MeshConfig leaves out is taken to have the chart default (`explicit` says which ones the repository sets).
 */
export const FEATURE_FLAG_DEFAULTS = {
  enableWASMStats: true,
  /** Egress objects honoured (osm-semantics §3.2: `if !…EnableEgressPolicy { return nil, nil }`). */
  enableEgressPolicy: true,
  enableMulticlusterMode: false,
  enableSnapshotCacheMode: false,
  enableAsyncProxyServiceMapping: false,
  enableValidatingWebhook: false,
  enableIngressBackendPolicy: true,
  enableEnvoyActiveHealthChecks: false,
  /** Retry objects honoured (osm-semantics §3.4: "Retry is off unless featureFlags.enableRetryPolicy is set"). */
  enableRetryPolicy: false,
  enableMeshRootCertificate: false,
} as const;

export type FeatureFlagName = keyof typeof FEATURE_FLAG_DEFAULTS;

export function isFeatureFlagName(name: string): name is FeatureFlagName {
  return Object.hasOwn(FEATURE_FLAG_DEFAULTS, name);
}

export type MeshFeatureFlags = Readonly<Record<FeatureFlagName, boolean>> & {
  /** Flags the repository's mesh configuration sets to a boolean; the others have the chart default. */
  readonly explicit: ReadonlySet<FeatureFlagName>;
  /** Where the flags were read, when the repository has a mesh configuration. */
  readonly meshConfig?: MeshConfigSource;
};

/**
 * The OSM feature flags in effect, e.g. `meshFeatureFlags(inventory).enableRetryPolicy` (false unless the MeshConfig
 * turns it on) or `.enableEgressPolicy` (true unless the MeshConfig turns it off). The legacy osm-config ConfigMap
 * (v0.8) had no feature flags: its repositories get the defaults, as the features did not exist then.
 */
export function meshFeatureFlags(inventory: Inventory): MeshFeatureFlags {
  const meshConfig = readMeshConfig(inventory);
  const flags = asRecord(meshConfig?.spec['featureFlags']);
  const explicit = new Set<FeatureFlagName>();
  const values = { ...FEATURE_FLAG_DEFAULTS } as Record<FeatureFlagName, boolean>;
  for (const name of Object.keys(FEATURE_FLAG_DEFAULTS) as FeatureFlagName[]) {
    const value = flags[name];
    if (typeof value !== 'boolean') continue;
    values[name] = value;
    explicit.add(name);
  }
  return { ...values, explicit, ...(meshConfig ? { meshConfig } : {}) };
}

/**
 * `traffic.enableEgress` (global passthrough of outbound traffic OSM did not otherwise route, osm-semantics §6.4).
 * Undefined when the repository has no mesh configuration or it leaves the field out: the chart default changed
 * (true in v1.2, false before), so callers decide what to assume and say so.
 */
export function meshEgressPassthrough(inventory: Inventory): { readonly value: boolean | undefined; readonly meshConfig?: MeshConfigSource } {
  const meshConfig = readMeshConfig(inventory);
  const value = meshConfig ? getIn(meshConfig.spec, ['traffic', 'enableEgress']) : undefined;
  return { value: typeof value === 'boolean' ? value : undefined, ...(meshConfig ? { meshConfig } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Exclusion lists

/**
 * `traffic.*ExclusionList`: OSM took the union of each list with the pod's own annotation (osm-semantics §5: "Union
 * with `MeshConfig.traffic…ExclusionList`"). Linkerd has one annotation for both, where the pod's value hides the
 * namespace's: whoever writes the pod's value (the injection rule) must write the union.
 */
export const EXCLUSION_LISTS = [
  { field: 'outboundPortExclusionList', podKey: 'openservicemesh.io/outbound-port-exclusion-list', linkerdKey: 'config.linkerd.io/skip-outbound-ports', kind: 'port' },
  { field: 'inboundPortExclusionList', podKey: 'openservicemesh.io/inbound-port-exclusion-list', linkerdKey: 'config.linkerd.io/skip-inbound-ports', kind: 'port' },
  { field: 'outboundIPRangeExclusionList', podKey: 'openservicemesh.io/outbound-ip-range-exclusion-list', linkerdKey: 'config.linkerd.io/skip-subnets', kind: 'cidr' },
] as const;

export type ExclusionList = (typeof EXCLUSION_LISTS)[number];

/** One list's entries as OSM applied them: ports 1-65535 or CIDRs, trimmed, first occurrence kept; the rest apart. */
export function readExclusionList(spec: Readonly<Record<string, unknown>>, list: ExclusionList): { readonly valid: readonly string[]; readonly invalid: readonly unknown[] } {
  const value = getIn(spec, ['traffic', list.field]);
  const valid: string[] = [];
  const invalid: unknown[] = [];
  // The legacy ConfigMap gives a list of strings; the MeshConfig CRD integers 1-65535 or IPv4 CIDRs.
  for (const raw of Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value]) {
    const text = String(raw).trim();
    const ok = list.kind === 'port' ? /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 : text.includes('/') && isValidCidr(text);
    if (!ok) invalid.push(raw);
    else if (!valid.includes(text)) valid.push(text);
  }
  return { valid, invalid };
}

/** The mesh-wide values OSM added to a pod's own exclusion annotation, with where they come from. */
export interface MeshExclusion {
  readonly list: ExclusionList;
  readonly values: readonly string[];
  readonly meshConfig: MeshConfigSource;
}

/** The mesh configuration's non-empty exclusion lists, by the OSM pod annotation they were unioned with. */
export function meshExclusions(inventory: Inventory): ReadonlyMap<string, MeshExclusion> {
  const meshConfig = readMeshConfig(inventory);
  const result = new Map<string, MeshExclusion>();
  if (!meshConfig) return result;
  for (const list of EXCLUSION_LISTS) {
    const { valid } = readExclusionList(meshConfig.spec, list);
    if (valid.length > 0) result.set(list.podKey, { list, values: valid, meshConfig });
  }
  return result;
}

/** A comma list (spaces allowed, as OSM read it) plus the values not in it, in order: what OSM applied. */
export function unionList(own: string, values: readonly string[]): string {
  const items = own.split(',').map((v) => v.trim()).filter(Boolean);
  for (const v of values) if (!items.includes(v)) items.push(v);
  return items.join(',');
}
