import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';
import { type Browser, dayCell, localParts, signIn } from './web-helpers.js';

// The calendar and the list of /app, in-process with app.request(), on the embedded default.
describe('web calendar and list', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let browser: Browser;
  // 20:30 UTC three days from now: the next day in Tokyo, the same day in Los Angeles.
  const at = (() => {
    const d = new Date(Date.now() + 3 * 86_400_000);
    d.setUTCHours(20, 30, 0, 0);
    return d.getTime();
  })();

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({
      platforms: { bluesky, mastodon: new FakePlatform('mastodon', { maxLength: 500 }) },
      retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 20, jitter: 0 },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: '@alice@example.social', appPassword: 'pw' });
    browser = await signIn(h);
  });
  afterEach(async () => h.stop());

  const schedule = async (text: string, targets = ['bluesky'], when = new Date(at).toISOString()) => {
    const res = await h.api('POST', '/v1/posts', { text, targets, when });
    expect(res.status).toBe(202);
    return (await res.json()).id as string;
  };

  it('sends a browser without a session to the sign-in page', async () => {
    const res = await h.request('/app');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/login');
  });

  it('shows a scheduled post in the day cell and at the local time of the zone asked for', async () => {
    const id = await schedule('Launch day');
    for (const zone of ['Asia/Tokyo', 'America/Los_Angeles']) {
      const { date, time } = localParts(at, zone);
      for (const view of ['week', 'month']) {
        const res = await browser.get(`/app?view=${view}&at=${date}&tz=${encodeURIComponent(zone)}`);
        expect(res.status).toBe(200);
        const page = await res.text();
        const cell = dayCell(page, date);
        expect(cell, `${view} ${zone}`).toContain(`/app/posts/${id}`);
        expect(cell).toContain(`>${time}</time>`);
        expect(cell).toContain('Launch day');
        expect(cell).toMatch(/Scheduled/);
      }
    }
    // The other zone's day does not hold it.
    const tokyo = localParts(at, 'Asia/Tokyo').date;
    const la = localParts(at, 'America/Los_Angeles').date;
    expect(tokyo).not.toBe(la);
    const page = await (await browser.get(`/app?view=week&at=${la}&tz=Asia/Tokyo`)).text();
    expect(dayCell(page, la)).not.toContain(`/app/posts/${id}`);
  });

  it('lists the first posts of a busy day in its month cell, and links the rest', async () => {
    for (let i = 0; i < 6; i++) await schedule(`Busy ${i}`, ['bluesky'], new Date(at + i * 60_000).toISOString());
    const { date } = localParts(at, 'UTC');
    const cell = dayCell(await (await browser.get(`/app?view=month&at=${date}&tz=UTC`)).text(), date);
    expect(cell.match(/data-post="/g)).toHaveLength(4);
    expect(cell).toContain('Busy 0');
    expect(cell).not.toContain('Busy 4');
    expect(cell).toContain(`href="/app/posts?from=${date}&amp;to=${date}">2 more`);
    const week = dayCell(await (await browser.get(`/app?view=week&at=${date}&tz=UTC`)).text(), date);
    expect(week.match(/data-post="/g)).toHaveLength(6);
  });

  it('takes the browser zone from its cookie when no tz is asked for', async () => {
    await schedule('By cookie');
    const { date, time } = localParts(at, 'Asia/Tokyo');
    const page = await (await browser.get(`/app?view=week&at=${date}`, 'hayon_tz=Asia%2FTokyo')).text();
    expect(page).toContain('Times in Asia/Tokyo');
    expect(dayCell(page, date)).toContain(`>${time}</time>`);
  });

  it('pages by week and month with previous and next links', async () => {
    const page = await (await browser.get('/app?view=month&at=2027-03-15&tz=UTC')).text();
    expect(page).toContain('<h1>March 2027</h1>');
    expect(page).toContain('href="/app?view=month&amp;at=2027-02-01&amp;tz=UTC"');
    expect(page).toContain('href="/app?view=month&amp;at=2027-04-01&amp;tz=UTC"');
    const week = await (await browser.get('/app?view=week&at=2027-03-17&tz=UTC')).text();
    expect(week).toContain('15 March 2027 – 21 March 2027');
    expect(week).toContain('at=2027-03-08');
    expect(week).toContain('at=2027-03-22');
  });

  it('filters the list by status, account and source', async () => {
    const later = await schedule('Later post', ['mastodon']);
    bluesky.failNext({ kind: 'invalid', status: 400, message: 'Bluesky refused it' });
    const failed = await schedule('Failing post', ['bluesky'], 'now');
    const published = await schedule('Published post', ['mastodon'], 'now');
    await h.drain();
    const from = localParts(Date.now() - 86_400_000, 'UTC').date;
    const to = localParts(at + 86_400_000, 'UTC').date;
    const list = async (query: string) => {
      const res = await browser.get(`/app/posts?from=${from}&to=${to}&tz=UTC&${query}`);
      expect(res.status).toBe(200);
      return res.text();
    };
    const has = (page: string, ids: string[], not: string[]) => {
      for (const id of ids) expect(page).toContain(`data-post="${id}"`);
      for (const id of not) expect(page).not.toContain(`data-post="${id}"`);
    };
    has(await list('status=all'), [later, failed, published], []);
    has(await list('status=failed'), [failed], [later, published]);
    has(await list('status=published'), [published], [later, failed]);
    has(await list('status=scheduled'), [later], [failed, published]);
    const accounts = await h.ctx.accounts.list(h.workspaceId);
    const mastodon = accounts.find((a) => a.platform === 'mastodon')?.id ?? '';
    has(await list(`account=${mastodon}`), [later, published], [failed]);
    has(await list('source=api'), [later, failed, published], []);
    has(await list('source=slack'), [], [later, failed, published]);
    const failedPage = await list('status=failed');
    expect(failedPage).toMatch(/Failed/);
    expect(failedPage).toContain('Bluesky alice.test: failed');
  });
});
