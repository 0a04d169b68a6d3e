import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { FakeMetaGraphServer } from '../fakes/fake-meta-graph-server.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTumblrServer } from '../fakes/fake-tumblr-server.js';
import { createTumblrPlatform } from '../../src/platforms/tumblr/tumblr-platform.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

const alerts = 'C0ALERTS';

// An account whose token is revoked: marked expired once, the workspace told once (with a
// reconnect link) in its Slack alert channel, its deliveries waiting instead of failing, and
// published once it is reconnected. Against FakeMastodonServer through the real adapter.
describe('accounts that stop working', () => {
  let h: TestHayon;
  let mastodon: FakeMastodonServer;
  let slack: FakeSlackApi;

  const start = async (env: Record<string, string> = {}) => {
    h = await startHayon({
      env: {
        fetchAllowHosts: new URL(mastodon.url).host,
        publicUrl: 'https://hayon.example',
        slackBotToken: slack.botToken,
        slackSigningSecret: 'signing-secret',
        slackApiUrl: slack.apiUrl,
        ...env,
      },
    });
    await h.ctx.store.updateWorkspaceSettings(h.workspaceId, { alertChannels: { slack: alerts } });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { instanceUrl: mastodon.url, accessToken: mastodon.token });
  };
  beforeEach(async () => {
    mastodon = await new FakeMastodonServer().start();
    slack = new FakeSlackApi();
    await slack.start();
  });
  afterEach(async () => {
    await h.stop();
    await mastodon.stop();
    await slack.stop();
  });

  const account = async () => (await h.ctx.accounts.list(h.workspaceId))[0];
  const delivery = async (postId: string) => (await h.ctx.store.getPost(postId))?.deliveries[0];

  it('a revoked token: expired once, one alert with a reconnect link, deliveries wait, then go out after the reconnect', async () => {
    await start();
    mastodon.revoked = true;
    const posts = await Promise.all(
      ['first', 'second'].map(async (text) =>
        (await h.api('POST', '/v1/posts', { text, targets: ['mastodon'] })).json(),
      ),
    );
    await waitFor(async () => {
      const states = await Promise.all(posts.map((p) => delivery(p.id)));
      return states.every((d) => d?.state === 'scheduled' && d.lastError?.kind === 'auth');
    });
    expect(await account()).toMatchObject({ health: 'expired', healthReason: expect.stringContaining('revoked') });
    const waiting = await delivery(posts[0].id);
    expect(waiting?.attempts).toBe(0);
    expect(waiting?.lastError?.message).toMatch(/needs reconnecting.*waiting until it is reconnected/);
    expect(waiting?.dueAt).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    await waitFor(async () => slack.messages(alerts).length > 0);
    await new Promise((r) => setTimeout(r, 200));
    const sent = slack.messages(alerts);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('stopped working');
    expect(sent[0]?.text).toMatch(
      /<https:\/\/hayon\.example\/connect\/mastodon\/start\?workspace=default&state=[^|]+\|reconnect/,
    );
    // New posts to it are refused at the door meanwhile.
    expect((await h.api('POST', '/v1/posts', { text: 'third', targets: ['mastodon'] })).status).toBe(400);

    // Reconnected (the same identity with a working token): the waiting deliveries go now.
    mastodon.revoked = false;
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { instanceUrl: mastodon.url, accessToken: mastodon.token });
    await waitFor(async () =>
      (await Promise.all(posts.map((p) => delivery(p.id)))).every((d) => d?.state === 'published'),
    );
    expect(mastodon.statuses.map((s) => s.text).sort()).toEqual(['first', 'second']);
    expect(await account()).toMatchObject({ health: 'active' });
  });

  it('past the grace period a waiting delivery fails, saying why', async () => {
    await start({ reconnectGraceHours: '0' });
    mastodon.revoked = true;
    const post = await (await h.api('POST', '/v1/posts', { text: 'now or never', targets: ['mastodon'] })).json();
    await waitFor(async () => (await delivery(post.id))?.state === 'failed');
    expect((await delivery(post.id))?.lastError).toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('waited 0 h'),
    });
  });

  it('a check finds a revoked account and marks it; a passing check makes it active again', async () => {
    await start();
    mastodon.revoked = true;
    const [check] = await h.ctx.health.check(h.workspaceId);
    expect(check).toMatchObject({ result: 'expired' });
    expect(await account()).toMatchObject({ health: 'expired' });
    await waitFor(async () => slack.messages(alerts).length === 1);
    mastodon.revoked = false;
    const [again] = await h.ctx.health.check(h.workspaceId);
    expect(again).toMatchObject({ result: 'active' });
    expect(await account()).toMatchObject({ health: 'active' });
    expect(slack.messages(alerts)).toHaveLength(1);
  });

  it('renews a Tumblr OAuth 2 token ahead of its expiry; a refused renewal marks the account expired and tells the workspace', async () => {
    const tumblr = await new FakeTumblrServer().start();
    try {
      h = await startHayon({
        env: { slackBotToken: slack.botToken, slackSigningSecret: 'signing-secret', slackApiUrl: slack.apiUrl },
        platforms: { tumblr: createTumblrPlatform({ fetch, timeoutMs: 5_000 }, { apiUrl: tumblr.url }) },
      });
      await h.ctx.store.updateWorkspaceSettings(h.workspaceId, { alertChannels: { slack: alerts } });
      const { clientId, clientSecret, accessToken, refreshToken } = tumblr.options.oauth2;
      const added = await h.ctx.accounts.add(h.workspaceId, 'tumblr', {
        blog: 'fakeblog',
        accessToken,
        refreshToken,
        clientId,
        clientSecret,
        expiresAt: Date.now() + 20 * 60_000,
      });
      // Not due within 10 minutes: nothing renewed.
      expect(await h.ctx.health.refreshDue(10 * 60_000)).toEqual({ refreshed: 0, refused: 0 });
      expect(await h.ctx.health.refreshDue(30 * 60_000)).toEqual({ refreshed: 1, refused: 0 });
      const stored = h.ctx.box.open(added.id, (await h.ctx.store.getAccount(added.id))?.credentials ?? '');
      expect(stored.accessToken).toBe(tumblr.accessToken);
      expect(stored.expiresAt).toBeGreaterThan(Date.now() + 40 * 60_000);

      tumblr.revokeGrant();
      expect(await h.ctx.health.refreshDue(60 * 60_000)).toEqual({ refreshed: 0, refused: 1 });
      expect(await h.ctx.store.getAccount(added.id)).toMatchObject({ health: 'expired' });
      await waitFor(async () => slack.messages(alerts).length === 1);
      expect(slack.messages(alerts)[0]?.text).toContain('Tumblr fakeblog account stopped working');
    } finally {
      await tumblr.stop();
    }
  });

  it('renews a Threads long-lived token in its last week; a refused renewal marks the account expired', async () => {
    const graph = await new FakeMetaGraphServer().start();
    try {
      h = await startHayon({});
      const week = 7 * 24 * 3_600_000;
      const added = await h.ctx.accounts.add(h.workspaceId, 'threads', {
        userId: '42',
        accessToken: graph.token,
        apiUrl: graph.url,
        expiresAt: Date.now() + 3 * 24 * 3_600_000,
      });
      const credentials = async () =>
        h.ctx.box.open(added.id, (await h.ctx.store.getAccount(added.id))?.credentials ?? '');
      expect(await h.ctx.health.refreshDue(60_000)).toEqual({ refreshed: 1, refused: 0 });
      expect(graph.refreshes).toBe(1);
      expect((await credentials()).accessToken).toBe(graph.token);
      expect((await credentials()).expiresAt).toBeGreaterThan(Date.now() + 8 * week);
      // Not in its last week any more: nothing to do.
      expect(await h.ctx.health.refreshDue(60_000)).toEqual({ refreshed: 0, refused: 0 });

      // The user removed the app: the renewal is refused (Graph error 190).
      const stale = { ...(await credentials()), expiresAt: Date.now() + 24 * 3_600_000 };
      await h.ctx.store.updateAccountCredentials(added.id, h.ctx.box.seal(added.id, stale), Date.now());
      graph.token = 'a-token-hayon-does-not-have';
      expect(await h.ctx.health.refreshDue(60_000)).toEqual({ refreshed: 0, refused: 1 });
      expect(await h.ctx.store.getAccount(added.id)).toMatchObject({ health: 'expired' });
    } finally {
      await graph.stop();
    }
  });

  it('tells a Discord alert channel too, once, with the reconnect link', async () => {
    const discord = new FakeDiscordApi();
    await discord.start();
    const channel = '1400000000000000077';
    try {
      h = await startHayon({
        env: {
          fetchAllowHosts: new URL(mastodon.url).host,
          publicUrl: 'https://hayon.example',
          discordToken: discord.botToken,
          discordAppId: discord.applicationId,
          discordApiUrl: discord.apiUrl,
        },
      });
      await h.ctx.store.updateWorkspaceSettings(h.workspaceId, { alertChannels: { discord: channel } });
      await h.ctx.accounts.add(h.workspaceId, 'mastodon', { instanceUrl: mastodon.url, accessToken: mastodon.token });
      mastodon.revoked = true;
      await h.ctx.health.check(h.workspaceId);
      await h.ctx.health.check(h.workspaceId);
      await waitFor(async () => discord.messages(channel).length > 0);
      const sent = discord.messages(channel);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.content).toMatch(
        /stopped working.*\[reconnect Mastodon [^\]]+\]\(<https:\/\/hayon\.example\/connect\/mastodon\/start\?/s,
      );
    } finally {
      await discord.stop();
    }
  });
});
