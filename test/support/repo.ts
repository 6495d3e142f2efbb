import { buildInventory } from '../../src/core/inventory/inventory.ts';
import { loadRepository } from '../../src/core/load/load.ts';

/** A repository from `{ path: text }`, with leading indentation of template literals removed. */
export function repo(files: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(files).map(([path, text]) => [path, dedent(text)]));
}

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function inventoryOf(files: Record<string, string>) {
  const load = loadRepository(repo(files));
  return { load, ...buildInventory(load) };
}
