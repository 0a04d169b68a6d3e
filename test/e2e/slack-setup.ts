import { signSlackRequest } from '../../src/bots/slack/verify.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { type StartOptions, startHayon, type TestHayon } from '../harness.js';

/** The signing secret, channel and user the Slack end-to-end tests act with. */
export const signingSecret = 'slack-signing-secret-for-tests';
export const channel = 'C0LAUNCH';
export const alice = 'U0ALICE';

export interface SlackRig {
  slack: FakeSlackApi;
  h: TestHayon;
}

/**
 * A fresh FakeSlackApi (its channel, ephemerals and views start empty) with alice in Berlin,
 * hayon started against it with `options`, and alice's Bluesky account added.
 */
export async function startSlackRig(options: Omit<StartOptions, 'env'>): Promise<SlackRig> {
  const slack = new FakeSlackApi();
  await slack.start();
  slack.addUser(alice, { tz: 'Europe/Berlin', name: 'alice' });
  const h = await startHayon({
    env: { slackBotToken: slack.botToken, slackSigningSecret: signingSecret, slackApiUrl: slack.apiUrl },
    ...options,
  });
  await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  return { slack, h };
}

export async function stopSlackRig(rig: SlackRig): Promise<void> {
  await rig.h.stop();
  await rig.slack.stop();
}

/** A signed request into `/slack/events` as Slack sends it. */
export function sendSigned(h: TestHayon, body: string, contentType: string, headers: Record<string, string> = {}) {
  return h.request('/slack/events', {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...signSlackRequest(signingSecret, body, Math.floor(Date.now() / 1000)),
      ...headers,
    },
    body,
  });
}
