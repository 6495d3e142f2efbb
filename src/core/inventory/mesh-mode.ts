import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import type { MigrationOptions } from '../options.ts';
import { formatRef } from '../source.ts';
import { asRecord, asString, getIn, isRecord } from '../values.ts';
import type { Inventory, K8sObject } from './model.ts';

/** OSM's traffic policy mode (osm-semantics §6.2-6.3): permissive ignored TrafficTargets, SMI mode denied by default. */
export interface MeshMode {
  readonly mode: 'smi' | 'permissive';
  /** Where the answer came from: a MeshConfig (or the legacy osm-config ConfigMap), the option, or an assumption. */
  readonly source: 'meshconfig' | 'option' | 'assumed';
  readonly meshConfig?: K8sObject;
}

export interface MeshModeResult {
  readonly meshMode: MeshMode;
  readonly findings: readonly Finding[];
}

export function decideMeshMode(inventory: Inventory, options: MigrationOptions): MeshModeResult {
  if (options.meshMode !== 'auto') return { meshMode: { mode: options.meshMode, source: 'option' }, findings: [] };
  for (const object of meshConfigs(inventory)) {
    const permissive = permissiveFlag(object);
    if (permissive !== undefined) {
      return { meshMode: { mode: permissive ? 'permissive' : 'smi', source: 'meshconfig', meshConfig: object }, findings: [] };
    }
  }
  const targets = inventory.osm('TrafficTarget');
  const first = targets[0];
  if (!first) return { meshMode: { mode: 'permissive', source: 'assumed' }, findings: [] };
  return {
    meshMode: { mode: 'smi', source: 'assumed' },
    findings: [
      finding('mesh-mode/assumed-smi', first.locate(['kind']), {
        resource: formatRef(first.ref),
        message: `The repository has ${targets.length} TrafficTarget(s) and no MeshConfig: the translation assumes OSM ran in SMI (deny-by-default) mode.`,
      }),
    ],
  };
}

/** MeshConfig objects, the legacy `osm-config` ConfigMap (v0.8 and earlier) and Helm's `preset-mesh-config`. */
function meshConfigs(inventory: Inventory): K8sObject[] {
  const configMaps = inventory.objects.filter(
    (o) => o.ref.kind === 'ConfigMap' && (o.ref.name === 'osm-config' || o.ref.name === 'preset-mesh-config'),
  );
  return [...inventory.osm('MeshConfig'), ...configMaps];
}

/**
 * `spec.traffic.enablePermissiveTrafficPolicyMode`; an absent field is Go's false (SMI mode).
 * Legacy ConfigMap: `permissive_traffic_policy_mode: "true"`. Preset: the MeshConfig JSON in `preset-mesh-config.json`.
 */
export function permissiveFlag(object: K8sObject): boolean | undefined {
  if (object.ref.kind === 'MeshConfig') return getIn(object.body, ['spec', 'traffic', 'enablePermissiveTrafficPolicyMode']) === true;
  const data = asRecord(object.body['data']);
  const legacy = asString(data['permissive_traffic_policy_mode']);
  if (legacy !== undefined) return legacy.trim().toLowerCase() === 'true';
  const preset = asString(data['preset-mesh-config.json']);
  if (preset === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(preset);
    return isRecord(parsed) ? getIn(parsed, ['spec', 'traffic', 'enablePermissiveTrafficPolicyMode']) === true : undefined;
  } catch {
    return undefined;
  }
}
