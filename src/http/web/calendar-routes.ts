import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { calendarPage, groupByDay, monthCellLimit } from './calendar-page.js';
import {
  type CalendarRange,
  type CalendarView,
  calendarRange,
  isoDate,
  midnight,
  parseIsoDate,
  todayIn,
} from './calendar-range.js';
import { matches, readFilters } from './list-filters.js';
import { listPage } from './list-page.js';
import { viewer } from './web-context.js';
import type { WebEnv } from './web-session.js';

/** The most posts one calendar page or list reads (a month of 10,000 posts fits). */
export const maxPostsRead = 20_000;
/** The longest span the list shows at once. */
const maxListDays = 62;

/** `/app` (the calendar, `?view=week|month&at=2026-12-07&tz=…`) and `/app/posts` (the list with filters). */
export function calendarRoutes(ctx: AppContext): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    const view: CalendarView = c.req.query('view') === 'week' ? 'week' : 'month';
    const anchor = parseIsoDate(c.req.query('at')) ?? todayIn(ctx.clock(), zone);
    const range = calendarRange(view, anchor, zone);
    const page =
      view === 'month' ? await month(ctx, session.workspaceId, range) : await week(ctx, session.workspaceId, range);
    return c.html(calendarPage({ range, ...page, zone, anchor: isoDate(anchor) }));
  });

  app.get('/posts', async (c) => {
    const { session, zone } = await viewer(ctx, c);
    const today = todayIn(ctx.clock(), zone);
    const month = calendarRange('month', today, zone).days.filter((d) => d.inRange);
    let from = parseIsoDate(c.req.query('from')) ?? parseIsoDate(month[0]?.date) ?? today;
    let to = parseIsoDate(c.req.query('to')) ?? parseIsoDate(month.at(-1)?.date) ?? today;
    if (to < from) [from, to] = [to, from];
    to = Math.min(to, from + maxListDays - 1);
    const span = to - from + 1;
    const filters = readFilters((name) => c.req.query(name));
    const read = await ctx.postQueries.scheduled(session.workspaceId, {
      from: midnight(from, zone),
      to: midnight(to + 1, zone),
      limit: maxPostsRead + 1,
    });
    const truncated = read.posts.length > maxPostsRead;
    return c.html(
      listPage({
        filters,
        from: isoDate(from),
        to: isoDate(to),
        prev: { from: isoDate(from - span), to: isoDate(from - 1) },
        next: { from: isoDate(to + 1), to: isoDate(to + span) },
        posts: read.posts.slice(0, maxPostsRead).filter((p) => matches(p, filters)),
        accounts: read.accounts,
        now: read.now,
        zone,
        truncated,
      }),
    );
  });

  return app;
}

/** A month: each day's count, and only the posts its cell shows. */
async function month(ctx: AppContext, workspaceId: string, range: CalendarRange) {
  const read = await ctx.postQueries.byDay(workspaceId, range.days, monthCellLimit);
  return { days: read.days, accounts: read.accounts, now: read.now, truncated: false };
}

/** A week: every post of each day. */
async function week(ctx: AppContext, workspaceId: string, range: CalendarRange) {
  const read = await ctx.postQueries.scheduled(workspaceId, {
    from: range.from,
    to: range.to,
    limit: maxPostsRead + 1,
  });
  const truncated = read.posts.length > maxPostsRead;
  const days = groupByDay(range.days, truncated ? read.posts.slice(0, maxPostsRead) : read.posts);
  return { days, accounts: read.accounts, now: read.now, truncated };
}
