import { describe, expect, it } from 'vitest';
import { helpText, parseCommand, shellTokens } from './command-grammar.ts';

describe('parseCommand (Atlantis-style: first line only)', () => {
  it.each([
    ['/osm2linkerd help', { name: 'help' }],
    ['/osm2linkerd', { name: 'help' }],
    ['/OSM2LINKERD Split TrafficSplit', { name: 'split', value: 'trafficsplit' }],
    ['/osm2linkerd strategy forklift\nthanks!', { name: 'strategy', value: 'forklift' }],
    ['/osm2linkerd strategy Phased', { name: 'strategy', value: 'phased' }],
    ['/osm2linkerd target linkerd 2.18', { name: 'target', value: '2.18' }],
    ['/osm2linkerd target 2.12', { name: 'target', value: '2.12' }],
    ['/osm2linkerd mode permissive', { name: 'mode', value: 'permissive' }],
    ['/osm2linkerd explain Probes/Open-To-All-Networks', { name: 'explain', findingId: 'probes/open-to-all-networks' }],
    ['/osm2linkerd ignore "charts/Legacy App/**"', { name: 'ignore', glob: 'charts/Legacy App/**' }],
  ])('%s', (body, command) => {
    expect(parseCommand(body)).toEqual({ kind: 'command', command });
  });

  it('ignores comments that do not start with the command (quotes, prose, code blocks)', () => {
    expect(parseCommand('> /osm2linkerd rescan')).toEqual({ kind: 'none' });
    expect(parseCommand('Please run\n/osm2linkerd rescan')).toEqual({ kind: 'none' });
    expect(parseCommand('```\n/osm2linkerd rescan\n```')).toEqual({ kind: 'none' });
    expect(parseCommand('/osm2linkerdx rescan')).toEqual({ kind: 'none' });
  });

  it('suggests the nearest command and lists them all', () => {
    const result = parseCommand('/osm2linkerd recreat');
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toContain('Did you mean `/osm2linkerd recreate`?');
    expect(result.kind === 'error' && result.message).toContain('`ignore`');
  });

  it('rejects bad arguments with the usage', () => {
    expect(parseCommand('/osm2linkerd split weighted')).toEqual({ kind: 'error', message: 'Usage: `/osm2linkerd split <httproute|trafficsplit>`' });
    expect(parseCommand('/osm2linkerd target linkerd 3.0')).toMatchObject({ kind: 'error', message: expect.stringContaining('2.12, 2.13') });
    expect(parseCommand('/osm2linkerd rescan now')).toMatchObject({ kind: 'error', message: expect.stringContaining('takes no arguments') });
  });
});

describe('shellTokens', () => {
  it('splits like a shell', () => {
    expect(shellTokens(`a "b c" 'd e' f\\ g  "h\\"i"`)).toEqual(['a', 'b c', 'd e', 'f g', 'h"i']);
    expect(shellTokens('   ')).toEqual([]);
    expect(shellTokens('x ""')).toEqual(['x', '']);
  });
});

describe('helpText', () => {
  it('lists only what the user may run', () => {
    expect(helpText(false)).not.toContain('rescan');
    expect(helpText(false)).toContain('explain');
    expect(helpText(true)).toContain('recreate');
  });
});
