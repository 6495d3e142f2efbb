import { asArray, asRecord, asString, asStringMap } from '../values.ts';
import type { LabelSelector, LabelSelectorRequirement } from './model.ts';

/**
 * Kubernetes label selectors (apimachinery `metav1.LabelSelector`): matchLabels AND every matchExpressions entry.
 * `In` needs the key with one of the values, `NotIn` is true when the key is absent or has none of them, `Exists` /
 * `DoesNotExist` test the key only. The empty selector selects everything (linkerd-reference §3.2: "Selects all").
 */

const OPERATORS = new Set<string>(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Reads a selector object; requirements with an operator Kubernetes does not know are left out (the API rejects them). */
export function readLabelSelector(value: unknown): LabelSelector {
  const selector = asRecord(value);
  const matchExpressions = asArray(selector['matchExpressions']).flatMap((raw): LabelSelectorRequirement[] => {
    const r = asRecord(raw);
    const key = asString(r['key']);
    const operator = asString(r['operator']);
    if (!key || !operator || !OPERATORS.has(operator)) return [];
    const values = asArray(r['values']).flatMap((v) => (typeof v === 'string' ? [v] : []));
    return [{ key, operator: operator as LabelSelectorRequirement['operator'], values }];
  });
  return { matchLabels: asStringMap(selector['matchLabels']), matchExpressions };
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function requirementHolds(r: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'In': return value !== undefined && r.values.includes(value);
    case 'NotIn': return value === undefined || !r.values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
  }
}

export function selectorSelects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v) &&
    selector.matchExpressions.every((r) => requirementHolds(r, labels));
}
