import type { Account, PostWithDeliveries } from '../../core/post.js';
import type { TargetMeasure } from '../../services/posts/posts-service.js';
import { somethingPublished, stillScheduled, summaryLine, targetName } from '../post-summary.js';
import type { DiscordBody } from './discord-api.js';

/** The reply as the post progresses; Post now and Cancel while something is still scheduled, Delete once something is out. */
export function postMessage(
  value: PostWithDeliveries,
  accounts: readonly Account[],
  measures: readonly TargetMeasure[] = [],
): DiscordBody {
  const { post } = value;
  const status = summaryLine(value, accounts);
  const when = `<t:${Math.floor(post.scheduledAt / 1000)}:F>`;
  const headline = status === 'Scheduled' ? `**Scheduled for ${when}** (${post.timezone})` : `**${status}**`;
  const lines = value.deliveries.map((d) => {
    const m = measures.find((x) => x.deliveryId === d.id);
    const count = m?.count !== undefined && m.max !== undefined ? ` · ${m.count}/${m.max}` : '';
    const thread = m?.parts ? ` · thread of ${m.parts}` : '';
    const link = d.result?.url ? ` · <${d.result.url}>` : '';
    return `${stateIcon(d.state)} ${targetName(d, accounts)}${count}${thread}${link}`;
  });
  const quoted = post.content.text
    .slice(0, 1500)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  const media = post.content.media.length ? `\n${post.content.media.length} attachment(s)` : '';
  return {
    content: `${headline}\n${post.content.text ? `${quoted}\n` : ''}${lines.join('\n')}${media}\n\`${post.id}\``,
    allowed_mentions: { parse: [] },
    components: [
      ...(stillScheduled(value)
        ? [
            {
              type: 1,
              components: [
                { type: 2, style: 1, label: 'Post now', custom_id: `hayon:now:${post.id}` },
                { type: 2, style: 4, label: 'Cancel', custom_id: `hayon:cancel:${post.id}` },
                { type: 2, style: 2, label: 'Edit', custom_id: `hayon:edit:${post.id}` },
              ],
            },
          ]
        : []),
      ...(value.deliveries.some((d) => d.state === 'failed') ? [retryRow(post.id)] : []),
      // Delete asks first: a second, private button (hayon:delete-confirm) does it.
      ...(somethingPublished(value)
        ? [{ type: 1, components: [{ type: 2, style: 4, label: 'Delete', custom_id: `hayon:delete:${post.id}` }] }]
        : []),
    ],
  };
}

/** Retry: the post's failed deliveries again, with the same keys (on the summary and every failure reply). */
export function retryRow(postId: string): Record<string, unknown> {
  return { type: 1, components: [{ type: 2, style: 1, label: 'Retry', custom_id: `hayon:retry:${postId}` }] };
}

function stateIcon(state: string): string {
  return (
    ({ published: '✅', failed: '❌', cancelled: '🚫', scheduled: '🕒', deleted: '🗑️' } as Record<string, string>)[
      state
    ] ?? '⏳'
  );
}
