import { describe, expect, it } from 'vitest';
import { readLabelSelector, selectorSelects } from './label-selector.ts';

// Kubernetes LabelSelector: matchLabels AND matchExpressions; NotIn holds when the key is absent; empty selects all
// (linkerd-reference §3.2, "Selects all if empty").
describe('label selectors', () => {
  const labels = { app: 'web', tier: 'back' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['back', 'mid'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'track', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'track', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, false],
  ])('%j selects {app: web, tier: back}: %s', (selector, expected) => {
    expect(selectorSelects(readLabelSelector(selector), labels)).toBe(expected);
  });

  it('leaves out requirements with an operator Kubernetes does not know', () => {
    expect(readLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }).matchExpressions).toEqual([]);
  });
});
