import { signSlackRequest } from '../../src/bots/slack/verify.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeSlackSocket } from '../fakes/fake-slack-socket.js';
import { solidPng } from '../fakes/images.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

import {
  alice,
  channel,
  type SlackRig,
  sendSigned,
  signingSecret,
  startSlackRig,
  stopSlackRig,
} from './slack-setup.js';

// Slack end to end over HTTP: signed requests into hayon's /slack/events, a fake Slack Web API
// that records what hayon sends, FakePlatforms behind. What each test asserts is what a Slack
// user would see: the message, its thread, its edits, the ephemeral answers.
describe('Slack (HTTP mode, FakeSlackApi)', () => {
  let rig: SlackRig;
  let slack: FakeSlackApi;
  let h: TestHayon;
  let bluesky: FakePlatform;
  let tumblr: FakePlatform;

  // A fresh Slack per test: its channel, ephemerals and views start empty.
  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    tumblr = new FakePlatform('tumblr', { maxLength: 4096, threads: false });
    rig = await startSlackRig({
      platforms: { bluesky, tumblr },
      retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 200, jitter: 0 },
    });
    ({ slack, h } = rig);
    slack.addUser('U0BOB', { tz: 'America/New_York', name: 'bob' });
    await h.ctx.accounts.add(h.workspaceId, 'tumblr', { identifier: 'alice', appPassword: 'pw' });
  });
  afterEach(() => stopSlackRig(rig));

  /** A signed request as Slack sends it. */
  const send = (body: string, contentType: string, headers: Record<string, string> = {}) =>
    sendSigned(h, body, contentType, headers);
  const command = (name: string, text: string, user = alice) =>
    send(
      new URLSearchParams({
        token: 'legacy',
        team_id: slack.teamId,
        team_domain: 'hayon-test',
        channel_id: channel,
        channel_name: 'launch',
        user_id: user,
        user_name: user === alice ? 'alice' : 'bob',
        command: name,
        text,
        api_app_id: 'A0HAYON',
        response_url: `${slack.origin}/response`,
        trigger_id: `trigger-${Date.now()}`,
      }).toString(),
      'application/x-www-form-urlencoded',
    );
  const interaction = (payload: Record<string, unknown>) =>
    send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');

  const topLevel = () => slack.messages(channel).filter((m) => !m.thread_ts);
  const posts = async () => (await (await h.api('GET', '/v1/posts')).json()).posts;
  const blocksText = (blocks: unknown) => JSON.stringify(blocks) ?? '';

  it("/post with a time and targets: one message with the time in the author's zone, counts and buttons", async () => {
    const res = await command('/post', 'Launch day! https://example.com tomorrow 9am to bluesky,tumblr');
    expect(res.status).toBe(200);
    await waitFor(async () => slack.callsTo('chat.update').length > 0);
    const [message] = topLevel();
    const shown = blocksText(message?.blocks);
    expect(shown).toContain('Scheduled for *');
    expect(shown).toContain('(Europe/Berlin)');
    expect(shown).toContain('09:00');
    expect(shown).toContain('Bluesky alice.test · 31/300');
    expect(shown).toContain('Tumblr alice');
    expect(shown).toContain('"action_id":"hayon_post_now"');
    expect(shown).toContain('"action_id":"hayon_cancel"');
    const [post] = await posts();
    expect(post.text).toBe('Launch day! https://example.com');
    expect(post.status).toBe('SCHEDULED');
    expect(post.timezone).toBe('Europe/Berlin');
    expect(slack.ephemerals()).toEqual([]);
  });

  it('publishes a post due now, replies in the thread with the link, and edits the message to the summary', async () => {
    await command('/post', 'Shipping now to bluesky');
    await waitFor(async () => slack.replies(channel, topLevel()[0]?.ts ?? '').length === 1);
    const parent = topLevel()[0];
    const [reply] = slack.replies(channel, parent?.ts ?? '');
    expect(reply?.text).toMatch(
      /^:white_check_mark: Bluesky alice\.test: published <https:\/\/bluesky\.example\/p\/.+>$/,
    );
    await waitFor(async () => blocksText(topLevel()[0]?.blocks).includes('*Published*'));
    expect(blocksText(topLevel()[0]?.blocks)).not.toContain('hayon_cancel');
    expect(bluesky.posts.size).toBe(1);
  });

  it('a retry and a failure each get a reply saying why, and the summary says what failed', async () => {
    bluesky.failNext({ kind: 'transient', status: 503, message: 'Bluesky answered 503' });
    tumblr.failNext({ kind: 'invalid', status: 400, message: 'Tumblr refused the post: spam filter' });
    await command('/post', 'Two places to bluesky,tumblr');
    await waitFor(async () => slack.replies(channel, topLevel()[0]?.ts ?? '').length === 3, 15_000);
    const texts = slack.replies(channel, topLevel()[0]?.ts ?? '').map((m) => m.text ?? '');
    expect(texts.find((t) => t.startsWith(':repeat: Bluesky'))).toMatch(
      /attempt 1 did not go through \(Bluesky answered 503\)\. Trying again at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
    );
    expect(texts.find((t) => t.startsWith(':x: Tumblr'))).toContain('spam filter');
    expect(texts.find((t) => t.startsWith(':x: Tumblr'))).toContain('Change what the platform refused');
    expect(texts.find((t) => t.startsWith(':white_check_mark: Bluesky'))).toBeTruthy();
    await waitFor(async () => blocksText(topLevel()[0]?.blocks).includes('1/2 published, Tumblr alice failed'));
  });

  it.each([
    ['a text too long for a target', `${'x'.repeat(320)} to bluesky`, 'by 20'],
    [
      'a text too long, with the way to a thread',
      `${'x'.repeat(320)} to bluesky`,
      'tick "Split a long text into a thread" in the /post form (/post alone opens it)',
    ],
    [
      'a target with no account, with who connects one',
      'Hello to mastodon',
      'A workspace admin connects one with /hayon connect mastodon',
    ],
    ['an unknown target', 'Hello to bluesky:nobody.test', 'No bluesky account "nobody.test"'],
    ['a time in the past', 'Hello 2020-01-01T09:00 to bluesky', 'in the past'],
  ])('%s is an ephemeral message saying what to change, and nothing stays behind', async (_, text, says) => {
    await command('/post', text);
    await waitFor(async () => slack.ephemerals().length === 1);
    const [e] = slack.ephemerals();
    expect(e).toMatchObject({ channel, user: alice });
    expect(e?.text).toContain(says);
    expect(topLevel()).toEqual([]);
    expect(await posts()).toEqual([]);
  });

  it('a /post with no target and no working account says how to connect one again', async () => {
    for (const a of await h.ctx.store.listAccounts(h.workspaceId)) {
      await h.ctx.store.setAccountHealth(a.id, 'expired', 'token revoked', Date.now());
    }
    await command('/post', 'Hello');
    await waitFor(async () => slack.ephemerals().length === 1);
    expect(slack.ephemerals()[0]?.text).toContain('Every account of this workspace needs reconnecting');
    expect(slack.ephemerals()[0]?.text).toContain('/hayon connect <platform>');
    expect(await posts()).toEqual([]);
  });

  it('an account that needs reconnecting is an ephemeral message naming it', async () => {
    const account = (await h.ctx.store.listAccounts(h.workspaceId)).find((a) => a.platform === 'bluesky');
    await h.ctx.store.setAccountHealth(account?.id ?? '', 'expired', 'token revoked', Date.now());
    await command('/post', 'Hello to bluesky');
    await waitFor(async () => slack.ephemerals().length === 1);
    expect(slack.ephemerals()[0]?.text).toContain('The bluesky account alice.test needs reconnecting (expired).');
    expect(slack.ephemerals()[0]?.text).toContain('A workspace admin connects it again with /hayon connect bluesky.');
    expect(topLevel()).toEqual([]);
    expect(await posts()).toEqual([]);
  });

  it('refuses a user who may not post, and stores nothing', async () => {
    await h.ctx.store.updateWorkspaceSettings(h.workspaceId, { slack: { posters: { kind: 'users', ids: ['U0BOB'] } } });
    await command('/post', 'Hello to bluesky');
    await waitFor(async () => slack.ephemerals().length === 1);
    expect(slack.ephemerals()[0]?.text).toContain('not on the list of people who may post');
    expect(await posts()).toEqual([]);
    // The listed user may.
    await command('/post', 'Hello from bob to bluesky', 'U0BOB');
    await waitFor(async () => (await posts()).length === 1);
  });

  it('refuses a user outside the allowed user group', async () => {
    slack.setUsergroup('S0POSTERS', ['U0BOB']);
    await h.ctx.store.updateWorkspaceSettings(h.workspaceId, {
      slack: { posters: { kind: 'group', id: 'S0POSTERS' } },
    });
    await command('/post', 'Hello to bluesky');
    await waitFor(async () => slack.ephemerals().length === 1);
    expect(slack.ephemerals()[0]?.text).toContain('Only members of <!subteam^S0POSTERS>');
  });

  it('refuses forged and stale signatures with 401, and acts on neither', async () => {
    const body = new URLSearchParams({
      command: '/post',
      text: 'forged to bluesky',
      team_id: slack.teamId,
      channel_id: channel,
      user_id: alice,
    }).toString();
    const forged = await h.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest('not-the-secret', body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(forged.status).toBe(401);
    const stale = await h.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(signingSecret, body, Math.floor(Date.now() / 1000) - 6 * 60),
      },
      body,
    });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.message).toContain('too old');
    await new Promise((r) => setTimeout(r, 100));
    expect(slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(await posts()).toEqual([]);
  });

  it("answers Slack's URL verification challenge", async () => {
    const res = await send(JSON.stringify({ type: 'url_verification', challenge: 'abc123' }), 'application/json');
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('Cancel and Post now buttons act on the post and edit its message', async () => {
    await command('/post', 'Later in 2 hours to bluesky');
    await waitFor(async () => slack.callsTo('chat.update').length > 0);
    const [post] = await posts();
    const message = topLevel()[0];
    const click = (actionId: string) =>
      interaction({
        type: 'block_actions',
        team: { id: slack.teamId },
        user: { id: alice },
        channel: { id: channel },
        container: { type: 'message', channel_id: channel, message_ts: message?.ts },
        message: { ts: message?.ts },
        trigger_id: 'trigger-button',
        actions: [{ action_id: actionId, block_id: 'post_actions', value: post.id, type: 'button' }],
      });
    expect((await click('hayon_post_now')).status).toBe(200);
    await waitFor(async () => bluesky.posts.size === 1);
    await waitFor(async () => (await posts())[0].status === 'COMPLETED');

    await command('/post', 'Another in 3 hours to bluesky');
    await waitFor(async () => topLevel().length === 2 && blocksText(topLevel()[1]?.blocks).includes('Scheduled'));
    const second = (await posts()).find((p: { text: string }) => p.text === 'Another');
    const secondMessage = topLevel()[1];
    await interaction({
      type: 'block_actions',
      team: { id: slack.teamId },
      user: { id: alice },
      channel: { id: channel },
      container: { type: 'message', channel_id: channel, message_ts: secondMessage?.ts },
      trigger_id: 'trigger-button',
      actions: [{ action_id: 'hayon_cancel', block_id: 'post_actions', value: second.id, type: 'button' }],
    });
    await waitFor(async () => blocksText(topLevel()[1]?.blocks).includes('*Cancelled*'));
    expect(blocksText(topLevel()[1]?.blocks)).not.toContain('hayon_post_now');
    expect((await (await h.api('GET', `/v1/posts/${second.id}`)).json()).status).toBe('CANCELLED');
  });

  it('/post alone opens the modal; a bad time is shown in the modal; a submission with a file and alt text publishes it', async () => {
    await command('/post', '');
    await waitFor(async () => slack.views().length === 1);
    const [opened] = slack.views();
    expect(opened?.method).toBe('views.open');
    const view = opened?.view as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe('hayon_post_modal');
    expect(view.blocks.map((b) => b.block_id)).toEqual(
      expect.arrayContaining([
        'text',
        'targets',
        'when',
        'files',
        'alt',
        'link_preview',
        'thread',
        'override_bluesky',
        'override_tumblr',
      ]),
    );
    const accounts = await h.ctx.store.listAccounts(h.workspaceId);
    const blueskyId = accounts.find((a) => a.platform === 'bluesky')?.id ?? '';
    const submit = (when: string, files: { id: string }[]) =>
      interaction({
        type: 'view_submission',
        team: { id: slack.teamId },
        user: { id: alice, name: 'alice' },
        trigger_id: 'trigger-submit',
        view: {
          id: 'V0MODAL',
          callback_id: 'hayon_post_modal',
          private_metadata: view.private_metadata,
          state: {
            values: {
              text: { text: { type: 'plain_text_input', value: 'From the modal' } },
              targets: { targets: { type: 'multi_static_select', selected_options: [{ value: blueskyId }] } },
              when: { hayon_when: { type: 'plain_text_input', value: when } },
              files: { files: { type: 'file_input', files } },
              alt: { alt: { type: 'plain_text_input', value: 'A red box' } },
              // The link card box unticked.
              link_preview: { link_preview: { type: 'checkboxes', selected_options: [] } },
              override_bluesky: { text: { type: 'plain_text_input', value: null } },
            },
          },
        },
      });
    // "When", on Enter: the modal shows the time it read, in the author's zone, before submit.
    const typed = (value: string) =>
      interaction({
        type: 'block_actions',
        team: { id: slack.teamId },
        user: { id: alice },
        view: { id: 'V0000000001', hash: '', private_metadata: view.private_metadata },
        actions: [{ action_id: 'hayon_when', block_id: 'when', type: 'plain_text_input', value }],
      });
    await typed('tomorrow 9am');
    await waitFor(async () => slack.views().length === 2);
    const echoed = JSON.stringify(slack.views()[1]);
    expect(slack.views()[1]?.method).toBe('views.update');
    expect(echoed).toMatch(/→ \*\d{4}-\d{2}-\d{2} 09:00 CES?T \(Europe\/Berlin\)\*/);
    await typed('whenever');
    await waitFor(async () => slack.views().length === 3);
    expect(JSON.stringify(slack.views()[2])).toContain(':warning: Could not read a time');

    const bad = await submit('last year', []);
    expect(await bad.json()).toEqual({ response_action: 'errors', errors: { when: expect.stringContaining('past') } });

    slack.addFile('F0BOX', await solidPng(40, 30), { name: 'box.png', mimetype: 'image/png' });
    const ok = await submit('', [{ id: 'F0BOX' }]);
    expect(ok.status).toBe(200);
    await waitFor(async () => bluesky.posts.size === 1, 15_000);
    const [post] = await posts();
    expect(post.text).toBe('From the modal');
    expect(post.linkPreview).toBe(false);
    expect(post.media).toEqual([
      { type: 'image/png', size: expect.any(Number), width: 40, height: 30, alt: 'A red box' },
    ]);
    expect([...bluesky.media.values()][0]?.[0]?.mimeType).toBe('image/png');
  });

  it('the modal\'s "Split a long text into a thread" box, which a refusal points at, makes a thread', async () => {
    await command('/post', '');
    await waitFor(async () => slack.views().length === 1);
    const view = slack.views()[0]?.view as { private_metadata: string };
    const blueskyId = (await h.ctx.store.listAccounts(h.workspaceId)).find((a) => a.platform === 'bluesky')?.id;
    const res = await interaction({
      type: 'view_submission',
      team: { id: slack.teamId },
      user: { id: alice, name: 'alice' },
      trigger_id: 'trigger-thread',
      view: {
        id: 'V0THREAD',
        callback_id: 'hayon_post_modal',
        private_metadata: view.private_metadata,
        state: {
          values: {
            text: { text: { type: 'plain_text_input', value: 'A sentence that goes on for a while. '.repeat(12) } },
            targets: { targets: { type: 'multi_static_select', selected_options: [{ value: blueskyId }] } },
            when: { hayon_when: { type: 'plain_text_input', value: 'in 2 hours' } },
            thread: { thread: { type: 'checkboxes', selected_options: [{ value: 'auto' }] } },
          },
        },
      },
    });
    expect(res.status).toBe(200);
    await waitFor(async () => (await posts()).length === 1);
    const [post] = await posts();
    expect(post.deliveries[0]?.thread?.parts).toBeGreaterThan(1);
    expect(slack.ephemerals()).toEqual([]);
  });

  it('the message shortcut opens the modal with the message text', async () => {
    await interaction({
      type: 'message_action',
      callback_id: 'hayon_post_to_social',
      team: { id: slack.teamId },
      user: { id: alice },
      channel: { id: channel },
      trigger_id: 'trigger-shortcut',
      message: { ts: '1700000000.000001', text: 'We shipped the thing', files: [{ id: 'F0BOX', name: 'box.png' }] },
    });
    await waitFor(async () => slack.views().length === 1);
    const shown = JSON.stringify(slack.views()[0]?.view);
    expect(shown).toContain('"initial_value":"We shipped the thing"');
    expect(shown).toContain('From the message: `box.png`');
    const opened = slack.views()[0]?.view as { private_metadata: string } | undefined;
    expect(JSON.parse(opened?.private_metadata ?? '{}')).toEqual({
      channelId: channel,
      fileIds: ['F0BOX'],
    });
  });

  it('a Slack 429 on a thread reply is waited out, and the reply still arrives', async () => {
    await command('/post', 'Rate limited in 2 hours to bluesky');
    await waitFor(async () => slack.callsTo('chat.update').length > 0);
    const [post] = await posts();
    // The next postMessage is the thread reply for the publish that "Post now" starts.
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    await h.api('POST', `/v1/posts/${post.id}/publish-now`);
    await waitFor(async () => slack.replies(channel, topLevel()[0]?.ts ?? '').length === 1, 15_000);
    const replies = slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts);
    expect(replies).toHaveLength(2);
    expect(replies[1]!.at - replies[0]!.at).toBeGreaterThanOrEqual(900);
    expect(slack.replies(channel, topLevel()[0]?.ts ?? '')[0]?.text).toContain('published');
  });

  it("/hayon status lists this channel's scheduled posts with cancel buttons; accounts and help answer", async () => {
    await command('/post', 'Soon in 2 hours to bluesky');
    await waitFor(async () => slack.callsTo('chat.update').length > 0);
    await command('/hayon', 'status');
    await waitFor(async () => slack.ephemerals().length === 1);
    const status = slack.ephemerals()[0];
    expect(status?.text).toBe('1 scheduled from this channel');
    expect(JSON.stringify(status?.blocks)).toContain('"action_id":"hayon_cancel"');
    await command('/hayon', 'accounts');
    await waitFor(async () => slack.ephemerals().length === 2);
    expect(slack.ephemerals()[1]?.text).toContain('Bluesky alice.test: active');
    await command('/hayon', 'help');
    await waitFor(async () => slack.ephemerals().length === 3);
    expect(slack.ephemerals()[2]?.text).toContain('/post Launch day!');
  });

  it('/hayon connect mastodon gives a Slack admin a single-use connect link, and refuses a member', async () => {
    slack.addUser('U0ADMIN', { name: 'ada', admin: true });
    await command('/hayon', 'connect mastodon mastodon.example', 'U0ADMIN');
    await waitFor(async () => slack.ephemerals().length === 1);
    const link = /<(https?:[^|>]+)\|Connect a Mastodon account>/.exec(slack.ephemerals()[0]?.text ?? '')?.[1] ?? '';
    expect(link).toContain('/connect/mastodon/start?workspace=default&state=');
    const flow = await h.ctx.store.getConnectState(new URL(link).searchParams.get('state')?.split('.')[0] ?? '');
    expect(flow).toMatchObject({ actor: { kind: 'slack', id: 'U0ADMIN' }, data: { instance: 'mastodon.example' } });
    await command('/hayon', 'connect mastodon', 'U0BOB');
    await waitFor(async () => slack.ephemerals().length === 2);
    expect(slack.ephemerals()[1]?.text).toContain('Only Slack workspace admins');
    expect(slack.ephemerals()[1]?.text).not.toContain('/connect/');
  });
});

// Socket Mode: no public URL; hayon connects out to Slack and gets the same commands over a
// WebSocket (a fake Socket Mode server here), acknowledging each by its envelope id.
describe('Slack (Socket Mode, FakeSlackSocket)', () => {
  it('takes /post over the socket, acknowledges it, and answers in the channel', async () => {
    const slack = new FakeSlackApi();
    await slack.start();
    slack.addUser(alice, { tz: 'Europe/Berlin' });
    const socket = new FakeSlackSocket();
    slack.socketUrl = await socket.start();
    const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    const h = await startHayon({
      env: { slackBotToken: slack.botToken, slackAppToken: slack.appToken, slackApiUrl: slack.apiUrl },
      platforms: { bluesky },
    });
    try {
      await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
      expect(h.ctx.config.slack?.mode).toBe('socket');
      await h.ctx.slack?.start();
      await socket.connected;
      const ack = await socket.send('slash_commands', {
        team_id: slack.teamId,
        channel_id: channel,
        user_id: alice,
        user_name: 'alice',
        command: '/post',
        text: 'Hello over a socket to bluesky',
        trigger_id: 'trigger-socket',
        response_url: `${slack.origin}/response`,
      });
      expect(typeof ack.envelope_id).toBe('string');
      await waitFor(async () => slack.replies(channel, slack.messages(channel)[0]?.ts ?? '').length === 1);
      expect(slack.replies(channel, slack.messages(channel)[0]?.ts ?? '')[0]?.text).toContain('published');
      expect(bluesky.posts.size).toBe(1);
      // Over Socket Mode nothing is served at /slack/events.
      expect((await h.request('/slack/events', { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await h.stop();
      await socket.stop();
      await slack.stop();
    }
  });
});
