import { Buffer } from 'node:buffer';
import { stringify } from 'yaml';

/**
 * The part of Go's text/template (with Helm's include, toYaml, nindent, quote, b64enc, default) the chart in
 * deploy/helm uses, so its templates can be rendered and parsed without a helm binary. Anything outside that subset
 * throws, so a template that grows past it fails the test instead of rendering wrongly.
 */
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: string }
  | { kind: 'if' | 'with'; branches: { condition: string | null; body: Node[] }[] }
  | { kind: 'define'; name: string; body: Node[] };

const ACTION = /\{\{(-)?\s*([\s\S]*?)\s*(-)?\}\}/g;

export function parseTemplate(source: string): Node[] {
  const tokens: ({ text: string } | { action: string })[] = [];
  let last = 0;
  let trimNext = false;
  for (const m of source.matchAll(ACTION)) {
    let text = source.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1]) text = text.replace(/\s+$/, '');
    tokens.push({ text });
    tokens.push({ action: m[2] ?? '' });
    trimNext = Boolean(m[3]);
    last = (m.index ?? 0) + m[0].length;
  }
  tokens.push({ text: trimNext ? source.slice(last).replace(/^\s+/, '') : source.slice(last) });
  let i = 0;
  const block = (): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (!t) break;
      if ('text' in t) {
        if (t.text) nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      const [word = '', ...rest] = t.action.split(/\s+/);
      const args = rest.join(' ');
      if (word === 'end' || word === 'else') return { nodes, end: t.action };
      if (word === 'if' || word === 'with') {
        const branches: { condition: string | null; body: Node[] }[] = [];
        let condition: string | null = args;
        for (;;) {
          const inner = block();
          branches.push({ condition, body: inner.nodes });
          if (inner.end === 'end') break;
          condition = inner.end.startsWith('else if ') ? inner.end.slice('else if '.length) : null;
        }
        nodes.push({ kind: word, branches });
      } else if (word === 'define') {
        nodes.push({ kind: 'define', name: JSON.parse(args) as string, body: block().nodes });
      } else if (word.startsWith('/*')) {
        continue;
      } else nodes.push({ kind: 'action', pipeline: t.action });
    }
    return { nodes, end: '' };
  };
  return block().nodes;
}

export class Renderer {
  readonly #defines = new Map<string, Node[]>();

  define(source: string): void {
    for (const node of parseTemplate(source)) if (node.kind === 'define') this.#defines.set(node.name, node.body);
  }

  render(source: string, dot: unknown): string {
    return this.#nodes(parseTemplate(source), dot);
  }

  #nodes(nodes: readonly Node[], dot: unknown): string {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') out += node.text;
      else if (node.kind === 'action') out += format(this.#pipeline(node.pipeline, dot));
      else if (node.kind === 'define') this.#defines.set(node.name, node.body);
      else {
        for (const branch of node.branches) {
          const value = branch.condition === null ? true : this.#pipeline(branch.condition, dot);
          if (truthy(value)) {
            out += this.#nodes(branch.body, node.kind === 'with' && branch.condition !== null ? value : dot);
            break;
          }
        }
      }
    }
    return out;
  }

  #pipeline(pipeline: string, dot: unknown): unknown {
    let value: unknown;
    split(pipeline, '|').forEach((command, index) => {
      const words = split(command.trim(), ' ').filter(Boolean);
      const args = (from: number) => words.slice(from).map((w) => this.#operand(w, dot));
      const [head = ''] = words;
      if (index === 0) value = /^[a-z]/i.test(head) && !/^(true|false)$/.test(head) ? this.#call(head, args(1)) : this.#operand(head, dot);
      else value = this.#call(head, [...args(1), value]);
    });
    return value;
  }

  #operand(word: string, dot: unknown): unknown {
    if (word.startsWith('(')) return this.#pipeline(word.slice(1, -1), dot);
    if (word.startsWith('"')) return JSON.parse(word) as string;
    if (/^-?\d+$/.test(word)) return Number(word);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === '.') return dot;
    if (word.startsWith('.')) return word.slice(1).split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), dot);
    throw new Error(`template operand not supported: ${word}`);
  }

  #call(name: string, args: unknown[]): unknown {
    switch (name) {
      case 'include': {
        const body = this.#defines.get(String(args[0]));
        if (!body) throw new Error(`no template ${String(args[0])}`);
        return this.#nodes(body, args[1]);
      }
      case 'toYaml': return stringify(args[0]).trimEnd();
      case 'nindent': return `\n${indent(Number(args[0]), format(args[1]))}`;
      case 'indent': return indent(Number(args[0]), format(args[1]));
      case 'quote': return JSON.stringify(format(args[0]));
      case 'b64enc': return Buffer.from(format(args[0])).toString('base64');
      case 'default': return truthy(args[1]) ? args[1] : args[0];
      case 'not': return !truthy(args[0]);
      case 'and': return args.every(truthy) ? args.at(-1) : args.find((a) => !truthy(a));
      case 'or': return args.find(truthy) ?? args.at(-1);
      case 'eq': return args[0] === args[1];
      default: throw new Error(`template function not supported: ${name}`);
    }
  }
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function format(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function indent(n: number, text: string): string {
  return text.split('\n').map((l) => `${' '.repeat(n)}${l}`).join('\n');
}

/** Splits on `separator` outside quotes and parentheses. */
function split(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
