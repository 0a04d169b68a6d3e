import { HayonError } from '../../../core/errors.js';
import { deleteResultLines } from '../../../notify/delete-results.js';
import { postMessage } from '../../../notify/discord/message.js';
import { messageFor } from '../../../core/next-step.js';
import { resultThreadsOf } from '../../../services/posts/results-channels.js';
import { type DiscordDeps, ephemeralFlag, type Handled, type Interaction, reply } from '../context.js';

/**
 * Delete, in two steps: the post's Delete button answers privately with what it will do and a
 * second button (`hayon:delete-confirm:<id>`); that one says "Deleting…" at once, then deletes,
 * edits the private answer into what happened where (and where to delete by hand), and edits the
 * post's own message.
 */
export function deleteButton(
  deps: DiscordDeps,
  i: Interaction,
  step: 'delete' | 'delete-confirm',
  postId: string,
  actor: { kind: 'discord'; id?: string | undefined; name?: string },
): Handled {
  if (step === 'delete') {
    const ask = reply(
      'Delete this post? It is deleted from every platform whose API allows it, and what still waits is cancelled. Instagram posts have to be deleted in the app.',
    );
    const components = [
      { type: 1, components: [{ type: 2, style: 4, label: 'Delete it', custom_id: `hayon:delete-confirm:${postId}` }] },
    ];
    return { response: { ...ask, data: { ...(ask.data as object), components } } };
  }
  return {
    response: { type: 7, data: { content: 'Deleting…', components: [], flags: ephemeralFlag } },
    after: async () => {
      let content: string;
      try {
        const { value, results } = await deps.posts.delete(deps.workspaceId, postId, actor);
        const accounts = await deps.accounts.list(deps.workspaceId);
        content = deleteResultLines(results, accounts).join('\n');
        // The post's message: where it was posted from Discord, or in the workspace's results channel.
        const origin = value.post.origin;
        const message =
          origin.kind === 'discord'
            ? origin.messageId && { channelId: origin.channelId, messageId: origin.messageId }
            : resultThreadsOf(origin)?.discord;
        if (message) await deps.api.edit(message.channelId, message.messageId, postMessage(value, accounts));
      } catch (e) {
        content = `⚠️ ${messageFor(HayonError.from(e), 'discord')}`;
      }
      await deps.api.editOriginal(i.token, { content, components: [], allowed_mentions: { parse: [] } });
    },
  };
}
