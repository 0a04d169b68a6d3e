import { generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatSender } from '../../src/app/worker-parts.js';
import type { ChatMessage } from '../../src/core/chat-message.js';
import { StoreUnavailableError } from '../../src/core/store-unavailable.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';
import { recordCell } from './matrix.js';

const slackChannel = 'C0RESULTS';
const discordChannel = '1300000000000000077';
const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
const discordPublicKey = der.subarray(der.length - 32).toString('hex');
/** The chat outbox quick enough for a test: a retry 200 ms after a failure. */
const chatOptions = { pollMs: 50, retryDelaysMs: [200] };

// The fault matrix, notify step: Slack or Discord away while hayon replies in a post's thread.
// A post from the API with the workspace's results channels gets its message and thread in both
// chats while they are up; then the chat goes away (5xx, refused connections, 429, a channel gone,
// a worker killed) and "Post now" publishes to two platforms. What is asserted is what the team
// sees in FakeSlackApi and FakeDiscordApi: every reply once, in the order hayon stored them.
describe('chat away at the notify step (FakeSlackApi, FakeDiscordApi)', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let bluesky: FakePlatform;
  let tumblr: FakePlatform;
  let h: TestHayon;

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    discord = new FakeDiscordApi();
    await discord.start();
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    tumblr = new FakePlatform('tumblr', { maxLength: 4096, threads: false });
    h = await startHayon({
      env: {
        slackBotToken: slack.botToken,
        slackSigningSecret: 'slack-signing-secret-for-tests',
        slackApiUrl: slack.apiUrl,
        discordToken: discord.botToken,
        discordAppId: discord.applicationId,
        discordPublicKey,
        discordApiUrl: discord.apiUrl,
      },
      platforms: { bluesky, tumblr },
      chat: chatOptions,
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'tumblr', { identifier: 'alice', appPassword: 'pw' });
    await h.ctx.workspaces.updateSettings(h.workspaceId, {
      resultChannels: { slack: slackChannel, discord: discordChannel },
    });
  });
  afterEach(async () => {
    await slack.up().catch(() => {});
    await discord.up().catch(() => {});
    await h.stop();
    await discord.stop();
    await slack.stop();
  });

  /** A post for an hour from now, with its message and thread in both chats. */
  async function scheduledPost(): Promise<{ id: string; slackTs: string; discordThread: string }> {
    const when = new Date(Date.now() + 3_600_000).toISOString();
    const res = await h.api('POST', '/v1/posts', { text: 'Release 2.0', targets: ['bluesky', 'tumblr'], when });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(async () => slackTop().length === 1 && discord.threads().length === 1);
    return { id, slackTs: slackTop()[0]?.ts ?? '', discordThread: discord.threads()[0]?.id ?? '' };
  }
  const slackTop = () => slack.messages(slackChannel).filter((m) => !m.thread_ts);
  const publishNow = async (id: string) => {
    expect((await h.api('POST', `/v1/posts/${id}/publish-now`)).status).toBeLessThan(300);
  };
  const published = () => bluesky.posts.size === 1 && tumblr.posts.size === 1;
  /** The replies hayon stored for a thread, in their order: the text a chat should show. */
  const stored = async (thread: string, text: (m: ChatMessage) => unknown) =>
    (await h.ctx.store.listChatMessages(thread)).filter((m) => m.request.op === 'post').map(text);
  const slackReplies = (ts: string) => slack.replies(slackChannel, ts).map((m) => m.text);
  const discordReplies = (thread: string) => discord.messages(thread).map((m) => m.content);
  const bodyOf = (m: ChatMessage) => (m.request.op === 'post' ? m.request.body : {});

  /** Both replies in the Slack thread, once each, in the order stored; the message edited to its summary. */
  async function slackThreadComplete(ts: string): Promise<void> {
    await waitFor(async () => slackReplies(ts).length >= 2, 15_000);
    const replies = slackReplies(ts);
    expect(replies).toHaveLength(2);
    expect(replies.filter((t) => t?.includes('Bluesky alice.test: published'))).toHaveLength(1);
    expect(replies.filter((t) => t?.includes('Tumblr alice: published'))).toHaveLength(1);
    expect(replies).toEqual(await stored(`slack:${slackChannel}:${ts}`, (m) => bodyOf(m).text));
    await waitFor(async () => JSON.stringify(slackTop()[0]?.blocks).includes('*Published to all 2*'), 10_000);
  }

  async function discordThreadComplete(thread: string): Promise<void> {
    await waitFor(async () => discordReplies(thread).length >= 2, 15_000);
    const replies = discordReplies(thread);
    expect(replies).toHaveLength(2);
    expect(replies.filter((t) => t.startsWith('✅ Bluesky alice.test: published'))).toHaveLength(1);
    expect(replies.filter((t) => t.startsWith('✅ Tumblr alice: published'))).toHaveLength(1);
    expect(replies).toEqual(await stored(`discord:${thread}`, (m) => bodyOf(m).content));
    await waitFor(async () =>
      (discord.messages(discordChannel)[0]?.content ?? '').startsWith('**Published to all 2**'),
    );
  }

  const dropped = async () =>
    (await h.ctx.audit.list(h.workspaceId, { limit: 50 })).filter((e) => e.action === 'notify.dropped');

  it('Slack down · notify: 503s on every reply and edit, then back; every reply arrives once, in order', async () => {
    recordCell('Slack API down', 'notify');
    const post = await scheduledPost();
    slack.failNext('chat.postMessage', { status: 503 }, 4);
    slack.failNext('chat.update', { status: 503 }, 4);
    await publishNow(post.id);
    await waitFor(async () => published());
    await slackThreadComplete(post.slackTs);
    const failed = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts).length - 2;
    expect(failed).toBe(4);
    await discordThreadComplete(post.discordThread);
  });

  it('Slack answer lost · notify: a reply Slack took, its answer cut off, is looked for and not posted again', async () => {
    recordCell('Slack API down', 'notify');
    const post = await scheduledPost();
    slack.failNext('chat.postMessage', { answerLost: true }, 2);
    await publishNow(post.id);
    await waitFor(async () => published());
    await slackThreadComplete(post.slackTs);
    // Each later attempt asked for the thread (with the messages' metadata) before posting.
    const looked = slack.calls.filter((c) => c.method === 'conversations.replies');
    expect(looked.length).toBeGreaterThanOrEqual(2);
    expect(looked[0]?.args).toEqual(expect.objectContaining({ ts: post.slackTs, include_all_metadata: 'true' }));
  });

  it('Slack refusing connections · notify: replies wait in the outbox until Slack listens again', async () => {
    recordCell('Slack API down', 'notify');
    const post = await scheduledPost();
    await slack.down();
    await publishNow(post.id);
    await waitFor(async () => published());
    const thread = `slack:${slackChannel}:${post.slackTs}`;
    await waitFor(async () => (await h.ctx.store.listChatMessages(thread)).some((m) => m.attempts >= 2), 10_000);
    expect(slackReplies(post.slackTs)).toEqual([]);
    await slack.up();
    await slackThreadComplete(post.slackTs);
  });

  it('Slack rate-limited · notify: a 429 with Retry-After is waited out, then the reply arrives', async () => {
    recordCell('Slack API down', 'notify');
    const post = await scheduledPost();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1);
    await publishNow(post.id);
    await slackThreadComplete(post.slackTs);
    const tries = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts);
    expect(tries).toHaveLength(3);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1_900);
  });

  it('Slack channel gone · notify: channel_not_found drops the reply with an audit entry, nothing retried', async () => {
    const post = await scheduledPost();
    slack.failNext('chat.postMessage', { error: 'channel_not_found' }, 1);
    await publishNow(post.id);
    await waitFor(async () => (await dropped()).length === 1, 10_000);
    const [entry] = await dropped();
    expect(entry).toEqual(
      expect.objectContaining({
        actor: { kind: 'system' },
        target: post.id,
        details: { chat: 'slack', channel: slackChannel, reason: 'channel_not_found' },
      }),
    );
    await waitFor(async () => slackReplies(post.slackTs).length === 1, 10_000);
    const messages = await h.ctx.store.listChatMessages(`slack:${slackChannel}:${post.slackTs}`);
    expect(messages.filter((m) => m.state === 'dropped').map((m) => m.attempts)).toEqual([1]);
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts)).toHaveLength(2);
  });

  it('Discord down · notify: 503s on every reply and edit, then back; every reply arrives once, in order', async () => {
    recordCell('Discord API down', 'notify');
    const post = await scheduledPost();
    const down = { status: 503, code: 0, message: 'Service Unavailable' };
    discord.failNext('POST', /^\/channels\/\d+\/messages$/, down, 4);
    discord.failNext('PATCH', /^\/channels\/\d+\/messages\/\d+$/, down, 4);
    await publishNow(post.id);
    await waitFor(async () => published());
    await discordThreadComplete(post.discordThread);
    await slackThreadComplete(post.slackTs);
  });

  it('Discord answer lost · notify: a reply sent again carries its nonce, and Discord keeps one', async () => {
    recordCell('Discord API down', 'notify');
    const post = await scheduledPost();
    discord.failNext('POST', /^\/channels\/\d+\/messages$/, { answerLost: true }, 2);
    await publishNow(post.id);
    await waitFor(async () => published());
    await discordThreadComplete(post.discordThread);
    const sent = discord.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${post.discordThread}/messages`,
    );
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.every((c) => (c.body as { enforce_nonce?: unknown }).enforce_nonce === true)).toBe(true);
  });

  it('Discord refusing connections · notify: replies wait in the outbox until Discord listens again', async () => {
    recordCell('Discord API down', 'notify');
    const post = await scheduledPost();
    await discord.down();
    await publishNow(post.id);
    await waitFor(async () => published());
    const thread = `discord:${post.discordThread}`;
    await waitFor(async () => (await h.ctx.store.listChatMessages(thread)).some((m) => m.attempts >= 2), 10_000);
    await discord.up();
    await discordThreadComplete(post.discordThread);
  });

  it('Discord rate-limited · notify: a 429 with Retry-After is waited out, then the reply arrives', async () => {
    recordCell('Discord API down', 'notify');
    const post = await scheduledPost();
    discord.failNext('POST', new RegExp(`^/channels/${post.discordThread}/messages$`), { status: 429, retryAfter: 2 });
    await publishNow(post.id);
    await discordThreadComplete(post.discordThread);
    const tries = discord.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${post.discordThread}/messages`,
    );
    expect(tries).toHaveLength(3);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1_900);
  });

  it('Discord channel gone · notify: 404 Unknown Channel drops the reply with an audit entry', async () => {
    const post = await scheduledPost();
    const gone = { status: 404, code: 10003, message: 'Unknown Channel' };
    discord.failNext('POST', new RegExp(`^/channels/${post.discordThread}/messages$`), gone);
    await publishNow(post.id);
    await waitFor(async () => (await dropped()).length === 1, 10_000);
    expect((await dropped())[0]?.details).toEqual(
      expect.objectContaining({ chat: 'discord', channel: post.discordThread }),
    );
    await waitFor(async () => discordReplies(post.discordThread).length === 1, 10_000);
    const messages = await h.ctx.store.listChatMessages(`discord:${post.discordThread}`);
    expect(messages.filter((m) => m.state === 'dropped')).toHaveLength(1);
  });

  it('SQLite locked · notify: outcomes recorded while the store is locked wait, then each reply arrives once', async () => {
    recordCell('SQLite locked', 'notify');
    const { store } = h.ctx.config;
    if (store.kind !== 'sqlite') throw new Error('expected the SQLite store');
    const post = await scheduledPost();
    bluesky.hold();
    tumblr.hold();
    await publishNow(post.id);
    await waitFor(async () => bluesky.calls === 1 && tumblr.calls === 1);
    // Both published while another process holds the write lock: neither outcome can be written.
    const locker = new Database(store.path);
    try {
      locker.exec('BEGIN IMMEDIATE');
      bluesky.release();
      tumblr.release();
      await waitFor(async () => published());
      await new Promise((r) => setTimeout(r, 4_000));
      expect(slackReplies(post.slackTs)).toEqual([]);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    await slackThreadComplete(post.slackTs);
    await discordThreadComplete(post.discordThread);
    expect(bluesky.calls + tumblr.calls).toBe(2);
  }, 30_000);

  it('outcome written, its answer cut off · notify: the worker sees it recorded, and replies once', async () => {
    const post = await scheduledPost();
    // The store applies the first outcome and the connection drops before its answer (MongoDB away
    // mid-call): the worker tries again, is refused (no longer publishing), and reads what is there.
    const store = h.ctx.store;
    const finish = store.finishAttempt.bind(store);
    let cut = 0;
    Object.assign(store, {
      finishAttempt: async (...args: Parameters<typeof finish>) => {
        const recorded = await finish(...args);
        if (cut++ > 0) return recorded;
        throw new StoreUnavailableError('not_answering', new Error('connection 3 closed'), true);
      },
    });
    await publishNow(post.id);
    await waitFor(async () => published());
    await slackThreadComplete(post.slackTs);
    await discordThreadComplete(post.discordThread);
    expect(cut).toBeGreaterThan(1);
  });

  it('worker killed · notify: replies stored before the kill are sent by the next sender', async () => {
    const post = await scheduledPost();
    // The sender dies before it sends anything: what the worker stored waits in the store.
    await h.ctx.chat.stop();
    await publishNow(post.id);
    await waitFor(async () => published());
    const thread = `slack:${slackChannel}:${post.slackTs}`;
    await waitFor(async () => (await stored(thread, (m) => m.state)).length === 2);
    // One reply was even taken (under a 300 ms lease) by a sender that then died mid-send.
    const now = Date.now();
    expect(await h.ctx.store.takeDueChatMessages(now, now + 300, 1)).toHaveLength(1);
    await h.ctx.worker.stop();
    expect(slackReplies(post.slackTs)).toEqual([]);

    // A restarted process: its sender finds both replies, the taken one once its lease runs out.
    const restarted = createChatSender(h.ctx, { chat: chatOptions });
    restarted.start();
    try {
      await slackThreadComplete(post.slackTs);
      await discordThreadComplete(post.discordThread);
    } finally {
      await restarted.stop();
    }
  });
});
