import { LineCounter, parseAllDocuments, isMap, isSeq, isNode, type Document } from 'yaml';
import type { NodePath, RepositoryFiles, SourceLocation } from '../source.ts';
import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';
import { isHelmTemplate, helmTemplateFindings } from './helm.ts';
import { dropInvalidNumbers } from './numbers.ts';

export type ParsedDocument = Document.Parsed;

/** One YAML (or JSON) document of a file, with what is needed to point back into its text. */
export interface LoadedDocument {
  readonly file: string;
  /** Index of the document in its file (0-based). */
  readonly index: number;
  /** The document as plain data. */
  readonly value: unknown;
  readonly document: ParsedDocument;
  /** Offsets in the file text: [start of the document's content, end including its trailing separator]. */
  readonly range: readonly [number, number];
  readonly lineCounter: LineCounter;
}

export type FileKind = 'yaml' | 'json' | 'helm-template' | 'other';

export interface LoadedFile {
  readonly path: string;
  readonly text: string;
  readonly kind: FileKind;
  readonly documents: readonly LoadedDocument[];
}

export interface LoadResult {
  readonly files: ReadonlyMap<string, LoadedFile>;
  readonly documents: readonly LoadedDocument[];
  readonly findings: readonly Finding[];
}

const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Parses every manifest of the repository. Broken files become findings; the rest is still loaded. `earlier` are
 * loads of other trees of the same repository: a file whose text is the same string as there is not parsed again
 * (parsing is a function of the text alone; the loaded data is never changed after loading).
 */
export function loadRepository(files: RepositoryFiles, earlier: readonly LoadResult[] = [], keepSyntax = true): LoadResult {
  const loaded = new Map<string, LoadedFile>();
  const documents: LoadedDocument[] = [];
  const findings: Finding[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const [path, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const known = earlier.map((load) => reusable(load, path, text)).find((r) => r !== undefined);
    const fileFindings: Finding[] = [...(known?.findings ?? [])];
    const file = known?.file ?? loadFile(path, text, fileFindings, keepSyntax);
    loaded.set(path, file);
    documents.push(...file.documents);
    findings.push(...fileFindings);
    if (fileFindings.length > 0) byFile.set(path, fileFindings);
  }
  const result = { files: loaded, documents, findings };
  loadFindings.set(result, byFile);
  return result;
}

/**
 * Loads other trees of the same repository (the migrated one, each phase's), parsing only the files whose text is
 * not that of the original load or of the tree loaded last.
 */
export function reloader(original: LoadResult): (files: RepositoryFiles) => LoadResult {
  let last: LoadResult | undefined;
  // Nothing is edited in these trees: their syntax trees are parsed again only if something asks for a line.
  return (files) => (last = loadRepository(files, last ? [original, last] : [original], false));
}

/** Each load's findings by file, so that a later load reusing a file says them again. */
const loadFindings = new WeakMap<LoadResult, ReadonlyMap<string, readonly Finding[]>>();

function reusable(load: LoadResult, path: string, text: string): { file: LoadedFile; findings: readonly Finding[] } | undefined {
  const file = load.files.get(path);
  const byFile = loadFindings.get(load);
  if (file?.text !== text || !byFile) return undefined;
  return { file, findings: byFile.get(path) ?? [] };
}

function loadFile(path: string, text: string, findings: Finding[], keepSyntax: boolean): LoadedFile {
  if (!MANIFEST.test(path)) return { path, text, kind: 'other', documents: [] };
  if (isHelmTemplate(path, text)) {
    findings.push(...helmTemplateFindings(path, text));
    return { path, text, kind: 'helm-template', documents: [] };
  }
  const kind: FileKind = /\.json$/i.test(path) ? 'json' : 'yaml';
  const lineCounter = new LineCounter();
  // merge: true reads `<<: *anchor` as Kubernetes does (go-yaml merges), so OSM keys brought in that way are seen.
  const docs = parseText(text, lineCounter);
  let again: ParsedDocument[] | undefined;
  const reparse = () => (again ??= parseText(text));
  const documents: LoadedDocument[] = [];
  docs.forEach((document, index) => {
    const error = document.errors[0];
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line;
      findings.push(
        finding('load/yaml-syntax-error', { file: path, line }, {
          message: `Document ${index + 1} of ${path} does not parse: ${firstLine(error.message)}`,
        }),
      );
      return;
    }
    const value = toValue(document);
    const at = () => ({ file: path, line: lineCounter.linePos(document.range[0]).line });
    if (value instanceof AliasLimit) {
      findings.push(finding('load/alias-limit', at(), {
        message: `Document ${index + 1} of ${path} expands YAML aliases more than ${MAX_ALIAS_EXPANSIONS} times: it was not read, and the file is left as it is.`,
      }));
      return;
    }
    if (value instanceof Error) {
      findings.push(finding('load/yaml-syntax-error', at(), { message: `Document ${index + 1} of ${path} does not resolve: ${firstLine(value.message)}` }));
      return;
    }
    if (value === undefined || value === null) return;
    const range = document.range;
    const loaded = loadedDocument({ file: path, index, value, range: [range[0], range[2]], lineCounter }, keepSyntax ? keptSyntax(document) : lazySyntax(reparse, index));
    findings.push(...dropInvalidNumbers(loaded));
    documents.push(loaded);
  });
  return { path, text, kind, documents };
}

function parseText(text: string, lineCounter?: LineCounter): ParsedDocument[] {
  // merge: true reads `<<: *anchor` as Kubernetes does (go-yaml merges), so OSM keys brought in that way are seen.
  const parsed = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, merge: true, ...(lineCounter ? { lineCounter } : {}) });
  return Array.isArray(parsed) ? parsed : [];
}

// Module-level, so that a lazy document's closure holds no syntax tree of its file.
const keptSyntax = (document: ParsedDocument) => () => document;
const lazySyntax = (all: () => ParsedDocument[], index: number) => () => all()[index] as ParsedDocument;

function loadedDocument(fields: Omit<LoadedDocument, 'document'>, syntax: () => ParsedDocument): LoadedDocument {
  return {
    ...fields,
    get document() {
      return syntax();
    },
  };
}

/**
 * Alias expansions a document may make (yaml counts an alias of an anchor holding aliases as their product). A
 * Deployment repeating `*env` in 150 containers needs 150; an alias bomb needs billions. Past this, a finding.
 */
export const MAX_ALIAS_EXPANSIONS = 10_000;

class AliasLimit extends Error {}

function toValue(document: ParsedDocument): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) return new AliasLimit(error.message);
    return error instanceof Error ? error : new Error(String(error));
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** The 1-based line of the node at `path`, or of its closest existing ancestor. */
export function locate(doc: LoadedDocument, path: NodePath): SourceLocation {
  let node: unknown = doc.document.contents;
  let offset = doc.range[0];
  if (isNode(node) && node.range) offset = node.range[0];
  for (const key of path) {
    const next = childNode(node, key);
    if (!next) break;
    node = next.node;
    offset = next.offset;
  }
  return { file: doc.file, line: doc.lineCounter.linePos(offset).line };
}

function childNode(node: unknown, key: string | number): { node: unknown; offset: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isNode(p.key) ? (p.key as { value?: unknown }).value === key : p.key === key);
    if (!pair) return undefined;
    const keyNode = pair.key;
    const valueNode = pair.value;
    const at = isNode(valueNode) && valueNode.range && !isMap(valueNode) && !isSeq(valueNode)
      ? valueNode.range[0]
      : isNode(keyNode) && keyNode.range ? keyNode.range[0] : undefined;
    return at === undefined ? undefined : { node: valueNode, offset: at };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    if (isNode(item) && item.range) return { node: item, offset: item.range[0] };
  }
  return undefined;
}
