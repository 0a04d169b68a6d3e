import { html } from 'hono/html';
import { platformNames } from '../../core/platform-names.js';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import { dayOf, isoDate, timeIn } from './calendar-range.js';
import type { Html } from './layout.js';
import { deliveryStateLabel, postStatusLabel, statusOf } from './post-status.js';

/** The first words of a text, on one line. */
export function snippet(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '(media only)';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Handles by account id, for naming each delivery's target. */
export const handlesOf = (accounts: readonly Account[]) => new Map(accounts.map((a) => [a.id, a.handle]));

/**
 * One post as a line of the calendar or the list: its local time, its first words (a link to its
 * page), its status, and each target with its state.
 */
export function postItem(
  value: PostWithDeliveries,
  o: { zone: string; now: number; handles: Map<string, string>; compact?: boolean; dated?: boolean },
): Html {
  const { post, deliveries } = value;
  const status = postStatusLabel(statusOf(value, o.now));
  const targets = deliveries.map((d) => {
    const state = deliveryStateLabel(d.state);
    const who = o.compact
      ? platformNames[d.platform]
      : `${platformNames[d.platform]} ${o.handles.get(d.accountId) ?? ''}`;
    return html`<span class="st ${state.css}">${who.trim()}: ${state.text}</span> `;
  });
  return html`<li data-post="${post.id}"><time datetime="${new Date(post.scheduledAt).toISOString()}">${o.dated ? `${isoDate(dayOf(post.scheduledAt, o.zone))} ` : ''}${timeIn(post.scheduledAt, o.zone)}</time>
<a href="/app/posts/${post.id}">${snippet(post.content.text, o.compact ? 40 : 80)}</a>
<span class="st ${status.css}">${status.text}</span>${o.compact ? html` <span class="muted">${targets}</span>` : html`<br>${targets}`}</li>`;
}
