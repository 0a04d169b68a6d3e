import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakeDiscordGateway } from '../fakes/fake-discord-gateway.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { solidPng } from '../fakes/images.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';
import {
  alice,
  channel,
  type DiscordRig,
  guild,
  keyPair,
  manageGuild,
  newInteraction,
  signedHeaders,
  startDiscordRig,
  stopDiscordRig,
} from './discord-setup.js';

const bob = { id: '1300000000000000004', username: 'bob' };
const social = '1300000000000000005';

// Discord end to end over the HTTP interactions endpoint: requests signed with a real Ed25519
// key, a fake Discord REST API recording the deferred reply, its edits, the thread and the
// messages in it, FakePlatforms behind.
describe('Discord (HTTP interactions, FakeDiscordApi)', () => {
  let rig: DiscordRig;
  let discord: FakeDiscordApi;
  let h: TestHayon;
  let bluesky: FakePlatform;

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    rig = await startDiscordRig({ platforms: { bluesky } });
    ({ discord, h } = rig);
  });
  afterEach(() => stopDiscordRig(rig));

  const signed = (body: string, privateKey = rig.keys.privateKey) => signedHeaders(body, privateKey);
  const send = async (interaction: Record<string, unknown>) => {
    const body = JSON.stringify(interaction);
    const res = await h.request('/discord/interactions', { method: 'POST', headers: signed(body), body });
    return { status: res.status, body: res.status === 200 ? await res.json() : await res.text() };
  };
  /** An interaction from a guild member; returns its token. */
  const interaction = (
    type: number,
    data: Record<string, unknown>,
    member: Record<string, unknown> = { user: alice, roles: [] as string[], permissions: manageGuild },
    extra: Record<string, unknown> = {},
  ) => newInteraction(rig, type, data, member, extra);
  const post = (
    options: { name: string; type: number; value: string | boolean }[],
    resolved?: Record<string, unknown>,
    member?: Parameters<typeof interaction>[2],
  ) => interaction(2, { id: '1', name: 'post', type: 1, options, ...(resolved ? { resolved } : {}) }, member);
  const text = (value: string) => ({ name: 'text', type: 3, value });
  const posts = async () => (await (await h.api('GET', '/v1/posts')).json()).posts;

  it('answers PING and refuses a forged signature with 401', async () => {
    expect((await send({ id: '1', type: 1, token: 't', application_id: discord.applicationId })).body).toEqual({
      type: 1,
    });
    const body = JSON.stringify({ id: '1', type: 1, token: 't' });
    const forged = await h.request('/discord/interactions', {
      method: 'POST',
      headers: signed(body, keyPair().privateKey),
      body,
    });
    expect(forged.status).toBe(401);
    const unsigned = await h.request('/discord/interactions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
  });

  it("/post: a deferred reply edited to the time in the author's zone, a thread on it, buttons while scheduled", async () => {
    const tz = interaction(2, {
      id: '2',
      name: 'hayon',
      type: 1,
      options: [{ name: 'timezone', type: 1, options: [{ name: 'zone', type: 3, value: 'Europe/Berlin' }] }],
    });
    expect((await send(tz.payload)).body).toEqual({
      type: 4,
      data: { content: 'Your times are now read in Europe/Berlin.', flags: 64, allowed_mentions: { parse: [] } },
    });

    const { token, payload } = post([
      text('Launch day! https://example.com'),
      { name: 'when', type: 3, value: 'tomorrow 9am' },
      { name: 'targets', type: 3, value: 'bluesky' },
    ]);
    const res = await send(payload);
    expect(res.body).toEqual({ type: 5 });
    await waitFor(async () => (discord.original(token)?.components?.length ?? 0) > 0);
    const reply = discord.original(token);
    expect(reply?.content).toContain('**Scheduled for <t:');
    expect(reply?.content).toContain('(Europe/Berlin)');
    expect(reply?.content).toContain('Bluesky alice.test · 31/300');
    expect(JSON.stringify(reply?.components)).toContain('hayon:now:');
    expect(discord.threads()).toEqual([expect.objectContaining({ parentChannelId: channel, messageId: reply?.id })]);
    const [stored] = await posts();
    expect(stored.timezone).toBe('Europe/Berlin');
    expect(stored.status).toBe('SCHEDULED');
  });

  it('a post due now is published; the link goes into the thread and the reply becomes the summary', async () => {
    const { token, payload } = post([text('Now to bluesky')]);
    await send(payload);
    await waitFor(async () => discord.threads().length === 1);
    const thread = discord.threads()[0]?.id ?? '';
    await waitFor(async () => discord.messages(thread).length === 1);
    expect(discord.messages(thread)[0]?.content).toMatch(
      /^✅ Bluesky alice\.test: published https:\/\/bluesky\.example\/p\/.+$/,
    );
    await waitFor(async () => (discord.original(token)?.content ?? '').startsWith('**Published**'));
    // Nothing left to post now or cancel: only Delete (which asks first).
    const rows = (discord.original(token)?.components ?? []) as { components?: { label?: string }[] }[];
    const buttons = rows.flatMap((row) => row.components ?? []);
    expect(buttons.map((b) => b.label)).toEqual(['Delete']);
  });

  it('refuses a member without the poster role, privately, and stores nothing', async () => {
    await h.ctx.store.updateWorkspaceSettings(h.workspaceId, { discordPosterRole: social });
    const { payload } = post([text('Hi')], undefined, { user: bob, roles: [], permissions: '0' });
    const res = await send(payload);
    expect(res.body).toMatchObject({
      type: 4,
      data: { flags: 64, content: `Only members with the <@&${social}> role may post with hayon here.` },
    });
    expect(await posts()).toEqual([]);
    // With the role, the same member may.
    const allowed = post([text('Hi again')], undefined, { user: bob, roles: [social], permissions: '0' });
    expect((await send(allowed.payload)).body).toEqual({ type: 5 });
    await waitFor(async () => (await posts()).length === 1);
  });

  it('without a role set, members who cannot manage the server are refused', async () => {
    const { payload } = post([text('Hi')], undefined, { user: bob, roles: [], permissions: '0' });
    expect((await send(payload)).body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringContaining('manage this server') },
    });
  });

  it('bad input is private and leaves nothing: a past time at once, a text too long after the deferral', async () => {
    const past = post([text('Hi'), { name: 'when', type: 3, value: '2020-01-01T09:00' }]);
    expect((await send(past.payload)).body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringContaining('in the past') },
    });

    const long = post([text('x'.repeat(320))]);
    expect((await send(long.payload)).body).toEqual({ type: 5 });
    await waitFor(async () => discord.ephemerals(long.token).length === 1);
    expect(discord.ephemerals(long.token)[0]?.content).toContain('by 20');
    expect(discord.ephemerals(long.token)[0]?.content).toContain('set thread: True on /post to split it into a thread');
    expect(discord.original(long.token)).toBeUndefined();
    expect(discord.threads()).toEqual([]);
    expect(await posts()).toEqual([]);
  });

  it('a target with no account says who connects one, and how, privately', async () => {
    const { payload } = post([text('Hi'), { name: 'targets', type: 3, value: 'mastodon' }]);
    expect((await send(payload)).body).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content:
          ':warning: No mastodon account is connected to this workspace. A member with Manage Server connects one with /hayon connect mastodon.',
      },
    });
    expect(await posts()).toEqual([]);
  });

  it('thread: True, the option a text too long points at, splits it into a thread', async () => {
    const words = 'A sentence that goes on for a while, to fill a post. '.repeat(8).trim();
    const { token, payload } = post([
      text(words),
      { name: 'when', type: 3, value: 'in 2 hours' },
      { name: 'thread', type: 5, value: true },
    ]);
    expect((await send(payload)).body).toEqual({ type: 5 });
    await waitFor(async () => (await posts()).length === 1);
    expect(discord.ephemerals(token)).toEqual([]);
    const [stored] = await posts();
    expect(stored.deliveries[0]?.thread?.parts).toBeGreaterThan(1);
  });

  it('autocomplete: accounts for targets, the time it reads for when', async () => {
    const targets = interaction(4, {
      id: '1',
      name: 'post',
      type: 1,
      options: [text('x'), { name: 'targets', type: 3, value: 'blue', focused: true }],
    });
    expect((await send(targets.payload)).body).toEqual({
      type: 8,
      data: { choices: [{ name: 'Bluesky alice.test', value: 'bluesky:alice.test' }] },
    });
    const when = interaction(4, {
      id: '1',
      name: 'post',
      type: 1,
      options: [text('x'), { name: 'when', type: 3, value: 'in 2 hours', focused: true }],
    });
    const { body } = await send(when.payload);
    expect(body.data.choices[0].name).toMatch(/^→ \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(body.data.choices[0].value).toBe('in 2 hours');
  });

  it("without a zone of their own, members' times are read in the server's zone", async () => {
    await h.ctx.store.updateWorkspaceSettings(h.workspaceId, { timezone: 'America/New_York' });
    const when = interaction(4, {
      id: '1',
      name: 'post',
      type: 1,
      options: [text('x'), { name: 'when', type: 3, value: 'tomorrow 9am', focused: true }],
    });
    const { body } = await send(when.payload);
    expect(body.data.choices[0].name).toMatch(/^→ \d{4}-\d{2}-\d{2} 09:00 E[SD]T \(America\/New_York\)$/);
  });

  it('Cancel on the reply cancels the post and updates the message in place', async () => {
    const { token, payload } = post([text('Later'), { name: 'when', type: 3, value: 'in 2 hours' }]);
    await send(payload);
    await waitFor(async () => (discord.original(token)?.components?.length ?? 0) > 0);
    const [stored] = await posts();
    const click = interaction(3, { custom_id: `hayon:cancel:${stored.id}`, component_type: 2 }, undefined, {
      message: { id: discord.original(token)?.id, channel_id: channel },
    });
    const res = await send(click.payload);
    expect(res.body.type).toBe(7);
    expect(res.body.data.content).toMatch(/^\*\*Cancelled\*\*/);
    expect(res.body.data.components).toEqual([]);
    expect((await posts())[0].status).toBe('CANCELLED');
  });

  it("an attachment from Discord's CDN goes into the media store and out to the platform", async () => {
    const png = await solidPng(32, 24);
    const file = discord.addAttachment(channel, '1500000000000000001', png, {
      filename: 'box.png',
      contentType: 'image/png',
    });
    const { payload } = post(
      [
        text('With a picture'),
        { name: 'image1', type: 11, value: '1500000000000000001' },
        { name: 'alt1', type: 3, value: 'A red box' },
        { name: 'link_preview', type: 5, value: false },
      ],
      { attachments: { '1500000000000000001': file } },
    );
    await send(payload);
    await waitFor(async () => bluesky.posts.size === 1);
    const [stored] = await posts();
    expect(stored.media).toEqual([
      { type: 'image/png', size: expect.any(Number), width: 32, height: 24, alt: 'A red box' },
    ]);
    // The link_preview option turned off is stored with the post.
    expect(stored.linkPreview).toBe(false);
    expect([...bluesky.media.values()][0]?.[0]?.mimeType).toBe('image/png');
  });

  it('/hayon status, accounts, a bad time zone and help answer privately', async () => {
    const hayon = (sub: string, options: unknown[] = []) =>
      interaction(2, { id: '2', name: 'hayon', type: 1, options: [{ name: sub, type: 1, options }] });
    const { token, payload } = post([text('Soon'), { name: 'when', type: 3, value: 'in 2 hours' }]);
    await send(payload);
    await waitFor(async () => (discord.original(token)?.components?.length ?? 0) > 0);
    const status = (await send(hayon('status').payload)).body;
    expect(status.data.flags).toBe(64);
    expect(status.data.content).toContain('Soon');
    expect(JSON.stringify(status.data.components)).toContain('hayon:cancel:');
    expect((await send(hayon('accounts').payload)).body.data.content).toBe('🟢 Bluesky alice.test: active');
    expect(
      (await send(hayon('timezone', [{ name: 'zone', type: 3, value: 'Mars/Olympus' }]).payload)).body.data.content,
    ).toContain('not an IANA time zone');
    expect((await send(hayon('help').payload)).body.data.content).toContain('/post text:');
  });

  it('/hayon connect gives a member who manages the server a single-use link, and refuses others', async () => {
    const connect = (member?: Parameters<typeof interaction>[2]) =>
      interaction(
        2,
        {
          id: '2',
          name: 'hayon',
          type: 1,
          options: [
            {
              name: 'connect',
              type: 1,
              options: [
                { name: 'platform', type: 3, value: 'mastodon' },
                { name: 'server', type: 3, value: 'mastodon.example' },
              ],
            },
          ],
        },
        member,
      );
    const answer = (await send(connect().payload)).body;
    expect(answer.data.flags).toBe(64);
    const link = /\((https?:[^)]+)\)/.exec(answer.data.content)?.[1] ?? '';
    expect(link).toContain('/connect/mastodon/start?workspace=default&state=');
    const flow = await h.ctx.store.getConnectState(new URL(link).searchParams.get('state')?.split('.')[0] ?? '');
    expect(flow).toMatchObject({ actor: { kind: 'discord', id: alice.id }, data: { instance: 'mastodon.example' } });
    const refused = (await send(connect({ user: bob, roles: [], permissions: '0' }).payload)).body;
    expect(refused.data.content).toContain('Only members who can manage this server');
    expect(refused.data.content).not.toContain('/connect/');
  });

  it('hayon discord register sends the commands for one server', async () => {
    const out: string[] = [];
    const code = await main(['discord', 'register', '--guild', guild], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: {
        HAYON_DATA_DIR: h.dataDir,
        HAYON_LOG_LEVEL: 'silent',
        HAYON_DISCORD_TOKEN: discord.botToken,
        HAYON_DISCORD_APP_ID: discord.applicationId,
        HAYON_DISCORD_PUBLIC_KEY: rig.keys.publicHex,
        HAYON_DISCORD_API_URL: discord.apiUrl,
      },
      cwd: h.dataDir,
    });
    expect(out.join('\n')).toContain(`Registered /post and /hayon in server ${guild}`);
    expect(code).toBe(0);
    const [registration] = discord.registrations();
    expect(registration?.guildId).toBe(guild);
    expect(((registration?.commands ?? []) as { name: string }[]).map((c) => c.name)).toEqual(['post', 'hayon']);
  });
});

// The gateway: no public URL; hayon connects out (discord.js), and the same handlers answer each
// interaction at its callback URL instead of in an HTTP response.
describe('Discord (gateway, FakeDiscordGateway)', () => {
  it('takes /post over the gateway, answers at the callback, and publishes into a thread', async () => {
    const discord = new FakeDiscordApi();
    await discord.start();
    const gateway = new FakeDiscordGateway({ id: discord.applicationId, applicationId: discord.applicationId });
    discord.gatewayUrl = await gateway.start();
    const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    const h = await startHayon({
      env: { discordToken: discord.botToken, discordAppId: discord.applicationId, discordApiUrl: discord.apiUrl },
      platforms: { bluesky },
    });
    try {
      await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
      expect(h.ctx.config.discord?.mode).toBe('gateway');
      await h.ctx.discord?.start();
      await gateway.identified;
      expect(gateway.received.find((m) => m.op === 2)?.d).toMatchObject({ token: discord.botToken });
      const token = 'gateway-interaction-token';
      discord.addInteraction(token, channel);
      gateway.interaction({
        id: '1600000000000000001',
        application_id: discord.applicationId,
        type: 2,
        token,
        version: 1,
        guild_id: guild,
        channel_id: channel,
        member: { user: alice, roles: [], permissions: manageGuild },
        data: { id: '1', name: 'post', type: 1, options: [{ name: 'text', type: 3, value: 'Over the gateway' }] },
        // Fields Discord sends with every interaction (discord.js reads them too).
        app_permissions: '0',
        locale: 'en-US',
        guild_locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { '0': guild },
        context: 0,
      });
      await waitFor(async () => discord.threads().length === 1);
      const callback = discord.callsTo('POST', /^\/interactions\/1600000000000000001\//)[0];
      expect(callback?.body).toEqual({ type: 5 });
      const thread = discord.threads()[0]?.id ?? '';
      await waitFor(async () => discord.messages(thread).length === 1);
      expect(discord.messages(thread)[0]?.content).toContain('published');
      expect(bluesky.posts.size).toBe(1);
      // Over the gateway nothing is served at /discord/interactions.
      expect((await h.request('/discord/interactions', { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await h.stop();
      await gateway.stop();
      await discord.stop();
    }
  });
});
