import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { type Answer, type TestHayon, waitFor } from '../harness.js';
import { alice, channel, type SlackRig, sendSigned, startSlackRig, stopSlackRig } from './slack-setup.js';

// The Retry and Edit buttons in Slack, over HTTP: signed requests into /slack/events, a fake
// Slack Web API recording what hayon sends, FakePlatforms behind. Each test asserts what a Slack
// user sees: the buttons, the thread, the form, the edited message, the private answers.
describe('Slack Retry and Edit (HTTP mode, FakeSlackApi)', () => {
  let rig: SlackRig;
  let slack: FakeSlackApi;
  let h: TestHayon;
  let bluesky: FakePlatform;
  let tumblr: FakePlatform;

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    tumblr = new FakePlatform('tumblr', { maxLength: 4096, threads: false });
    rig = await startSlackRig({
      platforms: { bluesky, tumblr },
      retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 50, jitter: 0 },
    });
    ({ slack, h } = rig);
    await h.ctx.accounts.add(h.workspaceId, 'tumblr', { identifier: 'alice', appPassword: 'pw' });
  });
  afterEach(() => stopSlackRig(rig));

  const send = (body: string, contentType: string) => sendSigned(h, body, contentType);
  const command = (text: string) =>
    send(
      new URLSearchParams({
        team_id: slack.teamId,
        channel_id: channel,
        user_id: alice,
        user_name: 'alice',
        command: '/post',
        text,
        response_url: `${slack.origin}/response`,
        trigger_id: `trigger-${Date.now()}`,
      }).toString(),
      'application/x-www-form-urlencoded',
    );
  const interaction = (payload: Record<string, unknown>) =>
    send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  const click = (actionId: string, postId: string, messageTs?: string) =>
    interaction({
      type: 'block_actions',
      team: { id: slack.teamId },
      user: { id: alice, username: 'alice' },
      channel: { id: channel },
      container: { type: 'message', channel_id: channel, message_ts: messageTs },
      trigger_id: 'trigger-button',
      actions: [{ action_id: actionId, block_id: 'post_actions', value: postId, type: 'button' }],
    });
  const topLevel = () => slack.messages(channel).filter((m) => !m.thread_ts);
  const posts = async (): Promise<Answer[]> => (await (await h.api('GET', '/v1/posts')).json()).posts;
  const text = (blocks: unknown) => JSON.stringify(blocks) ?? '';

  it('a failure reply carries a Retry button; pressing it publishes what failed and the thread says so', async () => {
    tumblr.failNext({ kind: 'invalid', status: 400, message: 'Tumblr refused the post: spam filter' });
    await command('Two places to bluesky,tumblr');
    await waitFor(async () => slack.replies(channel, topLevel()[0]?.ts ?? '').length === 2, 15_000);
    const parent = topLevel()[0];
    const failure = slack.replies(channel, parent?.ts ?? '').find((m) => m.text?.startsWith(':x: Tumblr'));
    expect(failure?.text).toContain('spam filter');
    expect(text(failure?.blocks)).toContain('"action_id":"hayon_retry"');
    expect(text(failure?.blocks)).toContain('"text":"Retry"');
    await waitFor(async () => text(topLevel()[0]?.blocks).includes('hayon_retry'));
    const [post] = await posts();

    expect((await click('hayon_retry', post.id, parent?.ts)).status).toBe(200);
    await waitFor(async () => tumblr.posts.size === 1, 15_000);
    await waitFor(async () =>
      slack.replies(channel, parent?.ts ?? '').some((m) => m.text?.startsWith(':white_check_mark: Tumblr')),
    );
    await waitFor(async () => text(topLevel()[0]?.blocks).includes('*Published to all 2*'));
    expect(text(topLevel()[0]?.blocks)).not.toContain('hayon_retry');
    const retrying = `Retrying what failed of \`${post.id}\`; the results follow in its thread.`;
    await waitFor(async () => slack.ephemerals().some((e) => e.text === retrying));
    expect(bluesky.posts.size).toBe(1);

    // Nothing failed any more: a second press says so privately.
    await click('hayon_retry', post.id, parent?.ts);
    await waitFor(async () => slack.ephemerals().some((e) => e.text?.includes('Nothing to retry')));
  });

  it('Edit opens the form filled in; saving changes the text and time and edits the message', async () => {
    await command('Draft in 2 hours to bluesky');
    await waitFor(async () => text(topLevel()[0]?.blocks).includes('hayon_edit'));
    const [post] = await posts();
    await click('hayon_edit', post.id, topLevel()[0]?.ts);
    await waitFor(async () => slack.views().length === 1);
    const view = slack.views()[0]?.view as Answer;
    expect(view.callback_id).toBe('hayon_edit_modal');
    expect(view.title.text).toBe('Edit post');
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('"initial_value":"Draft"');
    expect(shown).toMatch(/"initial_value":"\d{4}-\d{2}-\d{2} \d{2}:\d{2} Europe\/Berlin"/);
    const blueskyId = (await h.ctx.accounts.list(h.workspaceId)).find((a) => a.platform === 'bluesky')?.id;
    expect(shown).toContain(
      `"initial_options":[{"text":{"type":"plain_text","text":"Bluesky alice.test","emoji":true},"value":"${blueskyId}"}]`,
    );

    const submit = (values: Record<string, unknown>) =>
      interaction({
        type: 'view_submission',
        team: { id: slack.teamId },
        user: { id: alice, name: 'alice' },
        view: {
          id: 'V0EDIT',
          callback_id: 'hayon_edit_modal',
          private_metadata: view.private_metadata,
          state: { values },
        },
      });
    const res = await submit({
      text: { text: { type: 'plain_text_input', value: 'Final words' } },
      targets: { targets: { type: 'multi_static_select', selected_options: [{ value: blueskyId }] } },
      when: { hayon_when: { type: 'plain_text_input', value: 'tomorrow 10am' } },
      link_preview: { link_preview: { type: 'checkboxes', selected_options: [{ value: 'on' }] } },
      override_bluesky: { text: { type: 'plain_text_input', value: 'Final words, for the sky' } },
    });
    expect(res.status).toBe(200);
    await waitFor(async () => slack.ephemerals().some((e) => e.text?.startsWith(`Saved \`${post.id}\``)));
    const after = (await posts())[0];
    expect(after.text).toBe('Final words');
    expect(after.scheduledAtLocal).toMatch(/10:00 CES?T \(Europe\/Berlin\)/);
    expect((await h.ctx.posts.get(h.workspaceId, post.id)).post.overrides).toEqual({
      bluesky: { text: 'Final words, for the sky' },
    });
    await waitFor(async () => text(topLevel()[0]?.blocks).includes('Final words'));
    expect(text(topLevel()[0]?.blocks)).toContain('10:00');
  });

  it('Edit on a post that has gone out answers privately and opens no form', async () => {
    await command('Shipping now to bluesky');
    await waitFor(async () => bluesky.posts.size === 1);
    const [post] = await posts();
    await click('hayon_edit', post.id, topLevel()[0]?.ts);
    await waitFor(async () => slack.ephemerals().length === 1);
    expect(slack.ephemerals()[0]?.text).toBe(
      'This post can no longer be edited: it has started publishing. Make a new one with /post.',
    );
    expect(slack.views()).toEqual([]);
  });
});
