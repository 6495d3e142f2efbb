import { hash53 } from '../findings/finding.ts';

const MAX = 63;

/**
 * A DNS-1123 label derived from its parts: lower case, [a-z0-9-], at most 63 characters. When the readable form is
 * too long or had to be changed, a short hash of the original parts keeps two different inputs from colliding.
 */
export function resourceName(...parts: readonly (string | number)[]): string {
  const raw = parts.map(String).filter((p) => p !== '').join('-');
  const clean = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (clean === raw && clean.length <= MAX && clean !== '') return clean;
  const suffix = hash53(raw).slice(0, 6);
  const head = clean.slice(0, MAX - suffix.length - 1).replace(/-$/g, '');
  return head ? `${head}-${suffix}` : `x-${suffix}`;
}
