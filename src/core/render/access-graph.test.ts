import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NAMES, hostileRepository, largeRepository } from '../../../test/support/mesh-repos.ts';
import { EXAMPLES, readTree } from '../../../test/support/shared.ts';
import { migrate } from '../migrate.ts';
import { accessGraph, GRAPH_LIMITS } from './access-graph.ts';
import { renderJson } from './json.ts';
import { mermaidLabel } from './mermaid.ts';
import { renderPullRequest } from './pull-request.ts';
import { renderText } from './text.ts';

const body = (plan: ReturnType<typeof migrate>) => renderPullRequest(plan, { lineUrl: () => 'https://example.test/', commandHelp: '' }).body;
const bookstore = migrate(readTree(join(EXAMPLES, 'bookstore'), (p) => p !== 'README.md'));
const section = (text: string) => text.slice(text.indexOf('### Who may call whom'), text.indexOf('### Findings'));

describe('the access graph of the pull request', () => {
  it('comes after the checklist and before the findings, a mermaid block then the same graph as text', () => {
    const headings = [...body(bookstore).matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings.slice(0, 4)).toEqual(['Access changes', 'Before you merge', 'Who may call whom after merging', 'Findings']);
    const text = section(body(bookstore));
    expect(text).toMatch(/^```mermaid\nflowchart LR\n/m);
    expect(text).toContain('<details><summary>The same graph as text');
  });

  it('highlights exactly the edges whose verdict changes: the ingress controller is cut, mysql is unchanged', () => {
    const diagram = accessGraph(bookstore).mermaid ?? '';
    const edges = diagram.split('\n').filter((l) => /^ {2}n\d+ -/.test(l));
    const styled = (kind: string) => (new RegExp(`linkStyle ([\\d,]+) ${kind}`).exec(diagram)?.[1] ?? '').split(',').filter(Boolean).map(Number);
    const ingress = /(n\d+)\[\/"ingress#58;service/.exec(diagram)?.[1];
    const cut = edges.flatMap((e, i) => (ingress && e.startsWith(`  ${ingress} `) ? [i] : []));
    expect(cut.length).toBe(2);
    expect(styled('stroke:#cf222e')).toEqual(cut);
    const mysql = /(n\d+)\["mysql#58;3306"\]/.exec(diagram)?.[1];
    const toMysql = edges.findIndex((e) => e.endsWith(` ${mysql}`));
    expect(edges[toMysql]).toMatch(/^ {2}n\d+ --> n\d+$/);
    expect([...styled('stroke:#cf222e'), ...styled('stroke:#bf8700')]).not.toContain(toMysql);
    // Every pair verify says changes (the deployed view) is a highlighted edge.
    const changed = bookstore.verification.accessChanges.filter((c) => c.unit === undefined).length;
    expect(styled('stroke:#cf222e').length + styled('stroke:#bf8700').length).toBe(changed);
  });

  it('numbers a phased plan\'s namespaces with their phase', () => {
    const phased = migrate(readTree(join(EXAMPLES, 'shop'), (p) => p !== 'README.md'), { strategy: 'phased' });
    const text = section(body(phased));
    const numbered = (phased.phases ?? []).flatMap((p) => p.namespaces.map((ns) => `"phase ${p.index}#58; ${ns}"`));
    expect(numbered.length).toBeGreaterThanOrEqual(4);
    for (const title of numbered) expect(text).toMatch(new RegExp(`subgraph g\\d+\\[${title}\\]`));
    expect(text).toContain('Each namespace is numbered with the phase that moves it to Linkerd.');
  });

  it('takes no id from a name, and no hostile name survives into a label or the text list unescaped', () => {
    const plan = migrate(hostileRepository());
    const diagram = accessGraph(plan).mermaid ?? '';
    for (const line of diagram.split('\n').slice(1)) {
      expect(line).toMatch(/^ {2,4}(subgraph g\d+\["[^"]*"\]|end|n\d+(\(\["[^"]*"\]\)|\["[^"]*"\]|\[\/"[^"]*"\/\])|n\d+ -(->|\.->)(\|"[^"]*"\|)? n\d+|linkStyle [\d,]+ [\w:#,. -]+)$/);
    }
    // Labels hold only the safe characters and entity codes.
    for (const [, label] of diagram.matchAll(/"([^"]*)"/g)) expect(label).toMatch(/^([A-Za-z0-9 ./_-]|#\d+;)*$/);
    const text = section(body(plan));
    // What GitHub renders of the list outside code spans: no tag, no name (names are all in code spans).
    const list = text.slice(text.indexOf('<details>')).replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '');
    expect(list).not.toMatch(/<img/);
    expect(list).not.toContain('evil.test');
    expect(HOSTILE_NAMES.every((n) => !diagram.includes(n))).toBe(true);
  });

  it('escapes a label to entity codes and shortens long names', () => {
    expect(mermaidLabel('a"b<c>`d%e:f;g#h')).toBe('a#34;b#60;c#62;#96;d#37;e#58;f#59;g#35;h');
    expect(mermaidLabel('x\ny')).toBe('x y');
    expect(mermaidLabel('a'.repeat(200))).toBe(`${'a'.repeat(79)}#8230;`);
  });

  it('collapses a large repository to namespace → namespace edges and says so in one line', () => {
    const plan = migrate(largeRepository(24, 8));
    const graph = accessGraph(plan);
    expect(graph.level).toBe('namespace');
    expect(graph.edges).toBe(24 * 8);
    expect(graph.mermaid?.length).toBeLessThanOrEqual(GRAPH_LIMITS.diagramChars);
    const text = section(body(plan));
    expect(text.match(/^Collapsed to namespaces: .+$/gm)).toHaveLength(1);
    expect(text).toContain('`team-01` → `team-00` (1 pair): allowed before and after');
  });

  it('draws nothing when even the namespace graph is over the limits, and lists it instead', () => {
    const plan = migrate(largeRepository(50, 10));
    const graph = accessGraph(plan);
    expect(graph.edges).toBeGreaterThan(GRAPH_LIMITS.namespaceEdges);
    expect(graph.mermaid).toBeUndefined();
    const text = section(body(plan));
    expect(text).not.toContain('```mermaid');
    expect(text).toContain(`Too large to draw (${graph.edges} namespace → namespace edges)`);
    expect(body(plan).length).toBeLessThanOrEqual(65_536);
  });

  it('stays out of the CLI: no Mermaid or fence in the text output, nothing new in JSON', () => {
    expect(renderText(bookstore)).not.toMatch(/flowchart|```/);
    const json = JSON.parse(renderJson(bookstore)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['files', 'findings', 'summary']);
    expect(JSON.stringify(json)).not.toContain('"pairs"');
  });
});
