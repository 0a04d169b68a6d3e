import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { type TestHayon, waitFor } from '../harness.js';
import { alice, channel, type SlackRig, sendSigned, startSlackRig, stopSlackRig } from './slack-setup.js';

// The Delete button of a post's Slack message, end to end over HTTP against FakeSlackApi:
// Bluesky can delete, "Instagram" cannot (no `remove`, as its API has none).
describe('Slack: the Delete button (HTTP mode, FakeSlackApi)', () => {
  let rig: SlackRig;
  let slack: FakeSlackApi;
  let h: TestHayon;
  let bluesky: FakePlatform;
  let instagram: FakePlatform;

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    instagram = new FakePlatform('instagram', { maxLength: 2200, canDelete: false });
    rig = await startSlackRig({ platforms: { bluesky, instagram } });
    ({ slack, h } = rig);
    await h.ctx.accounts.add(h.workspaceId, 'instagram', { identifier: 'alice.gram', appPassword: 'pw' });
  });
  afterEach(() => stopSlackRig(rig));

  const send = (body: string) => sendSigned(h, body, 'application/x-www-form-urlencoded');
  const command = (text: string) =>
    send(
      new URLSearchParams({
        team_id: slack.teamId,
        channel_id: channel,
        user_id: alice,
        user_name: 'alice',
        command: '/post',
        text,
        api_app_id: 'A0HAYON',
        response_url: `${slack.origin}/response`,
        trigger_id: `trigger-${Date.now()}`,
      }).toString(),
    );
  const topLevel = () => slack.messages(channel).filter((m) => !m.thread_ts);
  const blocksText = () => JSON.stringify(topLevel()[0]?.blocks) ?? '';
  const clickDelete = (postId: string) =>
    send(
      new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          team: { id: slack.teamId },
          user: { id: alice },
          channel: { id: channel },
          container: { type: 'message', channel_id: channel, message_ts: topLevel()[0]?.ts },
          message: { ts: topLevel()[0]?.ts },
          trigger_id: 'trigger-button',
          actions: [{ action_id: 'hayon_delete', block_id: 'delete_actions', value: postId, type: 'button' }],
        }),
      }).toString(),
    );

  it('a published post gets a Delete button behind a confirm; it deletes, edits the message, and says where to delete by hand', async () => {
    await command('Shipping now to bluesky,instagram');
    await waitFor(async () => blocksText().includes('*Published to all 2*'));
    const actions = ((topLevel()[0]?.blocks ?? []) as { block_id?: string; elements?: unknown[] }[]).find(
      (b) => b.block_id === 'delete_actions',
    );
    expect(actions?.elements).toEqual([
      expect.objectContaining({
        action_id: 'hayon_delete',
        style: 'danger',
        text: expect.objectContaining({ text: 'Delete' }),
        confirm: expect.objectContaining({
          title: expect.objectContaining({ text: 'Delete this post?' }),
          confirm: expect.objectContaining({ text: 'Delete it' }),
          deny: expect.objectContaining({ text: 'Keep it' }),
        }),
      }),
    ]);
    const [post] = (await (await h.api('GET', '/v1/posts')).json()).posts;

    expect((await clickDelete(post.id)).status).toBe(200);
    await waitFor(async () => slack.ephemerals().length === 1);
    const igUrl = `https://instagram.example/p/${post.deliveries.find((d: { platform: string }) => d.platform === 'instagram').id}`;
    expect(slack.ephemerals()[0]?.text).toBe(
      [
        'Deleted from Bluesky alice.test.',
        `Instagram alice.gram: Instagram's API cannot delete a post: delete it in the Instagram app (${igUrl}).`,
      ].join('\n'),
    );
    await waitFor(async () => blocksText().includes('*1/2 published, 1 deleted*'));
    expect(blocksText()).toContain(':wastebasket: Bluesky alice.test');
    expect(bluesky.posts.size).toBe(0);

    // Pressed again: what could be deleted is gone; the answer says so and names what is left.
    await clickDelete(post.id);
    await waitFor(async () => slack.ephemerals().length === 2);
    expect(slack.ephemerals()[1]?.text).toContain('This post was already deleted: nothing changed.');
    expect(slack.ephemerals()[1]?.text).toContain('Instagram (alice.gram) cannot be deleted through its API');
  });

  it('a post still scheduled has no Delete button (Cancel is the way)', async () => {
    await command('Later in 2 hours to bluesky');
    await waitFor(async () => blocksText().includes('Scheduled for'));
    expect(blocksText()).toContain('hayon_cancel');
    expect(blocksText()).not.toContain('hayon_delete');
  });
});
