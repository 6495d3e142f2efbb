/**
 * Characters a terminal acts on rather than shows: C0 controls other than tab and newline, a carriage return that does
 * not end a line, DEL, C1 controls, the line/paragraph separators and the bidirectional overrides ("Trojan Source",
 * CVE-2021-42574). Repository text (a file name, a quoted YAML string) reaches the CLI's output in findings and diffs;
 * there it could retitle the window, rewrite earlier lines or reorder what a reviewer reads.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The SGR codes the CLI paints with (render/text.ts), and the reset. */
export const ANSI = { bold: '1', red: '31', yellow: '33', reset: '0' } as const;

/** The CLI's own colours: the only escape sequences kept. */
const OWN_COLOURS = new RegExp(`^\u001b\\[(?:${Object.values(ANSI).join('|')})m`);

/**
 * Output for a terminal: each unsafe character becomes its `\uXXXX` escape, which reads as text and, inside a JSON
 * string, is the same character again, so JSON and SARIF keep their meaning.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (char, offset: number) => {
    if (char === '\r' && text[offset + 1] === '\n') return char;
    if (char === '\u001b' && OWN_COLOURS.test(text.slice(offset, offset + 5))) return char;
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
