import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/core/index.ts';
import { corpusRepositories, describeWithShared } from '../support/shared.ts';
import { harness, installationCreated, openApiViolations } from '../support/github.ts';

afterEach(() => {
  expect(openApiViolations()).toEqual([]);
});

/**
 * The app on every corpus repository, as it would run on an installation: one PR where the translation changes
 * files, a review GitHub accepts (the in-memory GitHub rejects anchors off the diff, as GitHub does), a check run,
 * and nothing at all where the repository holds no OSM configuration.
 */
describeWithShared('the GitHub App on the OSM corpus', () => {
  it.each(corpusRepositories().map((r) => [r.name, r.files] as const))('%s', async (name, files) => {
    const h = await harness();
    const repo = h.github.addRepository('corpus', name.toLowerCase().replace(/[^a-z0-9-]/g, '-'), Object.fromEntries(files));
    await h.deliver(installationCreated(repo));
    const changes = migrate(files).files.length > 0;
    expect(repo.pulls).toHaveLength(changes ? 1 : 0);
    expect(repo.pulls.every((p) => p.body.length < 65_536)).toBe(true);
    expect(repo.reviews.length).toBeLessThanOrEqual(1);
    expect(repo.reviews.every((r) => !r.body.includes('GitHub could not anchor'))).toBe(true);
    expect(repo.checkRuns).toHaveLength(changes ? 1 : 0);
    expect(h.github.requests.filter((r) => r.status >= 500)).toEqual([]);
  });
});
