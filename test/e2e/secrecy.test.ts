import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/bots/slack/verify.js';
import { signHayon } from '../../src/core/hooks/signature.js';
import { createPlatforms } from '../../src/platforms/registry.js';
import { CallbackReceiver } from '../fakes/callback-receiver.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

/** Known, distinctive secrets: each is looked for everywhere hayon writes or answers. */
const secrets = {
  secretKey: Buffer.from('hayon-secrecy-test-key-32-bytes!', 'utf8'),
  slackBotToken: 'xoxb-1111-2222-SECRECYslackBotToken9f3a7c',
  slackSigningSecret: 'SECRECYslackSigningSecret5d8e2b71c0a4',
  discordBotToken: 'MTSECRECY0.discordBotToken.Q7x9Zk2Lm4Np6Rs8',
  blueskyAppPassword: 'secr-ecyb-skyp-w0rd',
  mastodonToken: 'SECRECYmastodonAccessToken_4b9d1e7f',
};

const guild = '1300000000000000001';
const discordChannel = '1300000000000000002';
const slackChannel = 'C0SECRECY';
const alice = { id: '1300000000000000003', username: 'alice' };

function ed25519(): { privateKey: KeyObject; publicHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicHex: der.subarray(der.length - 32).toString('hex') };
}

/** A secret as it could show up: itself, and its hex, base64 and base64url encodings. */
function forms(secret: string | Buffer): string[] {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  const encoded = [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
  return typeof secret === 'string' ? [secret, ...encoded] : encoded;
}

// A full flow with known secrets (HTTP API, Slack, Discord, an incoming webhook with a callback,
// the real Mastodon adapter against a fake instance, Bluesky through a FakePlatform), including
// failures whose answers carry error text: a bad API token, a bad Slack and Discord signature, a
// bad hook signature, and a platform refusing its token. None of the secrets may appear in a log
// line, an HTTP answer, a chat message or a callback.
describe('secrets never leak', () => {
  let h: TestHayon;
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let mastodon: FakeMastodonServer;
  let receiver: CallbackReceiver;
  const keys = ed25519();
  /** Every HTTP answer body hayon gave, with its path. */
  const answers: string[] = [];
  const found: Record<string, string[]> = {};
  let hook: { id: string; secret: string };
  let n = 0;

  beforeAll(async () => {
    slack = new FakeSlackApi({ botToken: secrets.slackBotToken });
    discord = new FakeDiscordApi({ botToken: secrets.discordBotToken });
    [mastodon, receiver] = await Promise.all([
      new FakeMastodonServer({ token: secrets.mastodonToken }).start(),
      new CallbackReceiver().start(),
      slack.start(),
      discord.start(),
    ]);
    slack.addUser('U0ALICE', { tz: 'Europe/Berlin', name: 'alice' });
    h = await startHayon({
      secretKey: secrets.secretKey,
      env: {
        // Debug level: what an operator turns on while looking into a problem must not leak either.
        logLevel: 'debug',
        fetchAllowHosts: receiver.host,
        slackBotToken: secrets.slackBotToken,
        slackSigningSecret: secrets.slackSigningSecret,
        slackApiUrl: slack.apiUrl,
        discordToken: secrets.discordBotToken,
        discordAppId: discord.applicationId,
        discordPublicKey: keys.publicHex,
        discordApiUrl: discord.apiUrl,
      },
      // Mastodon through the real adapter (production's registry), Bluesky through the fake.
      platforms: {
        bluesky: new FakePlatform('bluesky', { maxLength: 300 }),
        mastodon: createPlatforms({ fetch: globalThis.fetch, timeoutMs: 5_000 }).mastodon!,
      },
      retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100, jitter: 0 },
      callbacks: { pollMs: 50, retryDelaysMs: [100] },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', {
      identifier: 'alice.test',
      appPassword: secrets.blueskyAppPassword,
    });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { instanceUrl: mastodon.url, accessToken: mastodon.token });
    const made = await h.ctx.hooks.create(h.workspaceId, {
      source: 'generic',
      targets: ['bluesky', 'mastodon'],
      callbackUrl: receiver.url,
    });
    hook = { id: made.hook.id, secret: made.secret };
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all([slack?.stop(), discord?.stop(), mastodon?.stop(), receiver?.stop()]);
  });

  /** A request to hayon whose answer body is kept for the search. */
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await h.request(path, init);
    const text = await res.text();
    answers.push(`${init.method ?? 'GET'} ${path} ${res.status} ${text}`);
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  const api = (method: string, path: string, body?: unknown, token = h.token) =>
    call(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const slackCommand = (text: string, signingSecret = secrets.slackSigningSecret) => {
    const body = new URLSearchParams({
      team_id: slack.teamId,
      channel_id: slackChannel,
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/post',
      text,
      response_url: `${slack.origin}/response`,
      trigger_id: `trigger-${++n}`,
    }).toString();
    return call('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(signingSecret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
  };
  const discordPost = (
    text: string,
    privateKey = keys.privateKey,
    token = `interaction-token-${++n}`,
    targets?: string,
  ) => {
    discord.addInteraction(token, discordChannel, { answeredOverHttp: true });
    const body = JSON.stringify({
      id: `14000000000000000${n}`,
      application_id: discord.applicationId,
      type: 2,
      token,
      version: 1,
      guild_id: guild,
      channel_id: discordChannel,
      member: { user: alice, roles: [], permissions: String(1 << 5) },
      data: {
        id: '1',
        name: 'post',
        type: 1,
        options: [
          { name: 'text', type: 3, value: text },
          ...(targets ? [{ name: 'targets', type: 3, value: targets }] : []),
        ],
      },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    return call('/discord/interactions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': timestamp,
        'x-signature-ed25519': signature,
      },
      body,
    });
  };
  const webhook = (body: string, secret = hook.secret, key = `event-${++n}`) =>
    call(`/v1/hooks/${hook.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        'x-hayon-signature': signHayon(secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
  const settled = async (id: string) => {
    await waitFor(
      async () => !['PENDING', 'PROCESSING', 'SCHEDULED'].includes((await api('GET', `/v1/posts/${id}`)).json().status),
      15_000,
    );
  };

  it('runs the flow: posts from every way in, and failures with error answers', async () => {
    // The HTTP API, with a callback signed with the workspace's derived secret.
    const made = await api('POST', '/v1/posts', {
      text: 'From the API',
      targets: ['bluesky', 'mastodon'],
      callbackUrl: receiver.url,
    });
    expect(made.status).toBe(202);
    await settled(made.json().id);
    // Slack and Discord.
    await slackCommand('From Slack to bluesky,mastodon');
    await waitFor(async () => slack.messages(slackChannel).filter((m) => m.thread_ts).length >= 2, 15_000);
    await discordPost('From Discord');
    await waitFor(
      async () => discord.threads().length === 1 && discord.messages(discord.threads()[0]!.id).length >= 2,
      15_000,
    );
    // An incoming webhook, which calls back signed with its secret.
    expect((await webhook(JSON.stringify({ text: 'From a webhook' }))).status).toBe(202);
    await waitFor(
      async () => receiver.events().some((e) => e.type === 'post.finished' && e.post?.text === 'From a webhook'),
      15_000,
    );

    // Failures: a bad API token, bad signatures, a platform that refuses its token.
    expect((await api('GET', '/v1/posts', undefined, 'hyn_SECRECYnotAToken0000000000000000')).status).toBe(401);
    expect((await api('GET', '/v1/posts', undefined, secrets.slackBotToken)).status).toBe(401);
    expect((await slackCommand('Forged to bluesky', 'not-the-signing-secret')).status).toBe(401);
    expect((await discordPost('Forged', ed25519().privateKey)).status).toBe(401);
    expect((await webhook(JSON.stringify({ text: 'Forged' }), 'hks_not-the-secret')).status).toBe(401);

    // Mastodon refuses its token while posts from the API, Slack and Discord go there: the
    // account stops working, and each way in hears about it.
    // (The worker pauses while the three are accepted, so that each reaches Mastodon.)
    await h.ctx.worker.stop();
    mastodon.revoked = true;
    const mastodonHealth = async () =>
      (await h.ctx.store.listAccounts(h.workspaceId)).find((a) => a.platform === 'mastodon')?.health;
    const refused = await api('POST', '/v1/posts', { text: 'Token revoked', targets: ['mastodon'] });
    expect(refused.status).toBe(202);
    await slackCommand('Token revoked, from Slack to mastodon');
    await discordPost('Token revoked, from Discord', keys.privateKey, 'interaction-token-revoked', 'mastodon');
    await waitFor(async () => (await h.ctx.store.listPosts(h.workspaceId, { limit: 100 })).length === 7, 15_000);
    await waitFor(async () => discord.threads().length === 2, 15_000);
    await h.ctx.worker.start();
    await waitFor(async () => (await mastodonHealth()) !== 'active', 15_000);
    await h.drain();
    const threadReplies = () => slack.messages(slackChannel).filter((m) => m.thread_ts).length;
    await waitFor(async () => threadReplies() >= 3 && discord.messages(discord.threads()[1]!.id).length >= 1, 15_000);
    await api('GET', `/v1/posts/${refused.json().id}`);
    // Now refused at the door (the account needs reconnecting): an ephemeral answer each.
    await slackCommand('After the revocation to mastodon');
    await discordPost('After the revocation', keys.privateKey, 'interaction-token-after', 'mastodon');
    await waitFor(
      async () => slack.ephemerals().length >= 1 && discord.ephemerals('interaction-token-after').length >= 1,
      15_000,
    );
    expect((await api('GET', '/v1/posts?limit=50')).text).toContain('revoked');

    // Slack and Discord refuse the bot token: their errors are logged.
    const logged = h.logs.length;
    slack.failNext('chat.postMessage', { error: 'invalid_auth' });
    await slackCommand('Slack refuses the bot token, to bluesky');
    discord.failNext('PATCH', /@original/, { status: 401, code: 0, message: '401: Unauthorized' });
    await discordPost('Discord refuses the bot token', keys.privateKey, 'interaction-token-refused', 'bluesky');
    await waitFor(async () => h.logs.slice(logged).filter((l) => Number(l.level) >= 40).length >= 2, 15_000);
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(h.logs.length).toBeGreaterThan(10);
  });

  it('no secret appears in a log line, an HTTP answer, a chat message or a callback', async () => {
    const places = {
      logs: h.logs.map((l) => JSON.stringify(l)),
      answers,
      // What hayon sent to Slack and Discord: message texts and blocks (the bot token travels as a header).
      slack: slack.calls.map((c) => JSON.stringify({ method: c.method, args: { ...c.args, token: undefined } })),
      discord: discord.calls.map((c) => JSON.stringify(c)),
      callbacks: receiver.received.map((r) => JSON.stringify(r)),
    };
    const known: Record<string, string | Buffer> = {
      ...secrets,
      apiToken: h.token,
      hookSecret: hook.secret,
      callbackSecret: h.ctx.signing.workspaceSecret(h.workspaceId),
    };
    for (const [name, secret] of Object.entries(known)) {
      for (const form of forms(secret)) {
        for (const [place, lines] of Object.entries(places)) {
          const hits = lines.filter((line) => line.includes(form));
          if (hits.length) found[`${name} in ${place}`] = hits.map((l) => l.slice(0, 300));
        }
      }
    }
    expect(found).toEqual({});
    // The search looked at real traffic.
    expect(places.slack.length).toBeGreaterThan(3);
    expect(places.discord.length).toBeGreaterThan(3);
    expect(answers.some((a) => a.includes('401'))).toBe(true);
  });
});
