import type { Account, Delivery, Post, PostWithDeliveries } from '../../core/post.js';
import type { TargetMeasure } from '../../services/posts/posts-service.js';
import { formatInZone } from '../../core/schedule.js';
import { somethingPublished, stillScheduled, summaryLine, targetName, whatToDo } from '../post-summary.js';

/** Block Kit for hayon's Slack messages. Plain data, no Slack SDK types, so tests read it easily. */
export type Block = Record<string, unknown>;

export const actionIds = {
  cancel: 'hayon_cancel',
  postNow: 'hayon_post_now',
  retry: 'hayon_retry',
  edit: 'hayon_edit',
  when: 'hayon_when',
  delete: 'hayon_delete',
} as const;

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

/** Slack escapes `&`, `<` and `>` in mrkdwn; everything else is shown as written. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "2026-11-29 09:00 CET (Europe/Berlin)" */
export function whenLine(post: Pick<Post, 'scheduledAt' | 'timezone'>): string {
  return formatInZone(post.scheduledAt, post.timezone);
}

/**
 * The message hayon answers a post with, edited as it progresses: the status ("Scheduled for
 * …", "2/3 published, Tumblr failed"), the text, each target with its count against its limit,
 * and Cancel / Post now while something is still scheduled.
 */
export function postMessage(
  value: PostWithDeliveries,
  accounts: readonly Account[],
  measures: readonly TargetMeasure[] = [],
): { text: string; blocks: Block[] } {
  const { post } = value;
  const status = summaryLine(value, accounts);
  const headline = status === 'Scheduled' ? `Scheduled for *${whenLine(post)}*` : `*${status}*`;
  const targets = value.deliveries.map((d) => targetLine(d, accounts, measures));
  const blocks: Block[] = [
    { type: 'section', block_id: 'status', text: mrkdwn(headline) },
    ...(post.content.text ? [{ type: 'section', block_id: 'text', text: mrkdwn(quote(post.content.text)) }] : []),
    { type: 'context', block_id: 'targets', elements: [mrkdwn(targets.join('\n'))] },
  ];
  if (post.content.media.length) {
    const noun = post.content.media.length === 1 ? 'attachment' : 'attachments';
    blocks.push({ type: 'context', block_id: 'media', elements: [mrkdwn(`${post.content.media.length} ${noun}`)] });
  }
  if (stillScheduled(value)) {
    blocks.push({
      type: 'actions',
      block_id: 'post_actions',
      elements: [
        { type: 'button', action_id: actionIds.postNow, text: plain('Post now'), style: 'primary', value: post.id },
        { type: 'button', action_id: actionIds.edit, text: plain('Edit'), value: post.id },
        {
          type: 'button',
          action_id: actionIds.cancel,
          text: plain('Cancel'),
          style: 'danger',
          value: post.id,
          confirm: {
            title: plain('Cancel this post?'),
            text: plain('Nothing more of it will be published.'),
            confirm: plain('Cancel it'),
            deny: plain('Keep it'),
          },
        },
      ],
    });
  }
  if (value.deliveries.some((d) => d.state === 'failed')) {
    blocks.push({ type: 'actions', block_id: 'failed_actions', elements: [retryButton(post.id)] });
  }
  if (somethingPublished(value)) blocks.push(deleteActions(post.id));
  blocks.push({ type: 'context', block_id: 'id', elements: [mrkdwn(`\`${post.id}\``)] });
  return { text: `${status === 'Scheduled' ? `Scheduled for ${whenLine(post)}` : status}: ${firstLine(post)}`, blocks };
}

/** Delete, behind Slack's confirm dialog: what was published is taken down where the platform allows it. */
function deleteActions(postId: string): Block {
  return {
    type: 'actions',
    block_id: 'delete_actions',
    elements: [
      {
        type: 'button',
        action_id: actionIds.delete,
        text: plain('Delete'),
        style: 'danger',
        value: postId,
        confirm: {
          title: plain('Delete this post?'),
          text: plain(
            'It is deleted from every platform whose API allows it, and what still waits is cancelled. Instagram posts have to be deleted in the app.',
          ),
          confirm: plain('Delete it'),
          deny: plain('Keep it'),
          style: 'danger',
        },
      },
    ],
  };
}

function targetLine(d: Delivery, accounts: readonly Account[], measures: readonly TargetMeasure[]): string {
  const m = measures.find((x) => x.deliveryId === d.id);
  const count = m?.count !== undefined && m.max !== undefined ? ` · ${m.count}/${m.max}` : '';
  const thread = m?.parts ? ` · thread of ${m.parts}` : '';
  const link = d.result?.url ? ` · <${d.result.url}|link>` : '';
  return `${icon(d.state)} ${escapeMrkdwn(targetName(d, accounts))}${count}${thread}${link}`;
}

function icon(state: Delivery['state']): string {
  switch (state) {
    case 'published':
      return ':white_check_mark:';
    case 'failed':
      return ':x:';
    case 'cancelled':
      return ':no_entry_sign:';
    case 'deleted':
      return ':wastebasket:';
    case 'scheduled':
      return ':clock3:';
    default:
      return ':hourglass_flowing_sand:';
  }
}

function quote(text: string): string {
  const shown = text.length > 2800 ? `${text.slice(0, 2800)}…` : text;
  return escapeMrkdwn(shown)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function firstLine(post: Post): string {
  const line = post.content.text.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** Retry: the post's failed deliveries again, with the same keys (on the summary and every failure reply). */
function retryButton(postId: string): Block {
  return { type: 'button', action_id: actionIds.retry, text: plain('Retry'), value: postId };
}

/** A failure's thread reply: its sentence, and a Retry button under it. */
export function failureReply(text: string, postId: string): { text: string; blocks: Block[] } {
  return {
    text,
    blocks: [
      { type: 'section', block_id: 'failure', text: mrkdwn(text) },
      { type: 'actions', block_id: 'failure_actions', elements: [retryButton(postId)] },
    ],
  };
}

/** A thread reply's text for one delivery event. */
export function eventText(
  event: {
    kind: 'published' | 'retrying' | 'failed';
    reason?: string;
    nextAttemptAt?: number;
    held?: boolean | undefined;
  },
  delivery: Delivery,
  post: Post,
  accounts: readonly Account[],
): string {
  const who = escapeMrkdwn(targetName(delivery, accounts));
  switch (event.kind) {
    case 'published':
      return `:white_check_mark: ${who}: published ${delivery.result?.url ? `<${delivery.result.url}>` : ''}`.trim();
    case 'retrying':
      // Held back (pacing, a reconnect): nothing was tried, and the reason says until when.
      if (event.held) return `:hourglass_flowing_sand: ${who}: ${escapeMrkdwn(event.reason ?? 'held back')}`;
      return `:repeat: ${who}: attempt ${delivery.attempts} did not go through (${escapeMrkdwn(event.reason ?? 'unknown error')}). Trying again at ${formatInZone(event.nextAttemptAt ?? post.scheduledAt, post.timezone)}.`;
    case 'failed':
      return `:x: ${who} failed: ${escapeMrkdwn(event.reason ?? 'unknown error')}. ${whatToDo(delivery)}`;
  }
}
