import { FakePlatform } from '../fakes/fake-platform.js';
import { type StartOptions, startHayon, type TestHayon } from '../harness.js';

export interface TwoPlatforms {
  h: TestHayon;
  bluesky: FakePlatform;
  mastodon: FakePlatform;
}

/**
 * hayon on the embedded default (SQLite, in-process transport, real scheduler, worker and a fast
 * sweeper) with alice's accounts on a FakePlatform Bluesky and Mastodon, retrying as `retry` says.
 */
export async function startTwoPlatforms(retry: NonNullable<StartOptions['retry']>): Promise<TwoPlatforms> {
  const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
  const mastodon = new FakePlatform('mastodon', { maxLength: 500 });
  const h = await startHayon({
    platforms: { bluesky, mastodon },
    retry,
    sweeper: { intervalMs: 50, strandedAfterMs: 5_000 },
  });
  await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: '@alice@example.social', appPassword: 'pw' });
  return { h, bluesky, mastodon };
}
