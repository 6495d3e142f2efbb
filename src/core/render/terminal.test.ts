import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal.ts';

describe('terminalSafe', () => {
  it('shows control characters from repository text as escapes, so a file name cannot retitle or rewrite the terminal', () => {
    const name = 'evil\u001b]0;pwned\u0007\rok\u202egnp.yaml';
    const out = terminalSafe(`  ${name}:3 [plan/x] message\n`);
    expect(out).toBe('  evil\\u001b]0;pwned\\u0007\\u000dok\\u202egnp.yaml:3 [plan/x] message\n');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });

  it("keeps newlines, tabs, CRLF line ends and the CLI's own colours", () => {
    const text = '\u001b[1mACCESS CHANGES\u001b[0m\n\tline\r\n\u001b[31mErrors\u001b[0m';
    expect(terminalSafe(text)).toBe(text);
  });

  it('leaves JSON meaning unchanged: an escaped character parses back to itself', () => {
    const value = { file: 'a\u202eb\u0085c.yaml', message: 'x\u001b[2Jy' };
    const json = JSON.stringify(value);
    expect(JSON.parse(terminalSafe(json))).toEqual(value);
    expect(terminalSafe(json)).not.toMatch(/[\u0085\u202e]/);
  });
});
