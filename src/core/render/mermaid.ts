/**
 * Repository text (names, namespaces, ports) as the inside of a double-quoted Mermaid label. Everything but ASCII
 * letters, digits, space, `.`, `/`, `_` and `-` becomes a Mermaid entity code (`#60;`), which Mermaid draws as the
 * character itself: a quote cannot close the label, a backtick cannot turn it into a Markdown string, `<` cannot open
 * HTML, `%` cannot start a comment or directive, `;` and newlines cannot end the statement, and no `:` is left for
 * Mermaid's `style …:…#…;` pre-processing to cut an entity short. Long names are shortened.
 */
export function mermaidLabel(text: string, max = 80): string {
  const chars = [...text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')];
  const shown = chars.length > max ? [...chars.slice(0, max - 1), '…'] : chars;
  return shown.map((c) => (/^[A-Za-z0-9 ./_-]$/.test(c) ? c : `#${c.codePointAt(0) ?? 32};`)).join('');
}
