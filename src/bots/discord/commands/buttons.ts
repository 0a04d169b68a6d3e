import type { DiscordDeps, Handled, Interaction } from '../context.js';
import { mayPost, reply } from '../context.js';
import { postMessage } from '../../../notify/discord/message.js';
import { resultThreadsOf } from '../../../services/posts/results-channels.js';
import { deleteButton } from './delete-button.js';
import { editButton, retryButton } from './retry-edit.js';

export async function button(deps: DiscordDeps, i: Interaction): Promise<Handled> {
  const [, action, postId = ''] = (i.data?.custom_id ?? '').split(':');
  const refusal = await mayPost(deps, i);
  if (refusal) return { response: reply(refusal) };
  const user = i.member?.user;
  const actor = { kind: 'discord' as const, id: user?.id, ...(user?.username ? { name: user.username } : {}) };
  if (action === 'delete' || action === 'delete-confirm') return deleteButton(deps, i, action, postId, actor);
  if (action === 'retry') return retryButton(deps, i, postId, actor);
  if (action === 'edit') return editButton(deps, postId);
  const value =
    action === 'cancel'
      ? await deps.posts.cancel(deps.workspaceId, postId, actor)
      : action === 'now'
        ? await deps.posts.postNow(deps.workspaceId, postId, actor)
        : null;
  if (!value) return { response: reply('hayon does not know this button.') };
  const accounts = await deps.accounts.list(deps.workspaceId);
  const origin = value.post.origin;
  // The post's message: where it was posted from Discord, or in the workspace's results channel.
  const message =
    origin.kind === 'discord'
      ? origin.messageId
        ? { channelId: origin.channelId, messageId: origin.messageId }
        : undefined
      : resultThreadsOf(origin)?.discord;
  const onOwnMessage = Boolean(message) && message?.messageId === i.message?.id;
  if (onOwnMessage) return { response: { type: 7, data: postMessage(value, accounts) } };
  // A button of `/hayon status`: answer privately, and edit the post's own message.
  return {
    response: reply(`${action === 'cancel' ? 'Cancelled' : 'Publishing'} \`${postId}\`.`),
    after: async () => {
      if (message) await deps.api.edit(message.channelId, message.messageId, postMessage(value, accounts));
    },
  };
}
