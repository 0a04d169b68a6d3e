import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from './fake-slack-api.js';

// The real WebClient (bolt's `webApi` is @slack/web-api) against the fake: proves the fake reads
// what the SDK sends (form-encoded, nested values as JSON strings, Bearer token) and answers what
// it expects.
describe('FakeSlackApi through WebClient', () => {
  let slack: FakeSlackApi;
  let client: webApi.WebClient;
  const newClient = (token: string | undefined, options: webApi.WebClientOptions = {}) =>
    new webApi.WebClient(token, { slackApiUrl: slack.apiUrl, logLevel: webApi.LogLevel.ERROR, ...options });

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    client = newClient(slack.botToken);
  });
  afterEach(() => slack.stop());

  it('answers auth.test with the bot identity and refuses a wrong or missing token', async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({
      ok: true,
      team: 'hayon-test',
      team_id: 'T0HAYON',
      user: 'hayon',
      user_id: 'U0BOT',
      bot_id: 'B0HAYON',
      is_enterprise_install: false,
    });
    expect((await platformError(newClient('xoxb-wrong').auth.test())).data.error).toBe('invalid_auth');
    expect((await platformError(newClient(undefined).auth.test())).data.error).toBe('not_authed');
    expect(slack.callsTo('auth.test')).toHaveLength(3);
  });

  it('posts, replies in a thread, updates and deletes messages', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Scheduled*' } }];
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'Scheduled', blocks });
    expect(parent).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    expect(parent.message).toMatchObject({ type: 'message', text: 'Scheduled', user: 'U0BOT', bot_id: 'B0HAYON' });
    const ts = parent.ts ?? '';
    const reply = await client.chat.postMessage({ channel: 'C1', thread_ts: ts, text: 'Published to Bluesky' });
    expect(reply.ts).toBe('1700000000.000200');
    const other = await client.chat.postMessage({ channel: 'C2', text: 'elsewhere' });
    expect(other.ts! > reply.ts!).toBe(true);

    // WebClient sent `blocks` as a JSON string; the fake records it parsed.
    expect(slack.callsTo('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C1', text: 'Scheduled', blocks });
    expect(slack.replies('C1', ts)).toEqual([
      { channel: 'C1', ts: reply.ts, text: 'Published to Bluesky', thread_ts: ts, user: 'U0BOT' },
    ]);

    const updated = await client.chat.update({ channel: 'C1', ts, text: 'Published' });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts, text: 'Published' });
    expect(slack.messages('C1').map((m) => [m.text, m.blocks])).toEqual([
      ['Published', undefined],
      ['Published to Bluesky', undefined],
    ]);

    expect(await client.chat.delete({ channel: 'C1', ts: reply.ts! })).toMatchObject({ ok: true, channel: 'C1' });
    expect(slack.replies('C1', ts)).toEqual([]);
    expect(slack.messages('C1').map((m) => m.ts)).toEqual([ts]);
    expect((await platformError(client.chat.delete({ channel: 'C1', ts: reply.ts! }))).data.error).toBe(
      'message_not_found',
    );
    expect((await platformError(client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' }))).data.error).toBe(
      'message_not_found',
    );
  });

  it("answers Slack's errors for a message without channel, text or a known thread", async () => {
    const error = async (args: Record<string, unknown>) =>
      (await platformError(client.apiCall('chat.postMessage', args))).data.error;
    expect(await error({ text: 'hi' })).toBe('channel_not_found');
    expect(await error({ channel: 'C1' })).toBe('no_text');
    expect(await error({ channel: 'C1', text: 'hi', thread_ts: '1700000000.999999' })).toBe('thread_not_found');
    expect(slack.messages('C1')).toEqual([]);
  });

  it('posts ephemeral messages', async () => {
    const answer = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'Only you can see this' });
    expect(answer).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    expect(slack.ephemerals()).toEqual([{ channel: 'C1', user: 'U1', text: 'Only you can see this' }]);
    const missingUser = await platformError(client.apiCall('chat.postEphemeral', { channel: 'C1', text: 'x' }));
    expect(missingUser.data.error).toBe('user_not_in_channel');
    expect(slack.messages('C1')).toEqual([]);
  });

  it('opens and updates views', async () => {
    const title = { type: 'plain_text' as const, text: 'Schedule' };
    const view = { type: 'modal' as const, title, callback_id: 'schedule', blocks: [] };
    const opened = await client.views.open({ trigger_id: '123.456.abc', view });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'schedule', id: expect.stringMatching(/^V/) });
    const { id, hash } = opened.view as { id: string; hash: string };

    const next = { ...view, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Saved' } }] };
    const updated = await client.views.update({ view_id: id, hash, view: next });
    expect(updated.view).toMatchObject({ id, blocks: next.blocks });
    expect(updated.view?.hash).not.toBe(hash);
    expect(slack.views()).toEqual([
      { method: 'views.open', trigger_id: '123.456.abc', view },
      { method: 'views.update', view_id: id, view: next },
    ]);

    const stale = await platformError(client.views.update({ view_id: id, hash, view }));
    expect(stale.data.error).toBe('hash_conflict');
    expect((await platformError(client.views.update({ view_id: 'V404', view }))).data.error).toBe('not_found');
    expect((await platformError(client.apiCall('views.open', { view }))).data.error).toBe('invalid_trigger_id');
  });

  it('answers users.info with the time zone and its offset now', async () => {
    slack.addUser('U1', { tz: 'Asia/Kolkata', name: 'asha' });
    slack.addUser('U2', {});
    const { user } = await client.users.info({ user: 'U1' });
    expect(user).toMatchObject({
      id: 'U1',
      name: 'asha',
      tz: 'Asia/Kolkata',
      tz_label: 'India Standard Time',
      tz_offset: 19800,
    });
    const other = await client.users.info({ user: 'U2' });
    expect(other.user?.tz).toBe('America/Los_Angeles');
    expect([-28800, -25200]).toContain(other.user?.tz_offset);
    expect((await platformError(client.users.info({ user: 'U404' }))).data.error).toBe('user_not_found');
  });

  it('answers files.info and serves url_private only with the bot token', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const added = slack.addFile('F1', bytes, { name: 'photo.png', mimetype: 'image/png' });
    expect(added.url_private).toBe(`${slack.origin}/files-pri/T0HAYON-F1/photo.png`);

    const { file } = await client.files.info({ file: 'F1' });
    expect(file).toMatchObject({ id: 'F1', name: 'photo.png', mimetype: 'image/png', filetype: 'png', size: 7 });
    expect(file?.url_private).toBe(added.url_private);

    const auth = { authorization: `Bearer ${slack.botToken}` };
    const withToken = await fetch(added.url_private, { headers: auth });
    expect(withToken.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await withToken.arrayBuffer())).toEqual(bytes);
    const download = await fetch(added.url_private_download, { headers: auth });
    expect(download.headers.get('content-disposition')).toContain('photo.png');

    const withoutToken = await fetch(added.url_private);
    expect(withoutToken.status).toBe(200);
    expect(withoutToken.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await withoutToken.text()).toContain('<html');
    expect(slack.calls.map((c) => c.method)).toEqual(['files.info']);
    expect((await platformError(client.files.info({ file: 'F404' }))).data.error).toBe('file_not_found');
  });

  it('lists a user group', async () => {
    slack.setUsergroup('S1', ['U1', 'U2']);
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
    const unknown = await platformError(client.usergroups.users.list({ usergroup: 'S404' }));
    expect(unknown.data.error).toBe('no_such_subteam');
  });

  it('answers a scripted 429 with Retry-After, which WebClient waits out before retrying', async () => {
    // The default retry policy adds p-retry's own 1–2 s backoff after the Retry-After wait.
    const fast = newClient(slack.botToken, { retryConfig: webApi.retryPolicies.rapidRetryPolicy });
    const waits: number[] = [];
    fast.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const started = Date.now();
    const answer = await fast.chat.postMessage({ channel: 'C1', text: 'after the limit' });
    expect(answer.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(waits).toEqual([1]);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
    expect(slack.messages('C1').map((m) => m.text)).toEqual(['after the limit']);
  });

  it('answers a scripted error as a platform error, as many times as asked', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' }, 2);
    for (let i = 0; i < 2; i++) {
      const e = await platformError(client.chat.postMessage({ channel: 'C1', text: 'hi' }));
      expect(e.data.error).toBe('channel_not_found');
    }
    expect((await client.chat.postMessage({ channel: 'C1', text: 'hi' })).ok).toBe(true);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('answers unknown_method', async () => {
    expect((await platformError(client.apiCall('chat.nope'))).data.error).toBe('unknown_method');
  });

  it('takes JSON bodies and a token form field too', async () => {
    const blocks = [{ type: 'divider' }];
    const viaJson = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ channel: 'C1', blocks }),
    });
    expect(await viaJson.json()).toMatchObject({ ok: true, message: { blocks } });
    const viaForm = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      body: new URLSearchParams({ token: slack.botToken }),
    });
    expect(await viaForm.json()).toMatchObject({ ok: true, user_id: 'U0BOT' });
    expect(slack.callsTo('auth.test')[0]?.args).toEqual({});
  });
});

/** The WebAPIPlatformError `promise` rejects with (Slack's `{ok:false}` answer). */
async function platformError(promise: Promise<unknown>): Promise<webApi.WebAPIPlatformError> {
  const error = await promise.then(
    () => new Error('expected a Slack platform error'),
    (e: unknown) => e,
  );
  expect((error as { code?: unknown }).code).toBe(webApi.ErrorCode.PlatformError);
  return error as webApi.WebAPIPlatformError;
}
