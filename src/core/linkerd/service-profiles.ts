import { meshFeatureFlags } from '../inventory/mesh-config.ts';
import type { Inventory, K8sObject, Service } from '../inventory/model.ts';
import { atLeast, type LinkerdVersion } from '../options.ts';
import { asArray, asRecord, asString } from '../values.ts';

/**
 * A ServiceProfile for a Service takes precedence over the Service's retry, timeout and failure-accrual annotations
 * and its HTTPRoutes (linkerd-reference §4.4, §5): rules that annotate a Service ask here first.
 */
export function serviceProfileName(service: Service): string {
  return `${service.name}.${service.namespace ?? ''}.svc.cluster.local`;
}

/** The ServiceProfile the repository already holds for `service`, if any. */
export function existingServiceProfile(inventory: Inventory, service: Service): K8sObject | undefined {
  const name = serviceProfileName(service);
  return inventory.objects.find((o) => o.ref.kind === 'ServiceProfile' && o.ref.name === name && o.ref.namespace === service.namespace);
}

/**
 * Whether the retry rule generates a ServiceProfile for `service`: before 2.16 retries exist only there, and it does
 * so for a Retry that OSM applied (enableRetryPolicy on) and that names the Service as a destination.
 */
export function retryServiceProfileLikely(inventory: Inventory, service: Service, version: LinkerdVersion): boolean {
  if (atLeast(version, '2.16') || !meshFeatureFlags(inventory).enableRetryPolicy) return false;
  return inventory.osm('Retry').some((retry) => asArray(asRecord(retry.body['spec'])['destinations']).some((d) => {
    const dest = asRecord(d);
    return asString(dest['kind']) === 'Service' && asString(dest['name']) === service.name && (asString(dest['namespace']) ?? retry.ref.namespace) === service.namespace;
  }));
}
