import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import type { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';
import { mongoTestServer } from '../mongo-server.js';
import { recordCell } from './matrix.js';
import { dropMongoDatabase, mongoBehindProxy } from './mongo-proxy.js';

const mongo = mongoTestServer();
const channel = 'C0RESULTS';

// The fault matrix, notify step, MongoDB column: the database goes away (every connection cut,
// new ones refused) just as a delivery is published, so neither its outcome nor its reply can be
// written; it comes back 4 s later. The reply arrives in the post's Slack thread, once.
describe.skipIf(mongo.skip !== undefined)('MongoDB away at the notify step', () => {
  const dbName = `hayon_store_notify_${process.pid}_${Date.now()}`;
  let proxy: TcpFaultProxy;
  let slack: FakeSlackApi;
  let bluesky: FakePlatform;
  let h: TestHayon | undefined;

  beforeAll(async () => {
    let url: string;
    ({ proxy, url } = await mongoBehindProxy(mongo.url ?? '', dbName));
    slack = new FakeSlackApi();
    await slack.start();
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    const store = new MongoStore({ url, serverSelectionTimeoutMs: 3000 });
    h = await startHayon({
      store,
      env: {
        slackBotToken: slack.botToken,
        slackSigningSecret: 'slack-signing-secret-for-tests',
        slackApiUrl: slack.apiUrl,
      },
      platforms: { bluesky },
      chat: { pollMs: 50, retryDelaysMs: [200] },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.workspaces.updateSettings(h.workspaceId, { resultChannels: { slack: channel } });
  }, 300_000);
  afterAll(async () => {
    await proxy?.restore();
    await h?.stop();
    await slack?.stop();
    await proxy?.stop();
    await dropMongoDatabase(mongo.url ?? '', dbName);
  }, 60_000);

  it('MongoDB down · notify: the outcome and its reply wait for the database; the reply arrives once', async () => {
    recordCell('MongoDB down', 'notify');
    const hayon = h as TestHayon;
    bluesky.hold();
    const res = await hayon.api('POST', '/v1/posts', { text: 'told once', targets: ['bluesky'] });
    expect(res.status).toBe(202);
    await waitFor(async () => bluesky.calls === 1, 10_000);
    const top = slack.messages(channel).filter((m) => !m.thread_ts);
    expect(top).toHaveLength(1);
    const replies = () => slack.replies(channel, top[0]?.ts ?? '').map((m) => m.text);
    await proxy.cut();
    try {
      bluesky.release();
      await waitFor(async () => bluesky.posts.size === 1, 5_000);
      await new Promise((r) => setTimeout(r, 4_000));
      expect(replies()).toEqual([]);
    } finally {
      await proxy.restore();
    }
    await waitFor(async () => replies().length >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(replies()).toEqual([expect.stringContaining('Bluesky alice.test: published')]);
    expect(bluesky.calls).toBe(1);
  }, 60_000);
});
