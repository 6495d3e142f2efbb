import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_MISSING = `skipped: ${CHROMIUM} not found — the Mermaid browser suite needs Debian's chromium (apt-get install -y chromium); CI runs it`;

/** Whether a browser suite can run here. In CI it must: a missing chromium fails it instead of skipping. */
export function chromiumAvailable(): boolean {
  const found = existsSync(CHROMIUM);
  if (!found && process.env.CI) throw new Error(`${CHROMIUM} not found: install it (apt-get install -y chromium); CI must not skip the browser suites`);
  return found;
}

/** A suite that drives chromium. Without it (outside CI) one skipped placeholder says why, and the factory never runs. */
export function describeWithChromium(name: string, factory: () => void): void {
  if (chromiumAvailable()) describe(name, factory);
  else describe.skip(name, () => it(CHROMIUM_MISSING, () => undefined));
}
