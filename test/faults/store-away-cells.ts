import { generateKeyPairSync, sign } from 'node:crypto';
import { expect } from 'vitest';
import { signSlackRequest } from '../../src/bots/slack/verify.js';
import { signHayon } from '../../src/core/hooks/signature.js';
import type { Store } from '../../src/store/store.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

/** A way to take the store away and bring it back (a held lock, a full disk, a cut connection). */
export interface StoreFault {
  /** How hayon names this fault to the user ("the database is busy", "… is full", "… not answering"). */
  says: RegExp;
  takeAway(): Promise<void>;
  bringBack(): Promise<void>;
}

/** hayon with Slack, Discord and a Bluesky account, on the store under test. */
export interface Rig {
  h: TestHayon;
  slack: FakeSlackApi;
  discord: FakeDiscordApi;
  bluesky: FakePlatform;
  stop(): Promise<void>;
}

const signingSecret = 'slack-signing-secret-for-store-away';
const slackChannel = 'C0STORE';
const alice = 'U0ALICE';
const guild = '1300000000000000001';
const discordChannel = '1300000000000000002';
const member = { user: { id: '1300000000000000003', username: 'alice' }, roles: [], permissions: String(1 << 5) };

/** What every surface says when the store is away (its words for Slack and Discord too). */
export const awaySentence = /hayon cannot save posts right now: .*database.*\. Try again in a minute\./;

export async function startRig(store?: Store): Promise<Rig> {
  const slack = new FakeSlackApi();
  await slack.start();
  slack.addUser(alice, { tz: 'UTC', name: 'alice' });
  const discord = new FakeDiscordApi();
  await discord.start();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
  const h = await startHayon({
    ...(store ? { store } : {}),
    worker: false,
    env: {
      slackBotToken: slack.botToken,
      slackSigningSecret: signingSecret,
      slackApiUrl: slack.apiUrl,
      discordToken: discord.botToken,
      discordAppId: discord.applicationId,
      discordPublicKey: der.subarray(der.length - 32).toString('hex'),
      discordApiUrl: discord.apiUrl,
    },
    platforms: { bluesky },
  });
  await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  discordKey = privateKey;
  return {
    h,
    slack,
    discord,
    bluesky,
    async stop() {
      await h.stop();
      await slack.stop();
      await discord.stop();
    },
  };
}

let discordKey: ReturnType<typeof generateKeyPairSync>['privateKey'];
let n = 0;

const postTexts = async (h: TestHayon): Promise<string[]> =>
  ((await (await h.api('GET', '/v1/posts')).json()).posts as { text: string }[]).map((p) => p.text);

/** Runs `send` while the store is away and returns its answer with how long it took. */
async function timed<T>(send: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await send();
  return { value, ms: Date.now() - start };
}

/** HTTP API: 503 with Retry-After and a body naming the store, /readyz 503; the same request later is one post. */
export async function apiCell(rig: Rig, fault: StoreFault): Promise<void> {
  const { h } = rig;
  const body = { text: `Store away ${++n}`, targets: ['bluesky'] };
  const key = { 'idempotency-key': `store-away-${n}` };
  await fault.takeAway();
  const { value: res, ms } = await timed(() => h.api('POST', '/v1/posts', body, key));
  expect(res.status).toBe(503);
  expect(ms).toBeLessThan(8000);
  expect(res.headers.get('retry-after')).toBe('30');
  const raw = await res.text();
  // What the driver said (its error names, the server's address, the URL's password) stays in the log.
  expect(raw).not.toMatch(/SQLITE|Mongo|ECONN|127\.0\.0\.1|docdb/i);
  const answer = JSON.parse(raw);
  expect(answer.error.code).toBe('store_unavailable');
  expect(answer.error.message).toMatch(awaySentence);
  expect(answer.error.message).toMatch(fault.says);
  const ready = await h.request('/readyz');
  expect(ready.status).toBe(503);
  expect((await ready.json()).error.code).toBe('store_unavailable');
  await fault.bringBack();
  await waitFor(async () => (await h.request('/readyz')).status === 200, 20_000);
  expect(await postTexts(h)).not.toContain(body.text);
  const first = await h.api('POST', '/v1/posts', body, key);
  expect(first.status).toBe(202);
  const again = await h.api('POST', '/v1/posts', body, key);
  expect(again.status).toBe(200);
  expect((await again.json()).id).toBe((await first.json()).id);
  expect((await postTexts(h)).filter((t) => t === body.text)).toHaveLength(1);
}

/** Slack `/post`: an ephemeral saying hayon cannot save posts now, no message left; later it posts. */
export async function slackCell(rig: Rig, fault: StoreFault): Promise<void> {
  const { h, slack } = rig;
  const text = `Slack while away ${++n}`;
  const slash = () => {
    const form = new URLSearchParams({
      team_id: slack.teamId,
      channel_id: slackChannel,
      user_id: alice,
      user_name: 'alice',
      command: '/post',
      text: `${text} to bluesky`,
      response_url: `${slack.origin}/response`,
      trigger_id: `trigger-${n}-${Date.now()}`,
    }).toString();
    return h.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(signingSecret, form, Math.floor(Date.now() / 1000)),
      },
      body: form,
    });
  };
  const before = slack.ephemerals().length;
  await fault.takeAway();
  expect((await slash()).status).toBe(200);
  await waitFor(async () => slack.ephemerals().length > before, 20_000);
  const said = slack.ephemerals().at(-1);
  expect(said).toMatchObject({ channel: slackChannel, user: alice });
  expect(said?.text).toMatch(awaySentence);
  expect(said?.text).toMatch(fault.says);
  expect(slack.messages(slackChannel).filter((m) => !m.thread_ts && JSON.stringify(m).includes(text))).toEqual([]);
  await fault.bringBack();
  await waitFor(async () => (await h.request('/readyz')).status === 200, 20_000);
  expect(await postTexts(h)).not.toContain(text);
  await slash();
  await waitFor(async () => (await postTexts(h)).includes(text), 20_000);
}

/** Discord `/post`: an ephemeral follow-up saying hayon cannot save posts now; later it posts. */
export async function discordCell(rig: Rig, fault: StoreFault): Promise<void> {
  const { h, discord } = rig;
  const text = `Discord while away ${++n}`;
  const send = async () => {
    const token = `interaction-token-store-away-${++n}`;
    discord.addInteraction(token, discordChannel, { answeredOverHttp: true });
    const payload = {
      id: `1400000000000000${n}`,
      application_id: discord.applicationId,
      type: 2,
      token,
      version: 1,
      guild_id: guild,
      channel_id: discordChannel,
      member,
      data: {
        id: '1',
        name: 'post',
        type: 1,
        options: [
          { name: 'text', type: 3, value: text },
          { name: 'targets', type: 3, value: 'bluesky' },
        ],
      },
    };
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await h.request('/discord/interactions', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': timestamp,
        'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), discordKey).toString('hex'),
      },
      body,
    });
    return { token, answer: await res.json() };
  };
  await fault.takeAway();
  const { token, answer } = await send();
  // Refused before deferring (a private reply), or after (a private follow-up, the deferral deleted).
  let said: string | undefined;
  if (answer.type === 4) {
    expect(answer.data.flags).toBe(64);
    said = answer.data.content;
  } else {
    await waitFor(async () => discord.ephemerals(token).length === 1, 20_000);
    said = discord.ephemerals(token)[0]?.content;
  }
  expect(said).toMatch(awaySentence);
  expect(said).toMatch(fault.says);
  await fault.bringBack();
  await waitFor(async () => (await h.request('/readyz')).status === 200, 20_000);
  expect(await postTexts(h)).not.toContain(text);
  await send();
  await waitFor(async () => (await postTexts(h)).includes(text), 20_000);
}

/** Webhook: 503 with Retry-After; the sender's retry with the same event id makes one post. */
export async function webhookCell(rig: Rig, fault: StoreFault): Promise<void> {
  const { h } = rig;
  const { hook, secret } = await h.ctx.hooks.create(h.workspaceId, {
    source: 'generic',
    template: '{{text}}',
    targets: ['bluesky'],
  });
  const text = `Webhook while away ${++n}`;
  const body = JSON.stringify({ text });
  const deliver = () =>
    h.request(`/v1/hooks/${hook.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hayon-signature': signHayon(secret, body, Math.floor(Date.now() / 1000)),
        'idempotency-key': `evt-${n}`,
      },
      body,
    });
  await fault.takeAway();
  const { value: refused, ms } = await timed(deliver);
  expect(refused.status).toBe(503);
  expect(ms).toBeLessThan(8000);
  expect(refused.headers.get('retry-after')).toBe('30');
  const answer = await refused.json();
  expect(answer.error.code).toBe('store_unavailable');
  expect(answer.error.message).toMatch(awaySentence);
  expect(answer.error.message).toMatch(fault.says);
  await fault.bringBack();
  await waitFor(async () => (await h.request('/readyz')).status === 200, 20_000);
  const retried = await deliver();
  expect(retried.status).toBe(202);
  const again = await deliver();
  expect(again.status).toBe(200);
  expect((await again.json()).id).toBe((await retried.json()).id);
  expect((await postTexts(h)).filter((t) => t === text)).toHaveLength(1);
}
