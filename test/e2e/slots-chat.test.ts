import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatInZone } from '../../src/core/schedule.js';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';
import { slashPost } from './slack-command.js';

const signingSecret = 'slack-signing-secret-for-tests';
const slackChannel = 'C0QUEUE';
const guild = '1300000000000000001';
const discordChannel = '1300000000000000002';
const member = { user: { id: '1300000000000000003', username: 'alice' }, roles: [], permissions: String(1 << 5) };
const hour = 3_600_000;

/** The first slot of a daily 06:00/18:00 UTC schedule after now. */
function firstSlot(now = Date.now()): number {
  const midnight = Math.floor(now / (24 * hour)) * 24 * hour;
  return [6, 18, 30].map((h) => midnight + h * hour).find((t) => t > now)!;
}

// "next slot" from the chats (#19, item 6): Slack's /post text and Discord's when option take the
// workspace's next free slot, and the message says the time it got.
describe('next slot from Slack and Discord', () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let h: TestHayon;
  const keys = generateKeyPairSync('ed25519');
  const der = keys.publicKey.export({ format: 'der', type: 'spki' });

  beforeEach(async () => {
    slack = new FakeSlackApi();
    await slack.start();
    slack.addUser('U0ALICE', { tz: 'Europe/Berlin', name: 'alice' });
    discord = new FakeDiscordApi();
    await discord.start();
    h = await startHayon({
      env: {
        slackBotToken: slack.botToken,
        slackSigningSecret: signingSecret,
        slackApiUrl: slack.apiUrl,
        discordToken: discord.botToken,
        discordAppId: discord.applicationId,
        discordPublicKey: der.subarray(der.length - 32).toString('hex'),
        discordApiUrl: discord.apiUrl,
      },
      platforms: { bluesky: new FakePlatform('bluesky', { maxLength: 300 }) },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterEach(async () => {
    await h.stop();
    await discord.stop();
    await slack.stop();
  });

  const slash = (text: string) => slashPost(h, slack, { signingSecret, channel: slackChannel, user: 'U0ALICE', text });
  const posts = async () => (await (await h.api('GET', '/v1/posts')).json()).posts;

  it('Slack: /post … next slot says how to set slots while there are none, then takes the slot', async () => {
    await slash('Queued for later next slot to bluesky');
    await waitFor(async () => slack.ephemerals().length === 1);
    expect(slack.ephemerals()[0]?.text).toContain('hayon workspace set --slots');
    expect(await posts()).toEqual([]);

    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'mon-sun 06:00,18:00', timezone: 'UTC' });
    const slot = firstSlot();
    await slash('Queued for later next slot to bluesky');
    await waitFor(async () => JSON.stringify(slack.messages(slackChannel)[0]?.blocks ?? '').includes('Scheduled for'));
    // The Slack user's zone is Berlin: the message shows the slot in it.
    expect(JSON.stringify(slack.messages(slackChannel)[0]?.blocks)).toContain(
      `Scheduled for *${formatInZone(slot, 'Europe/Berlin')}*`,
    );
    const [stored] = await posts();
    expect(stored.text).toBe('Queued for later');
    expect(stored.scheduledAt).toBe(new Date(slot).toISOString());
  });

  it('Discord: the when option "next slot" takes the slot, and the next post the one after', async () => {
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'mon-sun 06:00,18:00', timezone: 'UTC' });
    const slot = firstSlot();
    for (const n of [1, 2]) {
      const token = `interaction-token-${n}`;
      discord.addInteraction(token, discordChannel, { answeredOverHttp: true });
      const body = JSON.stringify({
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
            { name: 'text', type: 3, value: `Queued ${n}` },
            { name: 'when', type: 3, value: 'next slot' },
            { name: 'targets', type: 3, value: 'bluesky' },
          ],
        },
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign(null, Buffer.from(timestamp + body), keys.privateKey).toString('hex');
      const res = await h.request('/discord/interactions', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature-timestamp': timestamp,
          'x-signature-ed25519': signature,
        },
        body,
      });
      expect(res.status).toBe(200);
      await waitFor(async () => (discord.original(token)?.content ?? '').includes('Scheduled for'));
    }
    const times = (await posts()).map((p: { scheduledAt: string }) => p.scheduledAt).sort();
    expect(times).toEqual([new Date(slot).toISOString(), new Date(slot + 12 * hour).toISOString()]);
    expect(discord.original('interaction-token-1')?.content).toContain(`<t:${Math.floor(slot / 1000)}:F>`);
  });
});
