import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.ts';

/** examples/bookstore, the repository the CLI tests migrate. */
export const EXAMPLE = fileURLToPath(new URL('../../examples/bookstore', import.meta.url));

/** The CLI run in-process as `osm2linkerd <args>`: its exit code and what it wrote to stdout and stderr. */
export async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, (t) => { stdout += t; }, (t) => { stderr += t; });
  return { code, stdout, stderr };
}
