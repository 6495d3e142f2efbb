import type { MigrationPlan } from '../plan/types.ts';
import type { AccessChange, AccessPair } from '../verify/types.ts';
import { escapeMarkdown, inlineCode } from './markdown.ts';
import { mermaidLabel } from './mermaid.ts';

/**
 * "Who may call whom after merging": a Mermaid flowchart of the pairs verify found allowed (namespaces as subgraphs,
 * one edge per identity → workload:port, the edges whose verdict changes highlighted, a phased plan's namespaces
 * numbered with their phase), with the same graph as text in a collapsed block for readers (and clients) that do not
 * draw Mermaid. Large graphs collapse to namespace → namespace edges so the diagram stays inside what GitHub draws.
 */

/** Mermaid's defaults (maxEdges 500, maxTextSize 50,000), with room to spare; GitHub's body limit is 65,536. */
export const GRAPH_LIMITS = { workloadEdges: 150, namespaceEdges: 400, diagramChars: 20_000, textChars: 12_000 } as const;

export type EdgeVerdict = 'kept' | 'denied' | 'partly-denied' | 'allowed' | 'wider';

const VERDICT_TEXT: Record<EdgeVerdict, string> = {
  kept: 'allowed before and after',
  denied: 'allowed before, denied after',
  'partly-denied': 'some requests allowed before are denied after',
  allowed: 'denied before, allowed after',
  wider: 'some requests denied before are allowed after',
};

/** Edge labels in the diagram (fixed text: nothing from the repository). */
const VERDICT_LABEL: Record<EdgeVerdict, string> = { kept: '', denied: 'denied after', 'partly-denied': 'some denied after', allowed: 'allowed after', wider: 'more allowed after' };

const LINK_STYLE = {
  cut: 'stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 4',
  opened: 'stroke:#bf8700,stroke-width:3px',
} as const;

interface GraphNode {
  readonly id: string;
  /** In the diagram, where the subgraph names the namespace. */
  readonly label: string;
  /** In the text list: the identity or `namespace/workload:port` in full. */
  readonly name: string;
  readonly shape: 'identity' | 'port' | 'outside' | 'namespace';
}

interface GraphEdge {
  readonly from: GraphNode;
  readonly to: GraphNode;
  readonly verdict: EdgeVerdict;
  /** Namespace level: how many pairs the edge stands for. */
  readonly pairs: number;
}

interface Graph {
  readonly level: 'workload' | 'namespace';
  /** Subgraph title per namespace (with its phase), in drawing order. */
  readonly groups: readonly { readonly title: string; readonly nodes: readonly GraphNode[] }[];
  readonly outside: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface AccessGraph {
  readonly level: 'workload' | 'namespace';
  /** Absent when even the namespace-level diagram would exceed the limits (or there is nothing to draw). */
  readonly mermaid?: string;
  readonly edges: number;
}

/** The section of the pull request body. */
export function accessGraphMarkdown(plan: MigrationPlan): string {
  const title = '### Who may call whom after merging';
  const { graph, mermaid } = fittingGraph(plan);
  if (graph.edges.length === 0) return `${title}\n\nNo meshed workload accepts requests from anyone in this repository.`;
  const lines = [title, ''];
  if (graph.level === 'namespace') lines.push(`Collapsed to namespaces: ${plan.verification.pairs.length} (source → workload:port) pairs are too many to draw one by one.`, '');
  if (mermaid) lines.push(`\`\`\`mermaid\n${mermaid}\n\`\`\``, '', LEGEND);
  else lines.push(`Too large to draw (${graph.edges.length} namespace → namespace edges): the graph is in the list below.`);
  if (plan.phases && plan.phases.length > 0) lines.push('', 'Each namespace is numbered with the phase that moves it to Linkerd.');
  lines.push('', collapsedText(graph));
  return lines.join('\n');
}

const LEGEND = 'Black arrows: allowed before and after. Red dashed: allowed before, **denied after** (all or some requests). Orange: **allowed after** that OSM denied (all or some requests). The kubelet\'s probes are drawn only where their verdict changes; "Access changes" above says which requests.';

/** The diagram alone, at the level that fits (exported for the tests that draw it in a browser). */
export function accessGraph(plan: MigrationPlan): AccessGraph {
  const { graph, mermaid } = fittingGraph(plan);
  return { level: graph.level, ...(mermaid !== undefined ? { mermaid } : {}), edges: graph.edges.length };
}

/** One edge per pair when that fits, else namespace → namespace edges; no diagram when even those do not fit. */
function fittingGraph(plan: MigrationPlan): { graph: Graph; mermaid?: string } {
  const detailed = buildGraph(plan, 'workload');
  if (detailed.edges.length === 0) return { graph: detailed };
  const detailedText = renderMermaid(detailed);
  if (detailed.edges.length <= GRAPH_LIMITS.workloadEdges && detailedText.length <= GRAPH_LIMITS.diagramChars) return { graph: detailed, mermaid: detailedText };
  const collapsed = buildGraph(plan, 'namespace');
  const text = renderMermaid(collapsed);
  const fits = collapsed.edges.length <= GRAPH_LIMITS.namespaceEdges && text.length <= GRAPH_LIMITS.diagramChars;
  return { graph: collapsed, ...(fits ? { mermaid: text } : {}) };
}

function verdictOf(pair: AccessPair, change: AccessChange | undefined): EdgeVerdict | undefined {
  if (change === undefined) return pair.linkerd ? 'kept' : undefined;
  if (change.narrower > 0) return pair.linkerd ? 'partly-denied' : 'denied';
  return pair.osm ? 'wider' : 'allowed';
}

/** The edges that matter most win when several pairs share a namespace → namespace edge. */
const VERDICT_RANK: Record<EdgeVerdict, number> = { denied: 0, 'partly-denied': 1, allowed: 2, wider: 3, kept: 4 };

function buildGraph(plan: MigrationPlan, level: Graph['level']): Graph {
  const phaseOf = new Map<string, number>();
  for (const phase of plan.phases ?? []) for (const ns of phase.namespaces) if (!phaseOf.has(ns)) phaseOf.set(ns, phase.index);
  const changes = new Map(plan.verification.accessChanges.filter((c) => c.unit === undefined).map((c) => [pairKey(c), c]));
  const nodes = new Map<string, GraphNode & { readonly namespace?: string }>();
  const node: NodeFactory = (key, label, shape, namespace, name = label) => {
    let known = nodes.get(key);
    if (!known) nodes.set(key, (known = { id: `n${nodes.size}`, label, name, shape, ...(namespace !== undefined ? { namespace } : {}) }));
    return known;
  };
  const namespaceNode = (ns: string) => node(`ns\u0000${ns}`, namespaceTitle(ns, phaseOf), 'namespace', ns);
  const edges = new Map<string, { from: GraphNode; to: GraphNode; verdict: EdgeVerdict; pairs: number }>();
  for (const pair of plan.verification.pairs) {
    const verdict = verdictOf(pair, changes.get(pairKey(pair)));
    // Probes reach every port: drawn only where the migration changes them.
    if (verdict === undefined || (pair.source === 'kubelet' && verdict === 'kept')) continue;
    const from = level === 'workload' ? sourceNode(pair, node) : sourceGroupNode(pair, node, namespaceNode);
    const to = level === 'workload'
      ? node(`port\u0000${pair.namespace}\u0000${pair.workload}\u0000${pair.port}`, `${pair.workload}:${pair.port}`, 'port', pair.namespace, `${pair.namespace}/${pair.workload}:${pair.port}`)
      : namespaceNode(pair.namespace);
    const key = `${from.id}\u0000${to.id}`;
    const known = edges.get(key);
    if (!known) edges.set(key, { from, to, verdict, pairs: 1 });
    else {
      known.pairs++;
      if (VERDICT_RANK[verdict] < VERDICT_RANK[known.verdict]) known.verdict = verdict;
    }
  }
  const byNamespace = new Map<string, GraphNode[]>();
  const outside: GraphNode[] = [];
  for (const n of nodes.values()) {
    if (n.namespace === undefined) outside.push(n);
    else byNamespace.set(n.namespace, [...(byNamespace.get(n.namespace) ?? []), n]);
  }
  const order = (ns: string) => phaseOf.get(ns) ?? Number.MAX_SAFE_INTEGER;
  const groups = [...byNamespace.keys()]
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((ns) => ({ title: namespaceTitle(ns, phaseOf), nodes: byNamespace.get(ns) ?? [] }));
  return { level, groups, outside, edges: [...edges.values()] };
}

function namespaceTitle(namespace: string, phaseOf: ReadonlyMap<string, number>): string {
  const phase = phaseOf.get(namespace);
  return phase === undefined ? namespace : `phase ${phase}: ${namespace}`;
}

type NodeFactory = (key: string, label: string, shape: GraphNode['shape'], namespace?: string, name?: string) => GraphNode;

/** A meshed identity sits in its namespace's subgraph; ingress controllers, unmeshed clients and the kubelet outside. */
function sourceNode(pair: AccessPair, node: NodeFactory): GraphNode {
  if (pair.sourceKind !== 'meshed' || pair.sourceNamespace === undefined) return node(`src\u0000${pair.source}`, pair.source, 'outside');
  const serviceAccount = pair.source.slice(0, pair.source.length - pair.sourceNamespace.length - 1);
  return node(`id\u0000${pair.sourceNamespace}\u0000${serviceAccount}`, `ServiceAccount ${serviceAccount}`, 'identity', pair.sourceNamespace, pair.source);
}

function sourceGroupNode(pair: AccessPair, node: NodeFactory, namespaceNode: (ns: string) => GraphNode): GraphNode {
  if (pair.sourceKind === 'ingress') return node('outside\u0000ingress', 'ingress controllers', 'outside');
  if (pair.sourceKind !== 'meshed' || pair.sourceNamespace === undefined) return node(`outside\u0000${pair.source}`, pair.source, 'outside');
  return namespaceNode(pair.sourceNamespace);
}

function pairKey(p: Pick<AccessPair, 'source' | 'namespace' | 'workload' | 'port'>): string {
  return `${p.source}\u0000${p.namespace}\u0000${p.workload}\u0000${p.port}`;
}

const SHAPES: Record<GraphNode['shape'], (label: string) => string> = {
  identity: (l) => `(["${l}"])`,
  port: (l) => `["${l}"]`,
  outside: (l) => `[/"${l}"/]`,
  namespace: (l) => `["${l}"]`,
};

/**
 * Node and subgraph ids are generated (n0, g0…); every label is quoted and passed through mermaidLabel, so no name
 * can close a label, start a statement, or carry Markdown or HTML into the drawing.
 */
function renderMermaid(graph: Graph): string {
  const lines = ['flowchart LR'];
  const declare = (n: GraphNode, indent: string) => lines.push(`${indent}${n.id}${SHAPES[n.shape](mermaidLabel(n.label))}`);
  // Namespace level: the namespaces are the nodes; a subgraph would only box each one again.
  if (graph.level === 'workload') {
    graph.groups.forEach((g, i) => {
      lines.push(`  subgraph g${i}["${mermaidLabel(g.title)}"]`);
      for (const n of g.nodes) declare(n, '    ');
      lines.push('  end');
    });
  } else {
    for (const g of graph.groups) for (const n of g.nodes) declare(n, '  ');
  }
  for (const n of graph.outside) declare(n, '  ');
  const cut: number[] = [];
  const opened: number[] = [];
  graph.edges.forEach((e, i) => {
    const label = [graph.level === 'namespace' ? `${e.pairs} pair${e.pairs === 1 ? '' : 's'}` : '', VERDICT_LABEL[e.verdict]].filter(Boolean).join(', ');
    const arrow = e.verdict === 'denied' ? '-.->' : '-->';
    lines.push(`  ${e.from.id} ${arrow}${label ? `|"${label}"|` : ''} ${e.to.id}`);
    if (e.verdict === 'denied' || e.verdict === 'partly-denied') cut.push(i);
    else if (e.verdict !== 'kept') opened.push(i);
  });
  if (cut.length > 0) lines.push(`  linkStyle ${cut.join(',')} ${LINK_STYLE.cut}`);
  if (opened.length > 0) lines.push(`  linkStyle ${opened.join(',')} ${LINK_STYLE.opened}`);
  return lines.join('\n');
}

/** The same graph as a list, grouped by destination: repository text as inline code, the verdict in words. */
function collapsedText(graph: Graph): string {
  const rows: string[] = [];
  const byTarget = new Map<GraphNode, GraphEdge[]>();
  for (const e of graph.edges) byTarget.set(e.to, [...(byTarget.get(e.to) ?? []), e]);
  const targets = graph.level === 'workload'
    ? graph.groups.map((g) => ({ title: g.title, nodes: g.nodes.filter((n) => byTarget.has(n)) })).filter((g) => g.nodes.length > 0)
    : [{ title: '', nodes: graph.groups.flatMap((g) => g.nodes).filter((n) => byTarget.has(n)) }];
  let omitted = 0;
  let used = 0;
  for (const group of targets) {
    const block: string[] = group.title ? [`**${escapeMarkdown(group.title)}**`] : [];
    for (const target of group.nodes) {
      for (const e of byTarget.get(target) ?? []) {
        const count = graph.level === 'namespace' ? ` (${e.pairs} pair${e.pairs === 1 ? '' : 's'})` : '';
        const row = `- ${inlineCode(e.from.name)} → ${inlineCode(e.to.name)}${count}: ${VERDICT_TEXT[e.verdict]}`;
        if (used + row.length > GRAPH_LIMITS.textChars) { omitted++; continue; }
        used += row.length + 1;
        block.push(row);
      }
    }
    if (block.length > (group.title ? 1 : 0)) rows.push(block.join('\n'));
  }
  if (omitted > 0) rows.push(`…and ${omitted} more edges: \`osm2linkerd verify\` lists every pair that changes.`);
  return `<details><summary>The same graph as text (${graph.edges.length} edges)</summary>\n\n${rows.join('\n\n')}\n\n</details>`;
}
