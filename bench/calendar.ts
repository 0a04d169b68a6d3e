// bench/calendar: how long the web calendar takes to render a month with 10,000 posts in it, on the
// embedded default (SQLite file), beside a floor: the same month view with no posts. Also the
// week view and the list view of one week of that month. Each figure is the render of the whole
// page through app.request() (session check, store read, HTML), median and p95 over N renders.
//   npx tsx bench/calendar.ts [--posts 10000] [--renders 20]
import { parseArgs } from 'node:util';
import { newCorrelationId, newId } from '../src/core/ids.js';
import type { Delivery, DeliveryState, Post } from '../src/core/post.js';
import { openWebSession } from '../src/http/web/web-session.js';
import { FakePlatform } from '../test/fakes/fake-platform.js';
import { startHayon } from '../test/harness.js';
import { fmt, percentile, table } from './lib/stats.js';

const { values } = parseArgs({
  options: { posts: { type: 'string', default: '10000' }, renders: { type: 'string', default: '20' } },
});
const postCount = Number(values.posts);
const renders = Number(values.renders);

const h = await startHayon({
  platforms: { bluesky: new FakePlatform('bluesky'), mastodon: new FakePlatform('mastodon') },
  env: { logLevel: 'warn' },
  worker: false,
});
const fail = async (message: string): Promise<never> => {
  console.error(`bench/calendar: ${message}`);
  await h.stop();
  process.exit(1);
};

const b = await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'bench.test', appPassword: 'pw' });
const m = await h.ctx.accounts.add(h.workspaceId, 'mastodon', {
  identifier: '@bench@example.social',
  appPassword: 'pw',
});
const { cookie } = await openWebSession(h.ctx, h.workspaceId, { kind: 'web', id: 'bench' });

// The month after this one (UTC), seeded through the store (the calendar reads; how posts are
// made is measured by bench/ingest). A mix of states, so the page draws every status.
const now = new Date();
const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1);
const emptyMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 1);
const states: DeliveryState[] = ['scheduled', 'scheduled', 'scheduled', 'published', 'failed', 'cancelled'];
const seedStart = Date.now();
for (let i = 0; i < postCount; i++) {
  const at = monthStart + Math.floor((i * (nextMonth - monthStart)) / postCount);
  const post: Post = {
    id: newId('post', at),
    workspaceId: h.workspaceId,
    author: { name: 'bench' },
    origin: { kind: i % 2 ? 'api' : 'web' },
    content: { text: `Post number ${i}: a line of text about something worth saying`, media: [] },
    overrides: {},
    scheduledAt: at,
    timezone: 'UTC',
    correlationId: newCorrelationId(),
    createdAt: Date.now(),
  };
  const deliveries: Delivery[] = [b, m].map((account, j) => ({
    id: newId('dlv', at),
    postId: post.id,
    workspaceId: h.workspaceId,
    accountId: account.id,
    platform: account.platform,
    state: states[(i + j) % states.length] ?? 'scheduled',
    dueAt: at,
    attempts: 0,
    createdAt: post.createdAt,
    updatedAt: post.createdAt,
  }));
  const stored = await h.ctx.store.createPost(post, deliveries);
  if (!stored.created) await fail(`post ${i} was not stored`);
}
const seedMs = Date.now() - seedStart;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const week = iso(monthStart + 14 * 86_400_000);

async function time(label: string, path: string, expectPosts: (page: string) => boolean) {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < renders + 2; i++) {
    const t = performance.now();
    const res = await h.request(path, { headers: { cookie } });
    const page = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) await fail(`${label}: status ${res.status}`);
    if (!expectPosts(page)) await fail(`${label}: the page does not show what it should`);
    bytes = page.length;
    if (i >= 2) samples.push(ms); // the first two warm the caches (statements, Intl formatters)
  }
  return {
    view: label,
    median: fmt(percentile(samples, 50)),
    p95: fmt(percentile(samples, 95)),
    'page size': `${Math.round(bytes / 1024)} KiB`,
  };
}

const cells = (page: string) => (page.match(/data-date="/g) ?? []).length;
const items = (page: string) => (page.match(/data-post="/g) ?? []).length;
const rows = [
  await time(
    'month, no posts (floor)',
    `/app?view=month&at=${iso(emptyMonth)}&tz=UTC`,
    (p) => cells(p) >= 28 && items(p) === 0,
  ),
  await time(
    `month, ${postCount} posts`,
    `/app?view=month&at=${iso(monthStart)}&tz=UTC`,
    (p) => items(p) > 0 && /more/.test(p),
  ),
  await time('week in that month', `/app?view=week&at=${week}&tz=UTC`, (p) => items(p) > 0),
  await time(
    'list of that week',
    `/app/posts?from=${week}&to=${iso(monthStart + 20 * 86_400_000)}&tz=UTC`,
    (p) => items(p) > 0,
  ),
];
console.log(
  `seeded ${postCount} posts (2 deliveries each) in ${iso(monthStart)}'s month in ${seedMs} ms; ${renders} renders each`,
);
console.log(table(rows));
await h.stop();
