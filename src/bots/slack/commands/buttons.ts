import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../context.js';
import type { Actor } from '../../../core/audit.js';
import { deleteResultLines } from '../../../notify/delete-results.js';
import { escapeMrkdwn } from '../../../notify/slack/blocks.js';
import { actor, ephemeral, guarded, isEphemeral, refreshMessage, type SlackAuthor } from '../respond.js';

type ButtonArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;

/** The Slack user who pressed the button, for the audit log. */
const auditActor = (who: SlackAuthor): Actor => ({
  kind: 'slack',
  id: who.userId,
  ...(who.userName ? { name: who.userName } : {}),
});

/** Cancel: on the post's message or in `/hayon status`; the post's message is edited either way. */
export async function cancelButton(deps: SlackDeps, { ack, body, action, client }: ButtonArgs): Promise<void> {
  await ack();
  const who = actor(body);
  const postId = (action as { value?: string }).value ?? '';
  await guarded(deps, client, who, async () => {
    const value = await deps.posts.cancel(deps.workspaceId, postId, auditActor(who));
    await refreshMessage(deps, client, value);
    if (isEphemeral(body)) await ephemeral(client, who, `Cancelled \`${postId}\`.`);
  });
}

/** Post now: what is still scheduled goes out at once. */
export async function postNowButton(deps: SlackDeps, { ack, body, action, client }: ButtonArgs): Promise<void> {
  await ack();
  const who = actor(body);
  const postId = (action as { value?: string }).value ?? '';
  await guarded(deps, client, who, async () => {
    const value = await deps.posts.postNow(deps.workspaceId, postId, auditActor(who));
    await refreshMessage(deps, client, value);
  });
}

/** Delete (after Slack's confirm dialog): the post's message is edited, and the presser told what happened where. */
export async function deleteButton(deps: SlackDeps, { ack, body, action, client }: ButtonArgs): Promise<void> {
  await ack();
  const who = actor(body);
  const postId = (action as { value?: string }).value ?? '';
  await guarded(deps, client, who, async () => {
    const { value, results } = await deps.posts.delete(deps.workspaceId, postId, auditActor(who));
    await refreshMessage(deps, client, value);
    const lines = deleteResultLines(results, await deps.accounts.list(deps.workspaceId));
    await ephemeral(client, who, escapeMrkdwn(lines.join('\n')));
  });
}
