import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { slashPost } from './slack-command.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

const signingSecret = 'slack-signing-secret-for-tests';
const channel = 'C0OPS';
const alice = 'U0ALICE';

/** `hayon <argv>` in-process against the test hayon's data dir (its SQLite store). */
async function hayon(h: TestHayon, ...argv: string[]) {
  const out: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
    env: { HAYON_DATA_DIR: h.dataDir, HAYON_LOG_LEVEL: 'silent' },
    cwd: h.dataDir,
  };
  const code = await main(argv, io);
  return { code, text: out.join('\n') };
}

// What an operator sees of one post: every log line about it carries its correlation id, from
// the slash command to the last reply in its Slack thread; `hayon posts show --log` tells its
// attempts from the store; `hayon queue status` counts per platform.
describe('observability: correlation ids, a post’s history, the queue per platform', () => {
  let slack: FakeSlackApi;
  let h: TestHayon;
  let bluesky: FakePlatform;
  let mastodon: FakePlatform;

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    slack.addUser(alice, { tz: 'Europe/Berlin', name: 'alice' });
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    mastodon = new FakePlatform('mastodon', { maxLength: 500 });
    h = await startHayon({
      env: { slackBotToken: slack.botToken, slackSigningSecret: signingSecret, slackApiUrl: slack.apiUrl },
      platforms: { bluesky, mastodon },
      retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 200, jitter: 0 },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: 'alice', appPassword: 'pw' });
  });
  afterEach(async () => {
    await h.stop();
    await slack.stop();
  });

  const command = (text: string) => slashPost(h, slack, { signingSecret, channel, user: alice, text });

  it('one correlation id on every log line of a post, from the command to the thread replies', async () => {
    bluesky.failNext({ kind: 'transient', status: 503, message: 'Bluesky answered 503' });
    expect((await command('Observable launch to bluesky,mastodon')).status).toBe(200);
    const thread = () => slack.messages(channel).filter((m) => m.thread_ts);
    // Slack holds a reply before hayon has its answer and logs it: wait for both.
    const logged = () => h.logs.filter((l) => l.msg === 'reply sent in slack').length;
    await waitFor(async () => thread().length === 3 && logged() >= 3, 15_000);
    const [post] = (await (await h.api('GET', '/v1/posts')).json()).posts;
    const ids = new Set([post.id, ...post.deliveries.map((d: { id: string }) => d.id)]);
    const about = h.logs.filter((l) => ids.has(String(l.postId)) || ids.has(String(l.deliveryId)));
    const messages = about.map((l) => l.msg);
    for (const msg of ['post accepted', 'delivery will be retried', 'delivery published', 'reply sent in slack']) {
      expect(messages).toContain(msg);
    }
    expect(about.filter((l) => l.correlationId !== post.correlationId)).toEqual([]);
    expect(about.filter((l) => l.msg === 'reply sent in slack')).toHaveLength(3);
  });

  it('hayon posts show --log prints each attempt: when, how long, how it ended and why', async () => {
    bluesky.failNext({ kind: 'transient', status: 503, message: 'Bluesky answered 503' });
    const res = await h.api('POST', '/v1/posts', { text: 'History', targets: ['bluesky', 'mastodon'] });
    const { id, correlationId } = await res.json();
    await h.drain();
    await waitFor(
      async () => (await h.ctx.store.getPost(id))?.deliveries.every((d) => d.state === 'published') ?? false,
    );
    const shown = await hayon(h, 'posts', 'show', id, '--log');
    expect(shown.code).toBe(0);
    expect(shown.text).toContain(`post ${id} from api, correlation id ${correlationId}`);
    expect(shown.text).toMatch(/Bluesky alice\.test \(dlv_[^)]+\): published https:\/\/bluesky\.example\/p\//);
    expect(shown.text).toMatch(/#1 {2}retrying +\d+ ms {2}w-\S+ transient 503: Bluesky answered 503; next \d{4}-/);
    expect(shown.text).toMatch(/#2 {2}published +\d+ ms {2}w-\S+ https:\/\/bluesky\.example\/p\//);
    expect(shown.text).toMatch(/Mastodon alice \(dlv_[^)]+\): published/);
    const json = JSON.parse((await hayon(h, 'posts', 'show', id, '--log', '--json')).text);
    expect(
      json.attempts.map((a: { platform: string; outcome: string }) => `${a.platform} ${a.outcome}`).sort(),
    ).toEqual(['bluesky published', 'bluesky retrying', 'mastodon published']);
    expect((await hayon(h, 'posts', 'cancel', id, '--log')).code).toBe(2);
  });

  it('hayon queue status counts per platform: scheduled with the next due, published, parked', async () => {
    mastodon.failNext({ kind: 'transient', status: 503 }, 3);
    await h.api('POST', '/v1/posts', { text: 'Later', targets: ['bluesky'], when: 'in 2 hours' });
    const now = await (await h.api('POST', '/v1/posts', { text: 'Now', targets: ['mastodon'] })).json();
    await waitFor(async () => (await h.ctx.store.getPost(now.id))?.deliveries[0]?.state === 'failed');
    const status = JSON.parse((await hayon(h, 'queue', 'status', '--json')).text);
    const bsky = status.platforms.find((p: { platform: string }) => p.platform === 'bluesky');
    const masto = status.platforms.find((p: { platform: string }) => p.platform === 'mastodon');
    expect(bsky).toMatchObject({ scheduled: 1, queued: 0, inFlight: 0, parked: 0 });
    expect(Date.parse(bsky.nextDueAt) - Date.now()).toBeGreaterThan(115 * 60_000);
    expect(masto).toMatchObject({ scheduled: 0, parked: 1, failed: 0 });
    const text = (await hayon(h, 'queue', 'status')).text;
    expect(text).toMatch(/platform +scheduled +next due +queued +in flight +oldest due +parked +failed/);
    expect(text).toMatch(/bluesky +1 +\d{4}-\d{2}-\d{2}T\S+ +0 +0 +- +0 +0/);
    expect(text).toMatch(/mastodon +0 +- +0 +0 +- +1 +0/);
  });
});
