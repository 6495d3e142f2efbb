import type { Finding } from '../findings/finding.ts';
import type { FindingSet } from '../findings/define.ts';
import type { Inventory, K8sObject } from '../inventory/model.ts';
import type { GeneratedResource } from '../linkerd/resources.ts';
import type { MigrationOptions } from '../options.ts';
import type { EditIntent } from '../edits/edit-intent.ts';
import type { NodePath } from '../source.ts';
import type { MeshMode } from '../inventory/mesh-mode.ts';

/** What a rule is given: the repository model, the options, and facts earlier stages settled. */
export interface RuleInput {
  readonly inventory: Inventory;
  readonly options: MigrationOptions;
  /** The OSM traffic policy mode, decided once from MeshConfig (or the option) for all rules. */
  readonly meshMode: MeshMode;
}

/** Something a rule handled: a whole object, or one field/annotation of it. Leftovers become `unhandled/*` findings. */
export interface Consumed {
  readonly object: K8sObject;
  readonly path?: NodePath;
}

export interface RuleOutput {
  readonly resources: readonly GeneratedResource[];
  readonly edits: readonly EditIntent[];
  readonly findings: readonly Finding[];
  readonly consumed: readonly Consumed[];
}

export interface Rule<Raises extends FindingSet = FindingSet> {
  /** kebab-case, equals the folder and file name: 'traffic-target'. */
  readonly id: string;
  /** OSM/SMI kinds (or `annotation:<prefix>`) this rule owns; the registry test checks owners are unique. */
  readonly consumes: readonly string[];
  /**
   * For each OSM kind in `consumes`: the fields under `spec` the rule translates or explains in a finding. A path
   * covers its subtree; `[]` stands for any item of a list and `*` for any key. Every other field of a consumed object
   * becomes `unhandled/osm-field`, so a field spelling no rule knows is never dropped silently.
   */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  /**
   * Every finding the rule may raise, from its folder's findings.ts: the ones it declares and the shared ones it
   * picks. The catalogue is collected from these, so a rule's findings are declared in one place.
   */
  readonly raises: Raises;
  /** Pure and synchronous. */
  translate(input: RuleInput): RuleOutput;
}

export function defineRule<const Raises extends FindingSet>(rule: Rule<Raises>): Rule<Raises> {
  return rule;
}

