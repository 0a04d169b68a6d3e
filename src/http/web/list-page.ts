import { html, raw } from 'hono/html';
import { platformNames } from '../../core/platform-names.js';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import { type Html, page } from './layout.js';
import { type ListFilters, sourceFilters, statusFilters } from './list-filters.js';
import { handlesOf, postItem } from './post-item.js';

export interface ListData {
  filters: ListFilters;
  /** The dates shown, inclusive (`2026-12-01`). */
  from: string;
  to: string;
  prev: { from: string; to: string };
  next: { from: string; to: string };
  posts: PostWithDeliveries[];
  accounts: Account[];
  now: number;
  zone: string;
  truncated: boolean;
}

const sourceNames: Record<string, string> = {
  all: 'Any source',
  slack: 'Slack',
  discord: 'Discord',
  api: 'API',
  webhook: 'Webhook',
  cli: 'Command line',
  web: 'This web page',
};

const option = (value: string, text: string, selected: boolean) =>
  html`<option value="${value}"${selected ? raw(' selected') : ''}>${text}</option>`;

function filterForm(d: ListData): Html {
  const f = d.filters;
  return html`<form method="get" action="/app/posts" class="bar" aria-label="Filters">
<div><label for="f-status">Status</label><select id="f-status" name="status">${statusFilters.map((s) =>
    option(s, s === 'all' ? 'Any status' : s[0]?.toUpperCase() + s.slice(1), f.status === s),
  )}</select></div>
<div><label for="f-account">Account</label><select id="f-account" name="account">${option('all', 'Any account', f.account === 'all')}${d.accounts.map(
    (a) => option(a.id, `${platformNames[a.platform]} ${a.handle}`, f.account === a.id),
  )}</select></div>
<div><label for="f-source">Source</label><select id="f-source" name="source">${sourceFilters.map((s) =>
    option(s, sourceNames[s] ?? s, f.source === s),
  )}</select></div>
<div><label for="f-from">From</label><input id="f-from" type="date" name="from" value="${d.from}"></div>
<div><label for="f-to">To</label><input id="f-to" type="date" name="to" value="${d.to}"></div>
<div><button type="submit" class="primary">Show</button></div>
</form>`;
}

const pageLink = (d: ListData, r: { from: string; to: string }) => {
  const q = new URLSearchParams({ ...d.filters, from: r.from, to: r.to });
  return `/app/posts?${q}`;
};

/** The posts of a span of days, filtered by status, account and source. */
export function listPage(d: ListData): Html {
  const handles = handlesOf(d.accounts);
  const title = d.from === d.to ? `Posts on ${d.from}` : `Posts from ${d.from} to ${d.to}`;
  const body = html`<h1>${title}</h1>
${filterForm(d)}
<nav class="bar" aria-label="List pages"><a class="btn" rel="prev" href="${pageLink(d, d.prev)}">← Earlier</a>
<a class="btn" rel="next" href="${pageLink(d, d.next)}">Later →</a></nav>
${d.truncated ? html`<p class="notice">More posts match than are shown; choose fewer days.</p>` : ''}
<p class="muted" role="status">${d.posts.length} ${d.posts.length === 1 ? 'post' : 'posts'}</p>
<ul class="cards">${d.posts.map((p) => postItem(p, { zone: d.zone, now: d.now, handles, dated: true }))}</ul>`;
  return page({ title, section: 'list', zone: d.zone, body });
}
