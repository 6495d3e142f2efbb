import type { Finding } from '../findings/finding.ts';
import type { K8sObject } from '../inventory/model.ts';
import type { GeneratedResource, LinkerdResource } from '../linkerd/resources.ts';
import type { EditIntent } from '../plan/edit-intent.ts';
import type { Consumed, RuleOutput } from './rule.ts';

/**
 * Collects a rule's output. Resources are keyed by kind/namespace/name: emitting the same one twice (two
 * TrafficTargets sharing a destination) keeps the first; emitting a different one under the same name is a bug.
 */
export class Emitter {
  private readonly resources = new Map<string, GeneratedResource>();
  private readonly findingKeys = new Set<string>();
  private readonly findings: Finding[] = [];
  private readonly edits: EditIntent[] = [];
  private readonly consumed: Consumed[] = [];

  resource(resource: LinkerdResource, origin: K8sObject): void {
    const key = `${resource.kind}/${resource.metadata.namespace ?? ''}/${resource.metadata.name}`;
    const existing = this.resources.get(key);
    if (!existing) {
      this.resources.set(key, { resource, origin });
      return;
    }
    if (JSON.stringify(existing.resource) !== JSON.stringify(resource)) {
      throw new Error(`two different resources named ${key}: names must be derived collision-free`);
    }
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
