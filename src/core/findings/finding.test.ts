import { describe, expect, it } from 'vitest';
import { finding } from '../rules/traffic-split/findings.ts';
import { catalogue } from './catalogue.ts';

const at = { file: 'split.yaml', line: 3 };

describe('finding(...) of a findings.ts', () => {
  it('builds the message from the declared builder, severity and remediation from the declaration', () => {
    const f = finding('traffic-split/translated', at, { resource: 'TrafficSplit/shop/web', message: { resource: 'TrafficSplit/shop/web', apexName: 'web', backends: 'web-v1 90, web-v2 10' } });
    expect(f).toEqual({
      id: 'traffic-split/translated', severity: catalogue['traffic-split/translated'].severity, file: 'split.yaml', line: 3,
      resource: 'TrafficSplit/shop/web', message: 'TrafficSplit/shop/web becomes a weighted HTTPRoute on Service web (web-v1 90, web-v2 10).',
      remediation: catalogue['traffic-split/translated'].remediation,
      docsUrl: 'https://github.com/osm2linkerd/osm2linkerd/blob/main/docs/findings.md#traffic-splittranslated',
    });
  });

  it('refuses, at compile time, an id the module does not raise and arguments its builder does not take', () => {
    // @ts-expect-error a misspelt id
    expect(() => finding('traffic-split/translatd', at, { message: 'x' })).toThrow(TypeError);
    // @ts-expect-error a missing argument (backends)
    expect(finding('traffic-split/translated', at, { message: { resource: 'r', apexName: 'a' } }).message).toContain('undefined');
    // @ts-expect-error an argument of the wrong type
    expect(finding('traffic-split/translated', at, { message: { resource: 'r', apexName: 'a', backends: 3 } }).message).toContain('(3)');
  });
});
