import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, EXAMPLE } from '../../test/support/cli.ts';
import { readCheckout } from './read-checkout.ts';
import { writePlan } from './write-plan.ts';


function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `osm2linkerd-${prefix}-`));
}

/** The bookstore example copied into a fresh folder, with a folder beside it that the checkout must never touch. */
function checkoutWithOutside(): { checkout: string; outside: string } {
  const parent = temp('hostile');
  const checkout = join(parent, 'checkout');
  const outside = join(parent, 'outside');
  cpSync(EXAMPLE, checkout, { recursive: true });
  mkdirSync(outside);
  return { checkout, outside };
}

function findingIds(stdout: string): string[] {
  return (JSON.parse(stdout) as { findings: { id: string; file: string }[] }).findings.map((f) => `${f.id} ${f.file}`);
}

describe('the CLI on a hostile checkout', () => {
  it('never writes through a symbolic link planted at a generated path (the outside file is unchanged)', async () => {
    const { checkout, outside } = checkoutWithOutside();
    const victim = join(outside, 'deploy.sh');
    writeFileSync(victim, '#!/bin/sh\necho original\n');
    symlinkSync(victim, join(checkout, 'bookstore/traffic-access.linkerd.yaml'));
    const { code, stdout } = await cli('translate', checkout, '--write', '--format', 'json');
    expect(readFileSync(victim, 'utf8')).toBe('#!/bin/sh\necho original\n');
    expect(lstatSync(join(checkout, 'bookstore/traffic-access.linkerd.yaml')).isSymbolicLink()).toBe(true);
    expect(code).toBe(1);
    expect(findingIds(stdout)).toEqual(expect.arrayContaining([
      'plan/path-not-writable bookstore/traffic-access.linkerd.yaml',
      'load/symlink-not-read bookstore/traffic-access.linkerd.yaml',
    ]));
    // The rest of the migration is still written.
    expect(readFileSync(join(checkout, 'base/namespaces.yaml'), 'utf8')).toContain('linkerd.io/inject: enabled');
  });

  it('the writer refuses a link that appears after the read, and folders that are links', async () => {
    const { checkout, outside } = checkoutWithOutside();
    const victim = join(outside, 'victim.yaml');
    writeFileSync(victim, 'untouched\n');
    symlinkSync(victim, join(checkout, 'late.yaml'));
    symlinkSync(outside, join(checkout, 'linked-folder'));
    const refusals = await writePlan(checkout, [
      { path: 'late.yaml', action: 'modify', content: 'evil\n', previous: '' },
      { path: 'linked-folder/new.yaml', action: 'create', content: 'evil\n' },
      { path: '../escape.yaml', action: 'create', content: 'evil\n' },
      { path: 'fine/new.yaml', action: 'create', content: 'ok\n' },
    ], { inPlace: true });
    expect(refusals.map((r) => r.path)).toEqual(['late.yaml', 'linked-folder/new.yaml', '../escape.yaml']);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(existsSync(join(outside, 'new.yaml'))).toBe(false);
    expect(existsSync(join(checkout, '..', 'escape.yaml'))).toBe(false);
    expect(readFileSync(join(checkout, 'fine/new.yaml'), 'utf8')).toBe('ok\n');
  });

  it('reads neither linked files nor linked folders, and says so', async () => {
    const { checkout, outside } = checkoutWithOutside();
    writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: secret}\n');
    symlinkSync(join(outside, 'secret.yaml'), join(checkout, 'secret.yaml'));
    symlinkSync(outside, join(checkout, 'more'));
    const { files, unread } = await readCheckout(checkout);
    expect(files.has('secret.yaml')).toBe(false);
    expect([...files.keys()].some((p) => p.startsWith('more/'))).toBe(false);
    expect(unread).toEqual(new Map([['secret.yaml', 'symlink']]));
  });

  it('--out equal to or inside the source is a usage error (exit 2); a folder outside is fine', async () => {
    const { checkout, outside } = checkoutWithOutside();
    expect((await cli('translate', checkout, '--out', checkout)).code).toBe(2);
    expect((await cli('translate', checkout, '--out', join(checkout, 'generated'))).code).toBe(2);
    expect((await cli('translate', checkout, '--out', `${checkout}/bookstore/../`)).code).toBe(2);
    symlinkSync(checkout, join(outside, 'alias'));
    expect((await cli('translate', checkout, '--out', join(outside, 'alias', 'deeper'))).code).toBe(2);
    expect(existsSync(join(checkout, 'generated'))).toBe(false);
    expect((await cli('translate', checkout, '--out', join(outside, 'generated'), '--format', 'json')).code).toBe(0);
  });

  it('--probe-networks is validated up front: a non-CIDR is a usage error (exit 2)', async () => {
    const bad = await cli('translate', EXAMPLE, '--probe-networks', '10.0.0.0/8,notacidr');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"notacidr"');
    expect((await cli('translate', EXAMPLE, '--probe-networks', '10.0.0.0/8, fd00::/8', '--format', 'json')).code).not.toBe(2);
  });

  it('files that are not valid UTF-8, hold NUL bytes or exceed 1 MiB are left untouched, each with a finding', async () => {
    const { checkout } = checkoutWithOutside();
    const osm = readFileSync(join(checkout, 'bookbuyer/bookbuyer.yaml'));
    const latin1 = Buffer.concat([Buffer.from('# caf\xe9 in Latin-1\n', 'latin1'), osm]);
    writeFileSync(join(checkout, 'bookbuyer/bookbuyer.yaml'), latin1);
    writeFileSync(join(checkout, 'binary.yaml'), Buffer.concat([osm, Buffer.from([0, 1, 2])]));
    writeFileSync(join(checkout, 'huge.yaml'), `${osm.toString('utf8')}\n# ${'x'.repeat(1024 * 1024)}\n`);
    const { stdout } = await cli('translate', checkout, '--write', '--format', 'json');
    expect(readFileSync(join(checkout, 'bookbuyer/bookbuyer.yaml')).equals(latin1)).toBe(true);
    expect(findingIds(stdout)).toEqual(expect.arrayContaining([
      'load/invalid-utf8 bookbuyer/bookbuyer.yaml', 'load/binary-file binary.yaml', 'load/file-too-large huge.yaml',
    ]));
  });

  it('a file name holding terminal escapes is printed as text: no escape sequence reaches the terminal', async () => {
    const { checkout } = checkoutWithOutside();
    const hostile = 'x\u001b]0;pwned\u0007\u001b[2J\u202eyaml.lmy';
    const osm = readFileSync(join(checkout, 'bookbuyer/bookbuyer.yaml'), 'utf8');
    writeFileSync(join(checkout, `${hostile}.yaml`), osm.replace(/name: bookbuyer\b/g, 'name: bookbuyer2'));
    const text = await cli('translate', checkout);
    expect(text.stdout).toContain('x\\u001b]0;pwned\\u0007\\u001b[2J\\u202eyaml.lmy.yaml');
    expect(text.stdout).not.toMatch(/[\u0007\u202e]|\u001b(?!\[(?:0|1|31|33)m)/);
    const json = await cli('translate', checkout, '--format', 'json');
    expect(findingIds(json.stdout).some((f) => f.endsWith(`${hostile}.yaml`))).toBe(true); // JSON keeps the name exactly
  });
});
