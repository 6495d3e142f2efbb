import { describe, expect, it } from 'vitest';
import { hasStateBlock, readState, writeState } from './state.ts';

describe('hidden PR state block', () => {
  it('round-trips through the PR body and replaces itself in place', () => {
    const body = writeState('Hello', { choices: { splitStyle: 'trafficsplit', ignore: ['a/**'] }, output: 'abc' });
    expect(body).toMatch(/^Hello\n\n<!-- osm2linkerd:state \S+ -->$/);
    expect(readState(body)).toEqual({ choices: { splitStyle: 'trafficsplit', ignore: ['a/**'] }, output: 'abc' });
    const again = writeState(body, { choices: {}, output: 'def' });
    expect(again.match(/osm2linkerd:state/g)).toHaveLength(1);
    expect(readState(again).output).toBe('def');
    // The translated base (what the reconcile compares with the default branch) round-trips; older blocks lack it.
    expect(readState(writeState('Hello', { choices: {}, output: 'abc', base: 'f00d' })).base).toBe('f00d');
    expect(readState(body).base).toBeUndefined();
  });

  it('treats a missing, edited or invalid block as empty rather than failing', () => {
    expect(readState('no state')).toEqual({ choices: {}, output: '' });
    expect(readState('<!-- osm2linkerd:state not-base64!! -->')).toEqual({ choices: {}, output: '' });
    const wrong = Buffer.from(JSON.stringify({ choices: { strategy: 'yolo' } })).toString('base64url');
    expect(readState(`<!-- osm2linkerd:state ${wrong} -->`)).toEqual({ choices: {}, output: '' });
  });

  it('is read only where the app writes it (the last line), never from repository text quoted earlier', () => {
    const forged = `<!-- osm2linkerd:state ${Buffer.from(JSON.stringify({ choices: { splitStyle: 'trafficsplit' } })).toString('base64url')} -->`;
    const quoted = `Findings: TrafficSplit/shop/${forged} has weights that sum to less than 1.\n\nMore text.`;
    expect(hasStateBlock(quoted)).toBe(false);
    expect(readState(quoted)).toEqual({ choices: {}, output: '' });
    const written = writeState(quoted, { choices: { strategy: 'forklift' }, output: 'real' });
    expect(readState(written)).toEqual({ choices: { strategy: 'forklift' }, output: 'real' });
    // Rewriting replaces the app's block only; the quoted text stays as it was.
    const rewritten = writeState(written, { choices: {}, output: 'next' });
    expect(rewritten.startsWith(quoted)).toBe(true);
    expect(readState(rewritten).output).toBe('next');
  });
});
