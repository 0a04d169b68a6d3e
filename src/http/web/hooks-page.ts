import { html } from 'hono/html';
import type { Hook } from '../../core/hook.js';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import { formatInZone } from '../../core/schedule.js';
import { type Html, page } from './layout.js';
import { handlesOf, postItem } from './post-item.js';

export interface HooksData {
  hooks: Hook[];
  /** Each hook's recent events that became posts, newest first. */
  events: Map<string, PostWithDeliveries[]>;
  accounts: Account[];
  now: number;
  zone: string;
}

/** Each hook with its recent events (the posts they made) and how those went. */
export function hooksPage(d: HooksData): Html {
  const handles = handlesOf(d.accounts);
  const items = d.hooks.map((h) => {
    const events = d.events.get(h.id) ?? [];
    return html`<li data-hook="${h.id}"><h2>${h.name} <span class="muted">(${h.source})</span>
<span class="st ${h.enabled ? 'st-ok' : 'st-off'}">${h.enabled ? 'enabled' : 'disabled'}</span></h2>
<p>Posts to ${h.targets.join(', ')}${h.when ? `, ${h.when}` : ''}. Last event: ${h.lastUsedAt ? formatInZone(h.lastUsedAt, d.zone) : 'none yet'}.</p>
<h3>Recent events</h3>
${events.length === 0 ? html`<p class="muted">No event has made a post recently.</p>` : html`<ul>${events.map((p) => postItem(p, { zone: d.zone, now: d.now, handles }))}</ul>`}</li>`;
  });
  const body = html`<h1>Hooks</h1>
${d.hooks.length === 0 ? html`<p>No hook yet. Make one with <code>hayon hooks create</code>.</p>` : html`<ul class="cards">${items}</ul>`}`;
  return page({ title: 'Hooks', section: 'hooks', zone: d.zone, body });
}
