import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { slashPost } from './slack-command.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

const signingSecret = 'slack-signing-secret-for-tests';
const channel = 'C0PACE';
const alice = 'U0ALICE';

// Pacing as a Slack user sees it: with Bluesky's limit made tiny (3 write points per 5 s, one
// post), the second post in a row is held back, its thread says why and until when, and it goes
// out once the limit allows it, without using an attempt.
describe('pacing under a platform’s write limit (FakeSlackApi, FakePlatform)', () => {
  let slack: FakeSlackApi;
  let h: TestHayon;
  let bluesky: FakePlatform;

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    slack.addUser(alice, { tz: 'Europe/Berlin', name: 'alice' });
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({
      env: {
        slackBotToken: slack.botToken,
        slackSigningSecret: signingSecret,
        slackApiUrl: slack.apiUrl,
        paceLimits: 'bluesky:points=3/5s',
      },
      platforms: { bluesky },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterEach(async () => {
    await h.stop();
    await slack.stop();
  });

  const command = (text: string) => slashPost(h, slack, { signingSecret, channel, user: alice, text });
  const parents = () => slack.messages(channel).filter((m) => !m.thread_ts);
  const replies = (i: number) => slack.replies(channel, parents()[i]?.ts ?? '').map((m) => m.text ?? '');

  it('holds the post that would go over, says so in its thread, and publishes it when it fits', async () => {
    await command('First of two to bluesky');
    await waitFor(async () => replies(0).length === 1);
    expect(replies(0)[0]).toMatch(/^:white_check_mark: Bluesky alice\.test: published/);

    await command('Second of two to bluesky');
    await waitFor(async () => replies(1).length === 1);
    expect(replies(1)[0]).toMatch(
      /^:hourglass_flowing_sand: Bluesky alice\.test: Held back to stay under Bluesky's limit of 3 write points per 5 seconds for alice\.test; it goes out at \d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T \(Europe\/Berlin\)\.$/,
    );
    const [second] = (await (await h.api('GET', '/v1/posts')).json()).posts;
    expect(second.text).toBe('Second of two');
    expect(second.deliveries[0]).toMatchObject({ state: 'scheduled', attempts: 0 });
    expect(bluesky.posts.size).toBe(1);

    // Within the window and a bucket (15 s) it fits, and goes out on its first attempt.
    await waitFor(async () => replies(1).length === 2, 25_000);
    expect(replies(1)[1]).toMatch(/^:white_check_mark: Bluesky alice\.test: published/);
    const published = (await h.ctx.store.getPost(second.id))?.deliveries[0];
    expect(published).toMatchObject({ state: 'published', attempts: 1 });
    expect(bluesky.posts.size).toBe(2);
  }, 40_000);

  it('"post now" on a held post does not get around the limit: it is held again', async () => {
    await h.api('POST', '/v1/posts', { text: 'one', targets: ['bluesky'] });
    const { id } = await (await h.api('POST', '/v1/posts', { text: 'two', targets: ['bluesky'] })).json();
    const held = async () => (await h.ctx.store.listAttemptRecords(id)).filter((a) => a.outcome === 'held');
    await waitFor(async () => (await held()).length === 1);
    expect((await h.api('POST', `/v1/posts/${id}/publish-now`)).status).toBe(200);
    await waitFor(async () => (await held()).length === 2);
    expect((await h.ctx.store.getPost(id))?.deliveries[0]).toMatchObject({ state: 'scheduled', attempts: 0 });
    expect(bluesky.posts.size).toBe(1);
  });
});
