import { signSlackRequest } from '../../src/bots/slack/verify.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import type { TestHayon } from '../harness.js';

/** A `/post` slash command as Slack sends it to hayon's `/slack/events`, signed with `signingSecret`. */
export function slashPost(
  h: TestHayon,
  slack: FakeSlackApi,
  options: { signingSecret: string; channel: string; user: string; text: string },
) {
  const body = new URLSearchParams({
    team_id: slack.teamId,
    channel_id: options.channel,
    user_id: options.user,
    user_name: options.user,
    command: '/post',
    text: options.text,
    response_url: `${slack.origin}/response`,
    trigger_id: `trigger-${Date.now()}`,
  }).toString();
  return h.request('/slack/events', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(options.signingSecret, body, Math.floor(Date.now() / 1000)),
    },
    body,
  });
}
