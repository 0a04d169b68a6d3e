import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { type TestHayon, waitFor } from '../harness.js';
import {
  channel,
  type DiscordRig,
  newInteraction,
  signedHeaders,
  startDiscordRig,
  stopDiscordRig,
} from './discord-setup.js';

// The Delete button of a post's Discord reply, end to end over the HTTP interactions endpoint
// against FakeDiscordApi: a first press asks (a private answer with a second button), the second
// deletes. Bluesky can delete, "Instagram" cannot (no `remove`, as its API has none).
describe('Discord: the Delete button with its confirm step (HTTP interactions, FakeDiscordApi)', () => {
  let rig: DiscordRig;
  let discord: FakeDiscordApi;
  let h: TestHayon;
  let bluesky: FakePlatform;
  let instagram: FakePlatform;

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    instagram = new FakePlatform('instagram', { maxLength: 2200, canDelete: false });
    rig = await startDiscordRig({ platforms: { bluesky, instagram } });
    ({ discord, h } = rig);
    await h.ctx.accounts.add(h.workspaceId, 'instagram', { identifier: 'alice.gram', appPassword: 'pw' });
  });
  afterEach(() => stopDiscordRig(rig));

  const send = async (interaction: Record<string, unknown>) => {
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
  const click = (customId: string, messageId: string | undefined) =>
    interaction(3, { custom_id: customId, component_type: 2 }, { message: { id: messageId, channel_id: channel } });
  const buttons = (components: unknown) => JSON.stringify(components ?? []);

  it('asks first, then deletes, edits the reply and says where to delete by hand', async () => {
    const made = interaction(2, {
      id: '1',
      name: 'post',
      type: 1,
      options: [
        { name: 'text', type: 3, value: 'Shipping now' },
        { name: 'targets', type: 3, value: 'bluesky,instagram' },
      ],
    });
    await send(made.payload);
    await waitFor(async () => (discord.original(made.token)?.content ?? '').startsWith('**Published to all 2**'));
    const reply = discord.original(made.token);
    expect(buttons(reply?.components)).toContain('"label":"Delete"');
    const [post] = (await (await h.api('GET', '/v1/posts')).json()).posts;
    expect(buttons(reply?.components)).toContain(`hayon:delete:${post.id}`);

    // The first press deletes nothing: it asks, privately, with the button that does.
    const ask = await send(click(`hayon:delete:${post.id}`, reply?.id).payload);
    expect(ask.type).toBe(4);
    expect(ask.data.flags).toBe(64);
    expect(ask.data.content).toContain('Delete this post?');
    expect(ask.data.content).toContain('Instagram posts have to be deleted in the app');
    expect(buttons(ask.data.components)).toContain(`"custom_id":"hayon:delete-confirm:${post.id}"`);
    expect(bluesky.posts.size).toBe(1);

    const confirm = click(`hayon:delete-confirm:${post.id}`, 'ephemeral-ask');
    const answer = await send(confirm.payload);
    expect(answer).toMatchObject({ type: 7, data: { content: 'Deleting…', components: [] } });
    await waitFor(async () => (discord.original(confirm.token)?.content ?? '').startsWith('Deleted'));
    const igUrl = `https://instagram.example/p/${post.deliveries.find((d: { platform: string }) => d.platform === 'instagram').id}`;
    expect(discord.original(confirm.token)?.content).toBe(
      [
        'Deleted from Bluesky alice.test.',
        `Instagram alice.gram: Instagram's API cannot delete a post: delete it in the Instagram app (${igUrl}).`,
      ].join('\n'),
    );
    expect(bluesky.posts.size).toBe(0);
    await waitFor(async () => (discord.original(made.token)?.content ?? '').startsWith('**1/2 published, 1 deleted**'));
    expect(discord.original(made.token)?.content).toContain('🗑️ Bluesky alice.test');

    // Confirmed again (an old private answer): nothing changes, and the answer says why.
    const again = click(`hayon:delete-confirm:${post.id}`, 'ephemeral-ask');
    await send(again.payload);
    await waitFor(async () => (discord.original(again.token)?.content ?? '').includes('already deleted'));
    expect(discord.original(again.token)?.content).toContain('This post was already deleted: nothing changed.');
  });
});
