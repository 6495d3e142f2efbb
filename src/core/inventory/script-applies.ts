import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import type { LoadResult } from '../load/load.ts';
import { formatRef } from '../source.ts';
import { dirname, joinPath } from './kustomize.ts';
import type { Inventory } from './model.ts';

/**
 * Scripts that apply manifests with `kubectl -n <ns>` (issue 7 item 2). A script is not evidence of an object's
 * namespace: it may run once per namespace in a loop, with a variable, or never. So it places nothing; the finding
 * only says which line applies the file and why its namespace stays unknown.
 */

/** One `kubectl … -n <ns> … -f <path>` line of a script. */
interface ScriptApply {
  readonly script: string;
  readonly line: number;
  /** The namespace as written: a literal or a shell expression. */
  readonly namespace: string;
  /** The -f paths as written, resolved against the repository root and against the script's directory. */
  readonly paths: readonly string[];
  readonly recursive: boolean;
}

const SCRIPT = /(\.(sh|bash|zsh)|(^|\/)Makefile)$/;
const KUBECTL_APPLY = /\bkubectl\b.*\b(apply|create|replace)\b/;

function readScriptApplies(load: LoadResult): ScriptApply[] {
  const found: ScriptApply[] = [];
  for (const file of load.files.values()) {
    if (file.kind !== 'other' || !(SCRIPT.test(file.path) || file.text.startsWith('#!'))) continue;
    file.text.split('\n').forEach((text, i) => {
      if (!KUBECTL_APPLY.test(text)) return;
      const tokens = text.trim().split(/\s+/).map(unquote);
      const namespace = valueOf(tokens, ['-n', '--namespace']);
      if (namespace === undefined) return;
      const written = valuesOf(tokens, ['-f', '--filename']);
      const dir = dirname(file.path);
      const paths = [...new Set(written.flatMap((p) => [joinPath('', p), joinPath(dir, p)]))];
      found.push({ script: file.path, line: i + 1, namespace, paths, recursive: tokens.includes('-R') || tokens.includes('--recursive') });
    });
  }
  return found;
}

/** A finding on every namespace-less object a script applies with `kubectl -n`. */
export function scriptNamespaceFindings(load: LoadResult, inventory: Inventory): Finding[] {
  const applies = readScriptApplies(load);
  if (applies.length === 0) return [];
  return inventory.objects.flatMap((o) => {
    if (o.namespaceSource !== 'unknown' || o.ref.kind === 'Namespace') return [];
    const by = applies.filter((a) => a.paths.some((p) => p === o.doc.file || (a.recursive ? o.doc.file.startsWith(`${p}/`) : dirname(o.doc.file) === p)));
    return by.map((a) => finding('inventory/script-namespace-not-evidence', o.locate(['metadata']), {
      resource: formatRef(o.ref),
      message: `${a.script}:${a.line} applies ${o.doc.file} with \`kubectl -n ${a.namespace}\`. A script is not evidence of the namespace (it may run once per namespace, or not at all): ${formatRef(o.ref)} stays without a namespace, and so do the Linkerd resources generated from it.`,
    }));
  });
}

function unquote(token: string): string {
  return token.replace(/^["']|["';]+$/g, '');
}

function valueOf(tokens: readonly string[], flags: readonly string[]): string | undefined {
  return valuesOf(tokens, flags)[0];
}

/** `-f x`, `-f=x`, `--filename x`, `--filename=x`. */
function valuesOf(tokens: readonly string[], flags: readonly string[]): string[] {
  const values: string[] = [];
  tokens.forEach((t, i) => {
    for (const flag of flags) {
      if (t === flag && tokens[i + 1] !== undefined) values.push(tokens[i + 1] as string);
      else if (t.startsWith(`${flag}=`)) values.push(t.slice(flag.length + 1));
    }
  });
  return values.map((v) => v.replace(/\/\.?$/, ''));
}
