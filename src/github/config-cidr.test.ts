import { describe, expect, it } from 'vitest';
import { parseAppConfig } from './config.ts';

describe('app config: CIDR options', () => {
  it('probeNetworks entries must be CIDRs: a typo is a config error, not a failed run later', () => {
    expect(parseAppConfig({ probeNetworks: ['10.0.0.0/8', 'fd00::/8'] }).ok).toBe(true);
    const bad = parseAppConfig({ probeNetworks: ['10.0.0.0/8', 'notacidr'] });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors).toEqual(['`probeNetworks.1`: a CIDR such as 10.0.0.0/8 or fd00::/8']);
  });

  it('config error texts quote the user\'s keys inertly', () => {
    const bad = parseAppConfig({ '<img src=x>@org/team': true });
    expect(bad.ok ? '' : bad.errors.join('\n')).not.toMatch(/(^|[^\\])<img|@org/);
  });
});
