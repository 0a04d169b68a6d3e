import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppContext, type WorkerContext } from '../../src/app/app-context.js';
import { createLogger } from '../../src/logger.js';
import { WorkerRole } from '../../src/roles/worker-role.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';
import { slashPost } from './slack-command.js';

const signingSecret = 'slack-signing-secret-for-tests';
const channel = 'C0LAUNCH';
const alice = 'U0ALICE';

// `hayon serve --no-worker` takes the Slack command; a `hayon worker` context (as `hayon worker`
// builds it: no Bolt receiver, no Discord gateway, no connect flows) publishes and replies in
// the thread with Slack's Web API client. Both share the store and the in-process transport.
describe('hayon worker beside serve --no-worker (FakeSlackApi)', () => {
  let slack: FakeSlackApi;
  let h: TestHayon;
  let w: WorkerContext;
  let bluesky: FakePlatform;

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    slack.addUser(alice, { tz: 'Europe/Berlin', name: 'alice' });
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    const secretKey = randomBytes(32);
    h = await startHayon({
      env: { slackBotToken: slack.botToken, slackSigningSecret: signingSecret, slackApiUrl: slack.apiUrl },
      platforms: { bluesky },
      secretKey,
      worker: false,
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    w = await AppContext.forWorker(
      h.ctx.config,
      { secretKey, previousSecretKeys: [], slack: { botToken: slack.botToken, signingSecret } },
      {
        store: h.ctx.store,
        transport: h.ctx.transport,
        mediaStore: h.ctx.mediaStore,
        platforms: { bluesky },
        log: createLogger('warn'),
      },
    );
  });
  afterEach(async () => {
    // The worker's loops only: the store and transport it shares are closed by h.stop().
    await w.worker.stop();
    await w.sweeper.stop();
    await w.callbacks.stop();
    await w.chat.stop();
    await h.stop();
    await slack.stop();
  });

  it('publishes what serve accepted and replies in its Slack thread', async () => {
    await new WorkerRole(w).start();
    const res = await slashPost(h, slack, { signingSecret, channel, user: alice, text: 'Shipping now to bluesky' });
    expect(res.status).toBe(200);
    const parent = () => slack.messages(channel).find((m) => !m.thread_ts);
    await waitFor(async () => slack.replies(channel, parent()?.ts ?? '').length === 1);
    expect(slack.replies(channel, parent()?.ts ?? '')[0]?.text).toMatch(
      /^:white_check_mark: Bluesky alice\.test: published <https:\/\/bluesky\.example\/p\/.+>$/,
    );
    expect(bluesky.posts.size).toBe(1);
  });

  it('builds no scheduler, chat receivers or connect flows, and still makes reconnect links', async () => {
    expect(Object.keys(w)).not.toContain('scheduler');
    expect(Object.keys(w)).not.toContain('slack');
    expect(Object.keys(w)).not.toContain('discord');
    expect('start' in w.connect).toBe(false);
    const { url } = await w.connect.link(h.workspaceId, 'mastodon', { kind: 'system' });
    expect(url).toMatch(/\/connect\/mastodon\/start\?workspace=/);
  });
});
