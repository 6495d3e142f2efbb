import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate, renderPullRequest, type MigrationPlan } from '../../src/core/index.ts';
import { CHROMIUM, describeWithChromium } from '../support/browser.ts';
import { HOSTILE_NAMES, hostileRepository, largeRepository } from '../support/mesh-repos.ts';
import { EXAMPLES, readTree } from '../support/shared.ts';

/**
 * The PR body's access graph drawn by the real `mermaid` package in a real browser (headless chromium, no network):
 * what GitHub does with a ```mermaid block. Every diagram must parse and render within Mermaid's default limits, and
 * draw exactly the nodes it declares (a label that broke out would add or lose nodes); hostile names must come out
 * as text, never as elements.
 */
const MERMAID_BUNDLE = join(createRequire(import.meta.url).resolve('mermaid/package.json'), '..', 'dist', 'mermaid.min.js');

function diagramOf(plan: MigrationPlan): string {
  const { body } = renderPullRequest(plan, { lineUrl: () => 'https://example.test/', commandHelp: '' });
  const block = /^```mermaid\n([\s\S]*?)\n```$/m.exec(body);
  if (!block?.[1]) throw new Error('the pull request body has no mermaid block');
  return block[1];
}

const example = (name: string, options: Parameters<typeof migrate>[1] = {}) => migrate(readTree(join(EXAMPLES, name), (p) => p !== 'README.md'), options);

/** The little of the page's globals the tests use (the project compiles without the DOM library). */
interface PageElement {
  innerHTML: string;
  readonly textContent: string | null;
  readonly localName: string;
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
  append(child: PageElement): void;
  remove(): void;
}
interface PageGlobals {
  readonly mermaid: { initialize(config: object): void; parse(text: string): Promise<unknown>; render(id: string, text: string): Promise<{ svg: string }> };
  readonly document: { createElement(tag: string): PageElement; readonly body: PageElement };
}

interface Drawn {
  readonly ok: boolean;
  readonly error?: string;
  readonly nodes?: number;
  readonly edges?: number;
  readonly elements?: readonly string[];
  readonly text?: string;
}

describeWithChromium('the access graph in a browser (mermaid)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    // Nothing leaves the machine: the bundle is inlined from node_modules.
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    await page.evaluate(() => {
      const { mermaid } = globalThis as unknown as PageGlobals;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  let renders = 0;
  async function draw(diagram: string): Promise<Drawn> {
    renders++;
    return page.evaluate(async ({ text, id }) => {
      const { mermaid, document } = globalThis as unknown as PageGlobals;
      try {
        await mermaid.parse(text);
        const { svg } = await mermaid.render(id, text);
        const holder = document.createElement('div');
        holder.innerHTML = svg;
        document.body.append(holder);
        const drawn = {
          ok: true,
          nodes: holder.querySelectorAll('g.node').length,
          edges: holder.querySelectorAll('.edgePaths path, g.edgePaths > path, path.flowchart-link').length,
          elements: [...new Set([...holder.querySelectorAll('*')].map((e) => e.localName))],
          text: holder.textContent ?? '',
        };
        holder.remove();
        return drawn;
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    }, { text: diagram, id: `graph${renders}` });
  }

  /** What the diagram declares: nodes (`n3[…]`, `n3(…)`) and edges (`nA --> nB`). */
  function declared(diagram: string): { nodes: number; edges: number } {
    const lines = diagram.split('\n').map((l) => l.trim());
    return { nodes: lines.filter((l) => /^n\d+[[(]/.test(l)).length, edges: lines.filter((l) => /^n\d+ -/.test(l)).length };
  }

  async function expectDrawn(diagram: string): Promise<Drawn> {
    expect(diagram.length).toBeLessThanOrEqual(50_000);
    const drawn = await draw(diagram);
    expect(drawn.error, diagram).toBeUndefined();
    const want = declared(diagram);
    expect(want.edges).toBeLessThanOrEqual(500);
    expect(drawn.nodes).toBe(want.nodes);
    expect(drawn.edges).toBe(want.edges);
    expect(drawn.elements?.filter((e) => ['img', 'script', 'iframe', 'a', 'b', 'strong', 'em'].includes(e))).toEqual([]);
    return drawn;
  }

  it.each([
    ['examples/bookstore', () => example('bookstore')],
    ['examples/shop', () => example('shop')],
    ['examples/shop --strategy phased', () => example('shop', { strategy: 'phased' })],
  ])('draws the graph of %s', async (_name, plan) => {
    const diagram = diagramOf(plan());
    const drawn = await expectDrawn(diagram);
    expect(drawn.nodes).toBeGreaterThan(3);
  });

  it('numbers the namespaces of a phased plan with their phase', async () => {
    const drawn = await expectDrawn(diagramOf(example('shop', { strategy: 'phased' })));
    expect(drawn.text).toMatch(/phase 1: payments/);
    expect(drawn.text).toMatch(/phase 3: storefront/);
  });

  it('draws hostile names as text: no label breaks out, nothing becomes an element or a link', async () => {
    const diagram = diagramOf(migrate(hostileRepository()));
    const drawn = await expectDrawn(diagram);
    for (const name of HOSTILE_NAMES) expect(drawn.text).toContain(name.replace(/\n/g, ' '));
  });

  it('draws a large repository collapsed to namespaces, inside Mermaid\'s limits', async () => {
    const plan = migrate(largeRepository(24, 8));
    expect(plan.verification.pairs.length).toBeGreaterThan(150);
    const diagram = diagramOf(plan);
    const drawn = await expectDrawn(diagram);
    expect(drawn.nodes).toBe(24);
    expect(drawn.text).toContain('team-23');
  });

  // The negative control: a diagram Mermaid cannot parse is reported as such, so the tests above can fail.
  it('rejects a broken diagram', async () => {
    const drawn = await draw('flowchart LR\n  n0["unclosed] --> n1');
    expect(drawn.ok).toBe(false);
    expect(drawn.error).toMatch(/Parse error|Lexical error|Expecting/);
  });

  it('would draw extra nodes from a name that is not escaped (what the escaping prevents)', async () => {
    const raw = `flowchart LR\n  n0["${HOSTILE_NAMES[0]}"]\n  n1["b"]\n  n0 --> n1`;
    const drawn = await draw(raw);
    expect(drawn.ok && drawn.nodes === 2 && !drawn.elements?.includes('a')).toBe(false);
  });
});
