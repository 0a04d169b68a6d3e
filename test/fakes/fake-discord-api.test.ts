import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscordApi } from './fake-discord-api.js';
import { solidPng } from './images.js';

// Plain fetch against the fake, as Discord's REST API v10 documents the requests and answers.
describe('FakeDiscordApi', () => {
  let discord: FakeDiscordApi;
  const app = '1100000000000000001';

  beforeEach(async () => {
    discord = new FakeDiscordApi();
    await discord.start();
  });
  afterEach(() => discord.stop());

  const call = async (method: string, path: string, body?: unknown, bot = false) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (bot) headers.authorization = `Bot ${discord.botToken}`;
    const res = await fetch(`${discord.apiUrl}/v10${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
  const bot = (method: string, path: string, body?: unknown) => call(method, path, body, true);

  it('defers, edits @original, starts a thread on it and posts in the thread', async () => {
    discord.addInteraction('tok-1', '500');
    const deferred = await call('POST', '/interactions/900/tok-1/callback', { type: 5 });
    expect(deferred.status).toBe(204);
    expect(discord.original('tok-1')).toBeUndefined();

    const edited = await call('PATCH', `/webhooks/${app}/tok-1/messages/@original`, { content: 'Scheduled' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ channel_id: '500', content: 'Scheduled', author: { bot: true } });
    const messageId = String(edited.body.id);

    const thread = await bot('POST', `/channels/500/messages/${messageId}/threads`, { name: 'hayon post' });
    expect(thread.status).toBe(201);
    expect(thread.body).toMatchObject({ id: messageId, type: 11, parent_id: '500', name: 'hayon post' });
    const again = await bot('POST', `/channels/500/messages/${messageId}/threads`, { name: 'again' });
    expect(again).toMatchObject({ status: 400, body: { code: 160004 } });

    const reply = await bot('POST', `/channels/${messageId}/messages`, { content: 'Published to Bluesky' });
    expect(reply.body).toMatchObject({ channel_id: messageId, content: 'Published to Bluesky' });
    expect(BigInt(String(reply.body.id)) > BigInt(messageId)).toBe(true);
    const replyId = String(reply.body.id);
    const patched = await bot('PATCH', `/channels/${messageId}/messages/${replyId}`, { content: 'Published' });
    expect(patched.body).toMatchObject({ content: 'Published' });
    expect((await bot('GET', `/channels/500/messages/${messageId}`)).body).toMatchObject({ thread: { id: messageId } });

    await call('PATCH', `/webhooks/${app}/tok-1/messages/@original`, { content: 'Scheduled (1 done)' });
    expect(discord.original('tok-1')).toEqual({
      id: messageId,
      channel_id: '500',
      content: 'Scheduled (1 done)',
      thread: { id: messageId, name: 'hayon post' },
    });
    expect(discord.messages('500').map((m) => m.content)).toEqual(['Scheduled (1 done)']);
    expect(discord.messages(messageId)).toEqual([{ id: replyId, channel_id: messageId, content: 'Published' }]);
    expect(discord.threads()).toEqual([{ id: messageId, name: 'hayon post', parentChannelId: '500', messageId }]);
    expect(discord.callsTo('PATCH', /^\/webhooks\/\d+\/tok-1\/messages\/@original$/)).toHaveLength(2);

    expect((await call('DELETE', `/webhooks/${app}/tok-1/messages/@original`)).status).toBe(204);
    expect(discord.original('tok-1')).toBeUndefined();
    expect(discord.messages('500')).toEqual([]);
  });

  it('keeps ephemeral replies and follow-ups out of the channel', async () => {
    discord.addInteraction('tok-2', '501');
    const reply = await call('POST', '/interactions/901/tok-2/callback', {
      type: 4,
      data: { content: 'Only you', flags: 64 },
    });
    expect(reply.status).toBe(204);
    const twice = await call('POST', '/interactions/901/tok-2/callback', { type: 4, data: { content: 'x' } });
    expect(twice).toMatchObject({ status: 400, body: { code: 40060 } });
    const followUp = await call('POST', `/webhooks/${app}/tok-2`, { content: 'Still only you', flags: 64 });
    expect(followUp.body).toMatchObject({ content: 'Still only you', flags: 64 });
    const visible = await call('POST', `/webhooks/${app}/tok-2`, { content: 'Everyone', embeds: [{ title: 't' }] });
    expect(visible.status).toBe(200);

    expect(discord.ephemerals('tok-2').map((m) => [m.content, m.flags])).toEqual([
      ['Only you', 64],
      ['Still only you', 64],
    ]);
    expect(discord.original('tok-2')).toMatchObject({ content: 'Only you', flags: 64 });
    expect(discord.messages('501')).toEqual([
      { id: visible.body.id, channel_id: '501', content: 'Everyone', embeds: [{ title: 't' }] },
    ]);
    // The bot cannot see ephemeral messages.
    const hidden = await bot('GET', `/channels/501/messages/${String(followUp.body.id)}`);
    expect(hidden).toMatchObject({ status: 404, body: { code: 10008 } });
  });

  it('lets a component interaction update the message the component was on', async () => {
    const posted = await bot('POST', '/channels/506/messages', { content: 'Scheduled', components: [{ type: 1 }] });
    const messageId = String(posted.body.id);
    discord.addInteraction('tok-3', '506', { messageId });
    await call('POST', '/interactions/902/tok-3/callback', { type: 7, data: { content: 'Cancelled', components: [] } });
    expect(discord.messages('506')).toEqual([{ id: messageId, channel_id: '506', content: 'Cancelled' }]);
    expect((await call('GET', `/webhooks/${app}/tok-3/messages/@original`)).body).toMatchObject({ id: messageId });
  });

  it('refuses bot routes without the bot token, and unknown routes', async () => {
    const unauthorized = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    expect(await call('POST', '/channels/502/messages', { content: 'hi' })).toEqual(
      expect.objectContaining(unauthorized),
    );
    const wrong = await fetch(`${discord.origin}/api/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(wrong.status).toBe(401);
    expect((await bot('GET', '/users/@me')).body).toMatchObject({ id: app, username: 'hayon', bot: true });
    expect(await bot('GET', '/guilds/1/roles')).toMatchObject({
      status: 404,
      body: { message: '404: Not Found', code: 0 },
    });
    expect(discord.messages('502')).toEqual([]);
  });

  it('answers 404 with Discord codes', async () => {
    expect((await bot('GET', '/channels/503/messages/42')).body).toEqual({ message: 'Unknown Message', code: 10008 });
    expect((await bot('PATCH', '/channels/503/messages/42', { content: 'x' })).body.code).toBe(10008);
    const webhook = await call('PATCH', `/webhooks/${app}/nope/messages/@original`, { content: 'x' });
    expect(webhook).toMatchObject({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    expect((await call('POST', `/webhooks/${app}/nope`, { content: 'x' })).body.code).toBe(10015);
    expect((await call('POST', '/interactions/9/nope/callback', { type: 5 })).body.code).toBe(10062);
  });

  it('fails scripted calls: 429 with Retry-After, then an error code, then succeeds', async () => {
    discord.failNext('POST', /^\/channels\/\d+\/messages$/, { status: 429, retryAfter: 1.5 });
    discord.failNext('POST', /^\/channels\/\d+\/messages$/, { status: 404, code: 10003, message: 'Unknown Channel' });
    const limited = await bot('POST', '/channels/504/messages', { content: 'a' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body).toEqual({ message: 'You are being rate limited.', retry_after: 1.5, global: false });
    expect((await bot('POST', '/channels/504/messages', { content: 'a' })).body).toEqual({
      message: 'Unknown Channel',
      code: 10003,
    });
    expect((await bot('POST', '/channels/504/messages', { content: 'a' })).status).toBe(200);
    expect(discord.callsTo('POST', /^\/channels\/504\/messages$/)).toHaveLength(3);
    expect(discord.messages('504')).toHaveLength(1);
  });

  it('serves attachments from the CDN without auth', async () => {
    const png = await solidPng(3, 2);
    const attachment = discord.addAttachment('505', '77', png, { filename: 'cat pic.png', contentType: 'image/png' });
    expect(attachment).toMatchObject({ id: '77', filename: 'cat pic.png', size: png.byteLength, width: 3, height: 2 });
    const res = await fetch(String(attachment.url));
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${discord.origin}/attachments/505/78/cat.png`)).status).toBe(404);
  });

  it('registers commands globally and per guild', async () => {
    const commands = [{ name: 'post', description: 'Schedule a post', options: [] }];
    const global = await bot('PUT', `/applications/${app}/commands`, commands);
    expect(global.status).toBe(200);
    expect(global.body).toEqual([
      expect.objectContaining({ name: 'post', application_id: app, id: expect.any(String) }),
    ]);
    const guild = await bot('PUT', `/applications/${app}/guilds/600/commands`, commands);
    expect(guild.body).toEqual([expect.objectContaining({ name: 'post', guild_id: '600' })]);
    expect(discord.registrations()).toEqual([{ commands: global.body }, { guildId: '600', commands: guild.body }]);
  });
});
