import { describe, expect, it } from 'vitest';
import { applyTextEdits, overlaps } from './text-edit.ts';

describe('applyTextEdits', () => {
  it('applies edits given in any order against the original offsets', () => {
    const text = 'one two three';
    expect(applyTextEdits(text, [
      { start: 8, end: 13, text: '3' },
      { start: 0, end: 3, text: '1' },
      { start: 4, end: 7, text: 'TWO' },
    ])).toBe('1 TWO 3');
  });

  it('keeps the order of insertions at the same point, and puts them before a replacement starting there', () => {
    expect(applyTextEdits('ab', [
      { start: 1, end: 1, text: 'x' },
      { start: 1, end: 1, text: 'y' },
      { start: 1, end: 2, text: 'B' },
    ])).toBe('axyB');
  });

  it('returns the text unchanged without edits', () => {
    expect(applyTextEdits('same\r\n', [])).toBe('same\r\n');
  });

  it('throws on overlapping edits: that is a bug in whoever made them', () => {
    expect(() => applyTextEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }])).toThrow(/overlapping/);
    expect(() => applyTextEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 1, end: 1, text: 'x' }])).toThrow(/overlapping/);
  });
});

describe('overlaps', () => {
  it('tells touching ranges and shared insertion points from real overlaps', () => {
    expect(overlaps({ start: 0, end: 2, text: '' }, { start: 2, end: 4, text: '' })).toBe(false);
    expect(overlaps({ start: 3, end: 3, text: 'a' }, { start: 3, end: 3, text: 'b' })).toBe(false);
    expect(overlaps({ start: 0, end: 4, text: '' }, { start: 2, end: 2, text: 'a' })).toBe(true);
    expect(overlaps({ start: 0, end: 4, text: '' }, { start: 3, end: 6, text: '' })).toBe(true);
  });
});
