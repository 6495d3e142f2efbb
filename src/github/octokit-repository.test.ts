import { describe, expect, it } from 'vitest';
import { batches, OctokitRepository } from './octokit-repository.ts';
import { PortConflict, PortRejected } from './repository-port.ts';

describe('blob batches for the GraphQL query', () => {
  it('holds at most 250 files and about 4 MiB of text per query', () => {
    const small = Array.from({ length: 600 }, (_, i) => ({ path: `f${i}.yaml`, sha: '', size: 1_000 }));
    expect(batches(small).map((b) => b.length)).toEqual([250, 250, 100]);
    const large = Array.from({ length: 10 }, (_, i) => ({ path: `big${i}.yaml`, sha: '', size: 1_000_000 }));
    expect(batches(large).map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches([])).toEqual([]);
  });
});

describe('typed port errors', () => {
  const answer = (status: number, message: string) => () => Promise.reject(Object.assign(new Error(message), { status }));
  const octokit = {
    rest: {
      git: { updateRef: answer(422, 'Update is not a fast forward'), createRef: answer(422, 'Reference already exists') },
      repos: { getBranch: answer(404, 'Branch not found') },
      issues: { create: answer(403, 'Resource not accessible by integration'), createComment: answer(502, 'Bad Gateway') },
    },
  } as unknown as ConstructorParameters<typeof OctokitRepository>[0];
  const port = new OctokitRepository(octokit, 'acme', 'shop');

  it('turns a 4xx into PortConflict, PortNotFound or PortRejected, and passes a 5xx on as it is', async () => {
    const conflict = await port.updateBranch('osm2linkerd/migrate', 'abc', false).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(PortConflict);
    expect(conflict).toMatchObject({ status: 422, message: 'Update is not a fast forward', cause: { status: 422 } });
    expect(await port.createBranch('osm2linkerd/migrate', 'abc')).toBe('exists');
    // The port has written, so the branch is asked of REST, whose 404 is "no such branch".
    expect(await port.getBranch('gone')).toBeNull();
    const refused = await port.createIssue('t', 'b').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PortRejected);
    expect(refused).not.toBeInstanceOf(PortConflict);
    expect(refused).toMatchObject({ status: 403 });
    const lost = await port.createIssueComment(1, 'b').catch((e: unknown) => e);
    expect(lost).not.toBeInstanceOf(PortRejected);
    expect(lost).toMatchObject({ status: 502, message: 'Bad Gateway' });
  });
});
