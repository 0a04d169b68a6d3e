import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/bots/slack/verify.js';
import { signHayon } from '../../src/core/hooks/signature.js';
import { CallbackReceiver } from '../fakes/callback-receiver.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

const slackChannel = 'C0RESULTS';
const slackSecret = 'slack-signing-secret-for-tests';
const discordKeys = generateKeyPairSync('ed25519');
const discordDer = discordKeys.publicKey.export({ format: 'der', type: 'spki' });
const discordKey = {
  privateKey: discordKeys.privateKey,
  publicHex: discordDer.subarray(discordDer.length - 32).toString('hex'),
};
const discordChannel = '1300000000000000077';

// Results for every post (#19, item 5): posts from the API and from a webhook get, in the
// workspace's results channels, the message and the thread of outcomes a chat /post gets.
// What is asserted is what the team sees in FakeSlackApi and FakeDiscordApi.
describe('results channels for API and webhook posts', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let receiver: CallbackReceiver;
  let bluesky: FakePlatform;
  let h: TestHayon;

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    slack.addUser('U0ALICE', { tz: 'Europe/Berlin', name: 'alice' });
    discord = new FakeDiscordApi();
    await discord.start();
    receiver = await new CallbackReceiver().start();
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({
      env: {
        slackBotToken: slack.botToken,
        slackSigningSecret: slackSecret,
        slackApiUrl: slack.apiUrl,
        discordToken: discord.botToken,
        discordAppId: discord.applicationId,
        discordPublicKey: discordKey.publicHex,
        discordApiUrl: discord.apiUrl,
        fetchAllowHosts: receiver.host,
      },
      platforms: { bluesky },
      callbacks: { pollMs: 50, retryDelaysMs: [150] },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterEach(async () => {
    await h.stop();
    await receiver.stop();
    await discord.stop();
    await slack.stop();
  });

  const setResults = () =>
    h.ctx.workspaces.updateSettings(h.workspaceId, {
      resultChannels: { slack: slackChannel, discord: discordChannel },
    });
  const topLevel = () => slack.messages(slackChannel).filter((m) => !m.thread_ts);
  const blocksText = (blocks: unknown) => JSON.stringify(blocks) ?? '';

  /** The Slack message and its thread, and the Discord message and its thread, once the post is published. */
  async function seenInChats(text: string) {
    await waitFor(async () => slack.replies(slackChannel, topLevel()[0]?.ts ?? '').length === 1);
    await waitFor(async () => blocksText(topLevel()[0]?.blocks).includes('*Published*'));
    const [parent] = topLevel();
    expect(blocksText(parent?.blocks)).toContain(text);
    expect(blocksText(parent?.blocks)).toContain('Bluesky alice.test');
    const [reply] = slack.replies(slackChannel, parent?.ts ?? '');
    expect(reply?.text).toMatch(
      /^:white_check_mark: Bluesky alice\.test: published <https:\/\/bluesky\.example\/p\/.+>$/,
    );

    await waitFor(async () => discord.threads().length === 1);
    const [message] = discord.messages(discordChannel);
    const [thread] = discord.threads();
    expect(thread).toEqual(expect.objectContaining({ parentChannelId: discordChannel, messageId: message?.id }));
    await waitFor(async () => discord.messages(thread?.id ?? '').length === 1);
    expect(discord.messages(thread?.id ?? '')[0]?.content).toMatch(
      /^✅ Bluesky alice\.test: published https:\/\/bluesky\.example\/p\/.+$/,
    );
    await waitFor(async () => (discord.messages(discordChannel)[0]?.content ?? '').startsWith('**Published**'));
    expect(discord.messages(discordChannel)[0]?.content).toContain(`> ${text}`);
  }

  it('an API post: its message in Slack and Discord, then the outcome with the link in each thread', async () => {
    // Without a results channel nothing is said in either chat.
    const quiet = await h.api('POST', '/v1/posts', { text: 'No channel yet', targets: ['bluesky'] });
    expect(quiet.status).toBe(202);
    await h.drain();
    expect(topLevel()).toEqual([]);
    expect(discord.messages(discordChannel)).toEqual([]);

    await setResults();
    const res = await h.api('POST', '/v1/posts', { text: 'Release 2.0 is out', targets: ['bluesky'] });
    expect(res.status).toBe(202);
    await h.drain();
    await seenInChats('Release 2.0 is out');
    expect(topLevel()).toHaveLength(1);
  });

  it('a results channel the bot cannot post in is left out: the post is made, the other chat hears of it', async () => {
    await setResults();
    slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const res = await h.api('POST', '/v1/posts', { text: 'Still goes out', targets: ['bluesky'] });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    await waitFor(async () => bluesky.posts.size === 1);
    expect(topLevel()).toEqual([]);
    await waitFor(async () => discord.threads().length === 1);
    const stored = await h.ctx.store.getPost(created.id);
    expect(stored?.post.origin).toEqual({
      kind: 'api',
      tokenId: expect.any(String),
      results: { discord: { channelId: discordChannel, messageId: discord.messages(discordChannel)[0]?.id } },
    });
  });

  it('a scheduled API post shows when it goes out, with Post now and Cancel', async () => {
    await setResults();
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await h.api('POST', '/v1/posts', { text: 'Later', targets: ['bluesky'], when: at, timezone: 'UTC' });
    expect(res.status).toBe(202);
    await waitFor(async () => topLevel().length === 1);
    expect(blocksText(topLevel()[0]?.blocks)).toContain('Scheduled for *');
    expect(blocksText(topLevel()[0]?.blocks)).toContain('hayon_cancel');
    expect(discord.messages(discordChannel)[0]?.content).toContain('**Scheduled for <t:');

    // Cancel on that message acts on the post and edits the message, as on a /post's.
    const created = await res.json();
    const message = topLevel()[0];
    const payload = JSON.stringify({
      type: 'block_actions',
      team: { id: slack.teamId },
      user: { id: 'U0ALICE' },
      channel: { id: slackChannel },
      container: { type: 'message', channel_id: slackChannel, message_ts: message?.ts },
      message: { ts: message?.ts },
      trigger_id: 'trigger-button',
      actions: [{ action_id: 'hayon_cancel', block_id: 'post_actions', value: created.id, type: 'button' }],
    });
    const body = new URLSearchParams({ payload }).toString();
    const click = await h.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(slackSecret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(click.status).toBe(200);
    await waitFor(async () => blocksText(topLevel()[0]?.blocks).includes('*Cancelled*'));
    expect((await (await h.api('GET', `/v1/posts/${created.id}`)).json()).status).toBe('CANCELLED');
  });

  it('Discord: Post now on the results message publishes the post and edits that message', async () => {
    await setResults();
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'Not yet', targets: ['bluesky'], when: at, timezone: 'UTC' })
    ).json();
    const [message] = discord.messages(discordChannel);
    expect(JSON.stringify(message?.components)).toContain(`hayon:now:${created.id}`);
    const token = 'interaction-token-results';
    discord.addInteraction(token, discordChannel, { answeredOverHttp: true });
    const body = JSON.stringify({
      id: '1400000000000000099',
      application_id: discord.applicationId,
      type: 3,
      token,
      version: 1,
      guild_id: '1300000000000000001',
      channel_id: discordChannel,
      member: { user: { id: '1300000000000000003', username: 'alice' }, roles: [], permissions: String(1 << 5) },
      data: { custom_id: `hayon:now:${created.id}`, component_type: 2 },
      message: { id: message?.id, channel_id: discordChannel },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await h.request('/discord/interactions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': timestamp,
        'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), discordKey.privateKey).toString('hex'),
      },
      body,
    });
    // The click on the message itself is answered by editing it (type 7), as on a /post's reply.
    expect((await res.json()).type).toBe(7);
    await h.drain();
    await waitFor(async () => bluesky.posts.size === 1);
    await waitFor(async () => (discord.messages(discordChannel)[0]?.content ?? '').startsWith('**Published**'));
  });

  it('a webhook post: the same message and thread, and its signed callback as before', async () => {
    await setResults();
    const { hook, secret } = await h.ctx.hooks.create(h.workspaceId, {
      source: 'generic',
      template: '{{title}}',
      targets: ['bluesky'],
      callbackUrl: receiver.url,
    });
    const body = JSON.stringify({ title: 'Build 42 is green' });
    const res = await h.request(`/v1/hooks/${hook.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hayon-signature': signHayon(secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    await seenInChats('Build 42 is green');
    await waitFor(async () => receiver.events().some((e) => e.type === 'post.finished'));
    expect(receiver.events().map((e) => e.type)).toContain('delivery.published');
    const stored = await h.ctx.store.getPost(created.id);
    expect(stored?.post.origin).toEqual({
      kind: 'webhook',
      hookId: hook.id,
      results: {
        slack: { channelId: slackChannel, messageTs: topLevel()[0]?.ts },
        discord: { channelId: discordChannel, messageId: discord.messages(discordChannel)[0]?.id },
      },
    });
  });
});
