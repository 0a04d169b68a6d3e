import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { type Answer, type TestHayon, waitFor } from '../harness.js';
import {
  channel,
  type DiscordRig,
  newInteraction,
  signedHeaders,
  startDiscordRig,
  stopDiscordRig,
} from './discord-setup.js';

// The Retry and Edit buttons in Discord, over the HTTP interactions endpoint: signed requests, a
// fake Discord REST API recording the reply, its edits and the thread, FakePlatforms behind.
describe('Discord Retry and Edit (HTTP interactions, FakeDiscordApi)', () => {
  let rig: DiscordRig;
  let discord: FakeDiscordApi;
  let h: TestHayon;
  let bluesky: FakePlatform;

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    rig = await startDiscordRig({
      platforms: { bluesky },
      retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    });
    ({ discord, h } = rig);
  });
  afterEach(() => stopDiscordRig(rig));

  const send = async (interaction: Record<string, unknown>): Promise<Answer> => {
    const body = JSON.stringify(interaction);
    const res = await h.request('/discord/interactions', {
      method: 'POST',
      headers: signedHeaders(body, rig.keys.privateKey),
      body,
    });
    return res.json();
  };
  const interaction = (type: number, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    newInteraction(rig, type, data, undefined, extra);
  const slashPost = (text: string, when?: string) =>
    interaction(2, {
      id: '1',
      name: 'post',
      type: 1,
      options: [{ name: 'text', type: 3, value: text }, ...(when ? [{ name: 'when', type: 3, value: when }] : [])],
    });
  const posts = async (): Promise<Answer[]> => (await (await h.api('GET', '/v1/posts')).json()).posts;

  it('a failure reply in the thread carries a Retry button; pressing it publishes the post and edits the reply', async () => {
    bluesky.failNext({ kind: 'invalid', status: 400, message: 'Bluesky refused it' });
    const made = slashPost('Release notes');
    await send(made.payload);
    await waitFor(async () => discord.threads().length === 1);
    const thread = discord.threads()[0]?.id ?? '';
    await waitFor(async () => discord.messages(thread).some((m) => m.content?.startsWith('❌')));
    const failure = discord.messages(thread).find((m) => m.content?.startsWith('❌'));
    expect(failure?.content).toContain('Bluesky refused it');
    expect(JSON.stringify(failure?.components)).toContain('"custom_id":"hayon:retry:');
    const [post] = await posts();
    await waitFor(async () =>
      (JSON.stringify(discord.original(made.token)?.components) ?? '').includes('hayon:retry:'),
    );

    const click = interaction(
      3,
      { custom_id: `hayon:retry:${post.id}`, component_type: 2 },
      {
        message: { id: discord.original(made.token)?.id, channel_id: channel },
      },
    );
    const res = await send(click.payload);
    expect(res.type).toBe(7);
    await waitFor(async () => bluesky.posts.size === 1);
    await waitFor(async () => discord.messages(thread).some((m) => m.content?.startsWith('✅')));
    await waitFor(async () => (discord.original(made.token)?.content ?? '').startsWith('**Published**'));
    expect(JSON.stringify(discord.original(made.token)?.components)).not.toContain('hayon:retry:');

    // From the failure reply in the thread (not the post's own message), a second press is refused privately.
    const again = interaction(
      3,
      { custom_id: `hayon:retry:${post.id}`, component_type: 2 },
      {
        message: { id: failure?.id, channel_id: thread },
      },
    );
    const refused = await send(again.payload);
    expect(refused.data.flags).toBe(64);
    expect(refused.data.content).toContain('Nothing to retry');
    expect(refused.data.content).toContain('Bluesky (alice.test) is published');
  });

  it('Edit opens a modal filled in; submitting it changes the text and time and edits the reply', async () => {
    const made = slashPost('Draft', 'in 2 hours');
    await send(made.payload);
    await waitFor(async () => (JSON.stringify(discord.original(made.token)?.components) ?? '').includes('hayon:edit:'));
    const [post] = await posts();
    const messageId = discord.original(made.token)?.id;
    const click = interaction(
      3,
      { custom_id: `hayon:edit:${post.id}`, component_type: 2 },
      {
        message: { id: messageId, channel_id: channel },
      },
    );
    const modal = await send(click.payload);
    expect(modal.type).toBe(9);
    expect(modal.data.title).toBe('Edit post');
    const inputs = modal.data.components.map((row: Answer) => row.components[0]);
    expect(inputs.map((c: Answer) => [c.custom_id, c.value])).toEqual([
      ['text', 'Draft'],
      ['when', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/)],
      ['targets', 'bluesky:alice.test'],
    ]);

    const submit = interaction(
      5,
      {
        custom_id: modal.data.custom_id,
        components: [
          { type: 1, components: [{ type: 4, custom_id: 'text', value: 'Final words' }] },
          { type: 1, components: [{ type: 4, custom_id: 'when', value: 'in 5 hours' }] },
          { type: 1, components: [{ type: 4, custom_id: 'targets', value: inputs[2].value }] },
        ],
      },
      { message: { id: messageId, channel_id: channel } },
    );
    const saved = await send(submit.payload);
    expect(saved.type).toBe(7);
    expect(saved.data.content).toContain('Final words');
    const [after] = await posts();
    expect(after.text).toBe('Final words');
    expect(Date.parse(after.scheduledAt)).toBeGreaterThan(Date.now() + 4.9 * 3_600_000);

    // A time in the past is refused privately, naming what to do; nothing changes.
    const bad = interaction(5, {
      custom_id: modal.data.custom_id,
      components: [{ type: 1, components: [{ type: 4, custom_id: 'when', value: '2020-01-01 09:00' }] }],
    });
    const refused = await send(bad.payload);
    expect(refused.data.flags).toBe(64);
    expect(refused.data.content).toContain('in the past');
    expect((await posts())[0].text).toBe('Final words');
  });

  it('Edit on a post that has gone out answers privately', async () => {
    const made = slashPost('Out now');
    await send(made.payload);
    await waitFor(async () => bluesky.posts.size === 1);
    const [post] = await posts();
    const click = interaction(3, { custom_id: `hayon:edit:${post.id}`, component_type: 2 });
    const res = await send(click.payload);
    expect(res.data).toMatchObject({
      flags: 64,
      content: 'This post can no longer be edited: it has started publishing. Make a new one with /post.',
    });
  });
});
