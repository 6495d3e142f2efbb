import { hash53, type Finding } from '../findings/finding.ts';
import { resourceName } from '../linkerd/names.ts';
import type { K8sObject } from '../inventory/model.ts';
import type { GeneratedResource, LinkerdResource } from '../linkerd/resources.ts';
import type { EditIntent } from '../edits/edit-intent.ts';
import type { Consumed, RuleOutput } from './rule.ts';

/**
 * Collects a rule's output: resources keyed by kind/namespace/name, findings without repeats, edits, consumption.
 */
function keyOf(resource: LinkerdResource): string {
  return `${resource.kind}/${resource.metadata.namespace ?? ''}/${resource.metadata.name}`;
}

export class Emitter {
  private readonly resources = new Map<string, GeneratedResource>();
  private readonly findingKeys = new Set<string>();
  private readonly findings: Finding[] = [];
  private readonly edits: EditIntent[] = [];
  private readonly consumed: Consumed[] = [];

  /**
   * Adds a resource and returns the name it got. The same resource twice is kept once; a different resource under a
   * name already taken (a repository that defines one object twice, e.g. in two files) gets a content-hash suffix, so
   * references must use the returned name.
   */
  resource(resource: LinkerdResource, origin: K8sObject): string {
    const key = keyOf(resource);
    const existing = this.resources.get(key);
    if (!existing) {
      this.resources.set(key, { resource, origin });
      return resource.metadata.name;
    }
    if (JSON.stringify(existing.resource) === JSON.stringify(resource)) return resource.metadata.name;
    const renamed = { ...resource, metadata: { ...resource.metadata, name: resourceName(resource.metadata.name, hash53(JSON.stringify(resource.spec)).slice(0, 5)) } };
    return this.resource(renamed, origin);
  }

  finding(f: Finding): void {
    const key = `${f.id}\u0000${f.file}\u0000${f.line}\u0000${f.message}`;
    if (this.findingKeys.has(key)) return;
    this.findingKeys.add(key);
    this.findings.push(f);
  }

  edit(intent: EditIntent): void {
    this.edits.push(intent);
  }

  consume(object: K8sObject, path?: Consumed['path']): void {
    this.consumed.push(path ? { object, path } : { object });
  }

  output(): RuleOutput {
    return { resources: [...this.resources.values()], edits: this.edits, findings: this.findings, consumed: this.consumed };
  }
}
