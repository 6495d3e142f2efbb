import { PortRejected } from './repository-port.ts';

/**
 * Creates something GitHub must hold once (a review, a check run, a comment, an issue). Those POSTs are never
 * retried blindly by Octokit: when the answer is lost (a 5xx from a proxy, a dropped connection), GitHub may have
 * stored it. So a failed attempt is followed by `lookUp`, which finds it by its marker or fingerprint; only when it
 * is not there is it created again, once. A PortRejected (a 4xx) is GitHub's verdict on the request itself and is passed on.
 * Returns what `create` returned, or what `lookUp` found.
 */
export async function createOnce<T>(create: () => Promise<T>, lookUp: () => Promise<T | undefined>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof PortRejected) throw error;
    const stored = await lookUp();
    if (stored !== undefined) return stored;
    return create();
  }
}
