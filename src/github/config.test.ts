import { describe, expect, it } from 'vitest';
import { parseAppConfig } from './config.ts';
import { optionsFor } from './run-migration.ts';

describe('.github/osm2linkerd.yml', () => {
  it('permissiveAccess defaults to exact, accepts audit, rejects anything else, and reaches the migration options', () => {
    const defaults = parseAppConfig({});
    expect(defaults.ok && defaults.config.permissiveAccess).toBe('exact');
    const audit = parseAppConfig({ permissiveAccess: 'audit' });
    expect(audit.ok && optionsFor(audit.config, {}).permissiveAccess).toBe('audit');
    const bad = parseAppConfig({ permissiveAccess: 'open' });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors.join()).toContain('`permissiveAccess`');
  });
});
