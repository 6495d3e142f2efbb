import type { LoadResult, LoadedDocument } from '../load/load.ts';
import { locate } from '../load/load.ts';
import type { SourceLocation } from '../source.ts';
import { asArray, asRecord, asString } from '../values.ts';
import { dirname, joinPath } from './kustomize.ts';
import type { Kustomization } from './model.ts';

/**
 * What the repository deploys, entry point by entry point (issue 7 item 4). A repository is not one snapshot of one
 * cluster: a kustomization root, the path of a Flux Kustomization or an Argo CD Application, a Helm chart and a loose
 * manifest are each applied on their own. A manifest no entry point reaches (an archive, an example) is still
 * translated in place, but it never decides what a unit gets.
 */

export type EntryPointKind = 'kustomization' | 'flux-kustomization' | 'argocd-application' | 'helm-chart' | 'loose-manifest';

/** Where a unit's objects land when they name no namespace, and who says so. */
export interface NamespaceEvidence {
  readonly namespace: string;
  /**
   * `flux-target-namespace` overrides every namespace the objects name (kustomize-controller sets it like kustomize's
   * namespace transformer); `argocd-destination` only fills in a missing one (Argo CD's destination.namespace).
   */
  readonly source: 'flux-target-namespace' | 'argocd-destination';
  /** The Flux Kustomization or Argo CD Application that gives it. */
  readonly at: SourceLocation;
}

export interface DeploymentUnit {
  readonly kind: EntryPointKind;
  /** Where the entry point is defined: the kustomization file, the Flux/Argo object, Chart.yaml, the loose manifest. */
  readonly entry: SourceLocation;
  /** Human name: `kustomization overlays/prod`, `Argo CD Application hello (path .)`. */
  readonly name: string;
  /** The root kustomization when kustomize builds the unit: patches of it apply to the unit's objects. */
  readonly kustomization?: Kustomization;
  /** Manifest files whose objects the unit deploys, in repository order. */
  readonly files: readonly string[];
  /** Files the unit's kustomizations use as patches: not resources of their own (issue 7 item 3). */
  readonly patchFiles: readonly string[];
  readonly namespace?: NamespaceEvidence;
}

export interface DeploymentUnits {
  readonly units: readonly DeploymentUnit[];
  /** Manifest files with Kubernetes objects that no entry point reaches. */
  readonly unreached: ReadonlySet<string>;
  /** The units deploying a file (empty for an unreached file). */
  unitsOf(file: string): readonly DeploymentUnit[];
}

const FLUX_KUSTOMIZATION = /^kustomize\.toolkit\.fluxcd\.io\//;
const ARGO = /^argoproj\.io\//;

/**
 * Reads the entry points. A repository with GitOps entry points (Flux Kustomizations, Argo CD Applications) deploys
 * what they reach; files outside every unit are unreached. Without any, the repository is applied by hand or by a
 * script, so each manifest no kustomization or chart reaches is a loose-manifest unit of its own.
 */
export function readDeploymentUnits(load: LoadResult, kustomizations: readonly Kustomization[]): DeploymentUnits {
  const manifests = manifestFiles(load, kustomizations);
  const byDir = new Map(kustomizations.map((k) => [k.dir, k]));
  const units: DeploymentUnit[] = [];
  const gitOpsRoots = new Set<string>();
  for (const doc of load.documents) {
    const value = asRecord(doc.value);
    const apiVersion = asString(value['apiVersion']) ?? '';
    const kind = value['kind'];
    if (kind === 'Kustomization' && FLUX_KUSTOMIZATION.test(apiVersion)) {
      const spec = asRecord(value['spec']);
      const dir = repoDir(asString(spec['path']) ?? '');
      const target = asString(spec['targetNamespace']);
      const name = `Flux Kustomization ${asString(asRecord(value['metadata'])['name']) ?? ''} (path ${asString(spec['path']) ?? './'})`;
      const at = locate(doc, ['spec', 'path']);
      const unit = directoryUnit('flux-kustomization', name, at, dir, true, byDir, load, manifests,
        target ? { namespace: target, source: 'flux-target-namespace', at: locate(doc, ['spec', 'targetNamespace']) } : undefined);
      if (unit) {
        units.push(unit);
        if (unit.kustomization) gitOpsRoots.add(unit.kustomization.file);
      }
    } else if (kind === 'Application' && ARGO.test(apiVersion)) {
      units.push(...argoUnits(doc, byDir, load, manifests, gitOpsRoots));
    }
  }
  const gitOps = units.length > 0;
  for (const k of kustomizationRoots(kustomizations)) {
    if (gitOpsRoots.has(k.file)) continue;
    units.push(kustomizationUnit('kustomization', `kustomization ${k.dir || '.'}`, { file: k.file, line: 1 }, k, byDir, manifests));
  }
  for (const chart of [...load.files.keys()].filter((p) => /(^|\/)Chart\.ya?ml$/.test(p))) {
    const dir = dirname(chart);
    const files = [...load.files.keys()].filter((p) => p !== chart && isUnder(p, dir));
    units.push({ kind: 'helm-chart', entry: { file: chart, line: 1 }, name: `Helm chart ${dir || '.'}`, files, patchFiles: [] });
  }
  const reached = new Set(units.flatMap((u) => [...u.files, ...u.patchFiles]));
  const unreached = new Set<string>();
  for (const file of manifests) {
    if (reached.has(file)) continue;
    if (gitOps) unreached.add(file);
    else units.push({ kind: 'loose-manifest', entry: { file, line: 1 }, name: `loose manifest ${file}`, files: [file], patchFiles: [] });
  }
  const byFile = new Map<string, DeploymentUnit[]>();
  for (const u of units) for (const f of u.files) byFile.set(f, [...(byFile.get(f) ?? []), u]);
  return { units, unreached, unitsOf: (file) => byFile.get(file) ?? [] };
}

/** Files holding at least one Kubernetes-shaped document (kind and metadata), kustomization files excluded. */
function manifestFiles(load: LoadResult, kustomizations: readonly Kustomization[]): string[] {
  const kustomizationFiles = new Set(kustomizations.map((k) => k.file));
  return [...load.files.values()]
    .filter((f) => !kustomizationFiles.has(f.path) && f.documents.some(isObjectDocument))
    .map((f) => f.path);
}

function isObjectDocument(doc: LoadedDocument): boolean {
  const value = asRecord(doc.value);
  return typeof value['kind'] === 'string' && typeof asRecord(value['metadata'])['name'] === 'string';
}

/** An Argo CD Application: one unit per source with a path (spec.source, or spec.sources of a multi-source app). */
function argoUnits(
  doc: LoadedDocument,
  byDir: ReadonlyMap<string, Kustomization>,
  load: LoadResult,
  manifests: readonly string[],
  gitOpsRoots: Set<string>,
): DeploymentUnit[] {
  const value = asRecord(doc.value);
  const spec = asRecord(value['spec']);
  const appName = asString(asRecord(value['metadata'])['name']) ?? '';
  const destination = asString(asRecord(spec['destination'])['namespace']);
  const sources: [Record<string, unknown>, (string | number)[]][] = spec['source'] !== undefined
    ? [[asRecord(spec['source']), ['spec', 'source']]]
    : asArray(spec['sources']).map((s, i) => [asRecord(s), ['spec', 'sources', i]]);
  return sources.flatMap(([source, path]): DeploymentUnit[] => {
    const written = asString(source['path']);
    // A chart from a Helm repository (source.chart) has no path in this repository.
    if (written === undefined) return [];
    const recurse = asRecord(source['directory'])['recurse'] === true;
    const at = locate(doc, [...path, 'path']);
    const evidence: NamespaceEvidence | undefined = destination
      ? { namespace: destination, source: 'argocd-destination', at: locate(doc, ['spec', 'destination', 'namespace']) }
      : undefined;
    const unit = directoryUnit('argocd-application', `Argo CD Application ${appName} (path ${written})`, at, repoDir(written), recurse, byDir, load, manifests, evidence);
    if (unit?.kustomization) gitOpsRoots.add(unit.kustomization.file);
    return unit ? [unit] : [];
  });
}

/**
 * A GitOps path: the kustomization in it when there is one, else its manifests (Flux generates a kustomization of
 * every manifest below the path; Argo CD reads the directory itself, its subdirectories only with `recurse`).
 */
function directoryUnit(
  kind: 'flux-kustomization' | 'argocd-application',
  name: string,
  entry: SourceLocation,
  dir: string,
  recurse: boolean,
  byDir: ReadonlyMap<string, Kustomization>,
  load: LoadResult,
  manifests: readonly string[],
  namespace: NamespaceEvidence | undefined,
): DeploymentUnit | undefined {
  const k = byDir.get(dir);
  if (k) return kustomizationUnit(kind, name, entry, k, byDir, manifests, namespace);
  const files = manifests.filter((f) => (recurse ? isUnder(f, dir) : dirname(f) === dir));
  if (files.length === 0 && ![...load.files.keys()].some((f) => isUnder(f, dir))) return undefined;
  return { kind, entry, name, files, patchFiles: [], ...(namespace ? { namespace } : {}) };
}

function kustomizationUnit(
  kind: EntryPointKind,
  name: string,
  entry: SourceLocation,
  root: Kustomization,
  byDir: ReadonlyMap<string, Kustomization>,
  manifests: readonly string[],
  namespace?: NamespaceEvidence,
): DeploymentUnit {
  const files = new Set<string>();
  const patchFiles = new Set<string>();
  const known = new Set(manifests);
  const walk = (k: Kustomization, seen: ReadonlySet<string>): void => {
    if (seen.has(k.file)) return;
    const next = new Set(seen).add(k.file);
    for (const p of patchPaths(k)) patchFiles.add(joinPath(k.dir, p));
    for (const entryPath of k.resources) {
      if (isRemote(entryPath)) continue;
      const target = joinPath(k.dir, entryPath);
      const child = byDir.get(target);
      if (child) walk(child, next);
      else if (known.has(target)) files.add(target);
    }
  };
  walk(root, new Set());
  return {
    kind,
    entry,
    name,
    kustomization: root,
    files: manifests.filter((f) => files.has(f) && !patchFiles.has(f)),
    patchFiles: [...patchFiles].sort(),
    ...(namespace ? { namespace } : {}),
  };
}

/** patchesStrategicMerge entries, and the `path` of patches / patchesJson6902 entries, as written. */
function patchPaths(k: Kustomization): string[] {
  const value = asRecord(k.doc.value);
  const strategic = asArray(value['patchesStrategicMerge']).flatMap((e) => {
    const s = asString(e);
    // An inline patch is YAML text, not a path.
    return s !== undefined && !s.includes('\n') ? [s] : [];
  });
  const withPath = [...asArray(value['patches']), ...asArray(value['patchesJson6902'])].flatMap((e) => asString(asRecord(e)['path']) ?? []);
  return [...strategic, ...withPath];
}

/** Kustomizations no other kustomization includes: each is built on its own. */
export function kustomizationRoots(kustomizations: readonly Kustomization[]): Kustomization[] {
  const byDir = new Map(kustomizations.map((k) => [k.dir, k]));
  const included = new Set<string>();
  for (const k of kustomizations) {
    for (const entry of k.resources) {
      const child = byDir.get(joinPath(k.dir, entry));
      if (child && child !== k) included.add(child.file);
    }
  }
  return kustomizations.filter((k) => !included.has(k.file));
}

function isRemote(entry: string): boolean {
  return /^[a-z]+:\/\//i.test(entry) || entry.startsWith('git@');
}

/** A GitOps path (`./apps/prod`, `apps/prod/`, `.`) as a repository directory. */
function repoDir(path: string): string {
  return joinPath('', path);
}

function isUnder(file: string, dir: string): boolean {
  return dir === '' || file.startsWith(`${dir}/`);
}
