import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/bots/slack/verify.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

/** Uses a sign-in link as a browser would: the session cookie it sets, and who the session acts as. */
async function useLink(h: TestHayon, url: string) {
  const res = await h.request(new URL(url).pathname);
  expect(res.status).toBe(303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect((await h.request('/app', { headers: { cookie } })).status).toBe(200);
  const [entry] = await h.ctx.audit.list(h.workspaceId, { limit: 1 });
  return entry;
}

// `/hayon web` over each chat's real ingress (signed requests) against FakeSlackApi and
// FakeDiscordApi: a private link for whoever may post, which signs them in once.
describe('/hayon web in Slack (FakeSlackApi)', () => {
  const signingSecret = 'slack-signing-secret-for-web-tests';
  let slack: FakeSlackApi;
  let h: TestHayon;

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    slack.addUser('U0ALICE', { name: 'alice' });
    slack.addUser('U0BOB', { name: 'bob' });
    h = await startHayon({
      env: { slackBotToken: slack.botToken, slackSigningSecret: signingSecret, slackApiUrl: slack.apiUrl },
      worker: false,
    });
  });
  afterEach(async () => {
    await h.stop();
    await slack.stop();
  });

  const hayonWeb = (user: string) => {
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: slack.teamId,
      channel_id: 'C0LAUNCH',
      user_id: user,
      user_name: user === 'U0ALICE' ? 'alice' : 'bob',
      command: '/hayon',
      text: 'web',
      api_app_id: 'A0HAYON',
      response_url: `${slack.origin}/response`,
      trigger_id: `trigger-${Date.now()}`,
    }).toString();
    return h.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(signingSecret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
  };

  it('answers only the asker with a link that signs them in as themselves, once', async () => {
    await hayonWeb('U0ALICE');
    await waitFor(async () => slack.ephemerals().length === 1);
    const text = slack.ephemerals()[0]?.text ?? '';
    expect(text).toContain('works once, for you, within 15 minutes');
    const url = /<(http[^|>]+)\|Sign in to hayon's web page>/.exec(text)?.[1] ?? '';
    expect(url).toMatch(/\/app\/login\/[\w-]{43}$/);
    expect(slack.messages('C0LAUNCH')).toEqual([]);
    const entry = await useLink(h, url);
    expect(entry).toMatchObject({
      action: 'web.signed_in',
      actor: { kind: 'web', id: 'slack:U0ALICE', name: 'alice' },
    });
    expect((await h.request(new URL(url).pathname)).status).toBe(410);
  });

  it('refuses someone who may not post, without a link', async () => {
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slack: { posters: { kind: 'users', ids: ['U0ALICE'] } } });
    await hayonWeb('U0BOB');
    await waitFor(async () => slack.ephemerals().length === 1);
    const text = slack.ephemerals()[0]?.text ?? '';
    expect(text).toContain('The web page is for people who may post with hayon.');
    expect(text).not.toContain('/app/login/');
  });
});

describe('/hayon web in Discord (FakeDiscordApi)', () => {
  const alice = { id: '1300000000000000003', username: 'alice' };
  let discord: FakeDiscordApi;
  let h: TestHayon;
  let keys: { privateKey: KeyObject; publicHex: string };
  let n = 0;

  beforeEach(async () => {
    discord = new FakeDiscordApi();
    await discord.start();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ format: 'der', type: 'spki' });
    keys = { privateKey, publicHex: der.subarray(der.length - 32).toString('hex') };
    h = await startHayon({
      env: {
        discordToken: discord.botToken,
        discordAppId: discord.applicationId,
        discordPublicKey: keys.publicHex,
        discordApiUrl: discord.apiUrl,
      },
      worker: false,
    });
  });
  afterEach(async () => {
    await h.stop();
    await discord.stop();
  });

  const hayonWeb = async (permissions: string) => {
    const token = `interaction-token-${++n}`;
    discord.addInteraction(token, '1300000000000000002', { answeredOverHttp: true });
    const body = JSON.stringify({
      id: `1400000000000000${n}`,
      application_id: discord.applicationId,
      type: 2,
      token,
      version: 1,
      guild_id: '1300000000000000001',
      channel_id: '1300000000000000002',
      member: { user: alice, roles: [], permissions },
      data: { id: '2', name: 'hayon', type: 1, options: [{ name: 'web', type: 1 }] },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await h.request('/discord/interactions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': timestamp,
        'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), keys.privateKey).toString('hex'),
      },
      body,
    });
    return (await res.json()) as { data: { content: string; flags: number } };
  };

  it('answers privately, without a link preview, with a link that signs the member in once', async () => {
    const answer = await hayonWeb(String(1 << 5)); // Manage Server: may post when no role is set
    expect(answer.data.flags).toBe(64 | 4); // ephemeral, embeds suppressed
    const url = /\(<(http[^>]+)>\)/.exec(answer.data.content)?.[1] ?? '';
    expect(url).toMatch(/\/app\/login\/[\w-]{43}$/);
    const entry = await useLink(h, url);
    expect(entry).toMatchObject({ actor: { kind: 'web', id: `discord:${alice.id}`, name: 'alice' } });
  });

  it('refuses a member who may not post, without a link', async () => {
    const answer = await hayonWeb('0');
    expect(answer.data.content).toContain('The web page is for members who may post with hayon.');
    expect(answer.data.content).not.toContain('/app/login/');
  });
});
