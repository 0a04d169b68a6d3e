import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { type TestHayon, waitFor } from '../harness.js';
import { mongoTestServer } from '../mongo-server.js';
import { noTinyDisk, sqliteOnTinyDisk, type StoreFault, hayonWithAlice } from './store-faults.js';
import { recordCell } from './matrix.js';
import { type MongoAway, mongoAway } from './mongo-proxy.js';

const mongo = mongoTestServer();
const channel = 'C0RESULTS';

/** The environment that makes hayon report to `slack` (the results channel is set per test). */
const slackEnv = (slack: FakeSlackApi) => ({
  slackBotToken: slack.botToken,
  slackSigningSecret: 'slack-signing-secret-for-tests',
  slackApiUrl: slack.apiUrl,
});
const chat = { pollMs: 50, retryDelaysMs: [200] };

/**
 * A post whose delivery is published just as the store goes away (`fault`), so that neither its
 * outcome nor its reply can be written; back 4 s later, its reply arrives in the post's Slack
 * thread, once.
 */
async function replyOnceWhenBack(
  h: TestHayon,
  slack: FakeSlackApi,
  bluesky: FakePlatform,
  fault: StoreFault,
): Promise<void> {
  await h.ctx.workspaces.updateSettings(h.workspaceId, { resultChannels: { slack: channel } });
  bluesky.hold();
  const res = await h.api('POST', '/v1/posts', { text: 'told once', targets: ['bluesky'] });
  expect(res.status).toBe(202);
  await waitFor(async () => bluesky.calls === 1, 10_000);
  const top = slack.messages(channel).filter((m) => !m.thread_ts);
  expect(top).toHaveLength(1);
  const replies = () => slack.replies(channel, top[0]?.ts ?? '').map((m) => m.text);
  await fault.takeAway();
  try {
    bluesky.release();
    await waitFor(async () => bluesky.posts.size === 1, 5_000);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(replies()).toEqual([]);
  } finally {
    await fault.bringBack();
  }
  await waitFor(async () => replies().length >= 1, 30_000);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(replies()).toEqual([expect.stringContaining('Bluesky alice.test: published')]);
  expect(bluesky.calls).toBe(1);
}

// The fault matrix, notify step, store column: MongoDB goes away (every connection cut, new ones
// refused), or SQLite's disk fills up, just as a delivery is published (see replyOnceWhenBack).
describe('SQLite disk full at the notify step', () => {
  const onTinyDisk = sqliteOnTinyDisk();
  let slack: FakeSlackApi;
  let h: TestHayon | undefined;
  beforeAll(async () => {
    slack = new FakeSlackApi();
    await slack.start();
  });
  afterAll(async () => {
    await h?.stop();
    await slack?.stop();
  });

  it('SQLite disk full · notify: the outcome and its reply wait for room; the reply arrives once', async (t) => {
    recordCell('SQLite disk full', 'notify');
    const disk = onTinyDisk();
    if (!disk) return t.skip(noTinyDisk);
    const started = await hayonWithAlice({ store: disk.store, env: slackEnv(slack), chat });
    h = started.h;
    await replyOnceWhenBack(started.h, slack, started.bluesky, disk.fault);
  }, 60_000);
});

describe.skipIf(mongo.skip !== undefined)('MongoDB away at the notify step', () => {
  const dbName = `hayon_store_notify_${process.pid}_${Date.now()}`;
  let away: MongoAway;
  let slack: FakeSlackApi;
  let bluesky: FakePlatform;
  let h: TestHayon | undefined;

  beforeAll(async () => {
    away = await mongoAway(mongo.url ?? '', dbName);
    slack = new FakeSlackApi();
    await slack.start();
    ({ h, bluesky } = await hayonWithAlice({ store: away.store, env: slackEnv(slack), chat }));
  }, 300_000);
  afterAll(async () => {
    await away?.fault.bringBack();
    await h?.stop();
    await slack?.stop();
    await away?.dispose();
  }, 60_000);

  it('MongoDB down · notify: the outcome and its reply wait for the database; the reply arrives once', async () => {
    recordCell('MongoDB down', 'notify');
    await replyOnceWhenBack(h as TestHayon, slack, bluesky, away.fault);
  }, 60_000);
});
