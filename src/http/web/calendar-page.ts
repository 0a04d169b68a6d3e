import { html } from 'hono/html';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import type { CalendarDay, CalendarRange } from './calendar-range.js';
import { type Html, page } from './layout.js';
import { handlesOf, postItem } from './post-item.js';

/** How many posts a month cell lists before "N more" (a link to that day's list). */
export const monthCellLimit = 4;

export interface CalendarData {
  range: CalendarRange;
  /** Per day of the range: how many posts it holds, and those shown (all in a week, the first few in a month). */
  days: DayPosts[];
  accounts: Account[];
  now: number;
  zone: string;
  /** The anchor date of the page (`2026-12-07`), for the links between views. */
  anchor: string;
  /** Set when the range held more posts than were read. */
  truncated: boolean;
}

export interface DayPosts {
  count: number;
  posts: PostWithDeliveries[];
}

/** The posts of each day, in order: the posts come sorted by time, so one walk places them. */
export function groupByDay(days: readonly CalendarDay[], posts: readonly PostWithDeliveries[]): DayPosts[] {
  const out: PostWithDeliveries[][] = days.map(() => []);
  let d = 0;
  for (const p of posts) {
    while (d < days.length && p.post.scheduledAt >= (days[d]?.to ?? 0)) d++;
    if (d >= days.length) break;
    out[d]?.push(p);
  }
  return out.map((list) => ({ count: list.length, posts: list }));
}

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const longDay = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  return `${weekdays[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()}`;
};

function pager(data: CalendarData): Html {
  const { range, zone, anchor } = data;
  const q = (view: string, at: string) => `/app?view=${view}&at=${at}&tz=${encodeURIComponent(zone)}`;
  const other = range.view === 'week' ? 'month' : 'week';
  return html`<nav class="bar" aria-label="Calendar pages">
<a class="btn" href="${q(range.view, range.prev)}" rel="prev">← Previous ${range.view}</a>
<a class="btn" href="${q(range.view, range.next)}" rel="next">Next ${range.view} →</a>
<a class="btn" href="${q(other, anchor)}">${other === 'week' ? 'Week' : 'Month'} view</a>
<a class="btn" href="${`/app/posts?from=${range.days[0]?.date ?? ''}&to=${range.days.at(-1)?.date ?? ''}`}">List these posts</a>
</nav>`;
}

function monthGrid(data: CalendarData): Html {
  const handles = handlesOf(data.accounts);
  const rows: Html[] = [];
  for (let w = 0; w < data.range.days.length; w += 7) {
    const cells = data.range.days.slice(w, w + 7).map((day, i) => {
      const held = data.days[w + i] ?? { count: 0, posts: [] };
      const shown = held.posts.slice(0, monthCellLimit);
      const more = held.count - shown.length;
      return html`<td class="${day.inRange ? '' : 'out'}" data-date="${day.date}"><div class="date">${longDay(day.date)}</div>
<ul>${shown.map((p) => postItem(p, { zone: data.zone, now: data.now, handles, compact: true }))}</ul>
${more > 0 ? html`<a href="${`/app/posts?from=${day.date}&to=${day.date}`}">${more} more<span class="skip"> on ${day.date}</span></a>` : ''}</td>`;
    });
    rows.push(html`<tr>${cells}</tr>`);
  }
  return html`<table class="cal"><caption class="muted">Posts by day, times in ${data.zone}</caption>
<thead><tr>${weekdays.map((d) => html`<th scope="col">${d}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

function weekColumns(data: CalendarData): Html {
  const handles = handlesOf(data.accounts);
  return html`<div class="week">${data.range.days.map(
    (day, i) => html`<section data-date="${day.date}" aria-label="${longDay(day.date)}"><h2>${longDay(day.date)}</h2>
${(data.days[i]?.posts ?? []).length === 0 ? html`<p class="muted">Nothing scheduled</p>` : html`<ul>${(data.days[i]?.posts ?? []).map((p) => postItem(p, { zone: data.zone, now: data.now, handles }))}</ul>`}</section>`,
  )}</div>`;
}

/** The calendar: a month grid or a week of columns, each post at its local time. */
export function calendarPage(data: CalendarData): Html {
  const body = html`<h1>${data.range.title}</h1>
${pager(data)}
${data.truncated ? html`<p class="notice">This ${data.range.view} has more posts than the calendar shows; the list view has them all.</p>` : ''}
${data.range.view === 'month' ? monthGrid(data) : weekColumns(data)}`;
  return page({ title: data.range.title, section: 'calendar', zone: data.zone, body });
}
