import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';
import { type Browser, signIn } from './web-helpers.js';

/** The value of the hidden `version` field of the page's forms. */
const versionOf = (page: string) => /name="version" value="([^"]*)"/.exec(page)?.[1] ?? '';

// A post's page and its buttons, in-process, through the same services as the API.
describe('web post page', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let browser: Browser;

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

  const create = async (body: Record<string, unknown>) =>
    (await (await h.api('POST', '/v1/posts', body)).json()).id as string;

  it('shows the text per platform, each delivery with its link, and the history', async () => {
    const id = await create({
      text: 'Hello everyone',
      targets: ['bluesky', 'mastodon'],
      overrides: { mastodon: { text: 'Hello fediverse' } },
    });
    await h.drain();
    const res = await browser.get(`/app/posts/${id}?tz=UTC`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Hello everyone');
    expect(page).toContain('Mastodon (its own text)');
    expect(page).toContain('Hello fediverse');
    expect(page).toMatch(/Bluesky alice\.test\s*<span class="st st-ok">published<\/span>/);
    expect(page).toMatch(/href="https:\/\/bluesky\.example\/p\/dlv_/);
    expect(page).toContain('History (1 attempt)');
    expect(page).toContain('<span class="st st-ok" id="post-status">Published</span>');
  });

  it('shows a thread part by part, with the link of each part published', async () => {
    const text = 'A text long enough that the three hundred characters of Bluesky cannot hold it. '.repeat(5);
    const id = await create({ text, targets: ['bluesky'], thread: 'auto' });
    await h.drain();
    const page = await (await browser.get(`/app/posts/${id}`)).text();
    expect(page).toContain('Thread of 2 parts, 2 published:');
    expect(page.match(/<li><a href="https:\/\/bluesky\.example\/p\//g)).toHaveLength(2);
    expect(page.match(/<li><pre class="text">/g)).toHaveLength(2);
  });

  it('cancels a scheduled post from its button, and the page says so', async () => {
    const id = await create({ text: 'Later', targets: ['bluesky'], when: 'in 2 hours' });
    const page = await (await browser.get(`/app/posts/${id}`)).text();
    expect(page).toContain(`action="/app/posts/${id}/cancel"`);
    const res = await browser.post(`/app/posts/${id}/cancel`, { version: versionOf(page) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/app/posts/${id}?done=cancel`);
    const after = await (await browser.get(`/app/posts/${id}?done=cancel`)).text();
    expect(after).toContain('Cancelled what had not gone out yet.');
    expect(after).toContain('<span class="st st-off" id="post-status">Cancelled</span>');
    expect((await (await h.api('GET', `/v1/posts/${id}`)).json()).status).toBe('CANCELLED');
    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 5 });
    expect(audit.find((e) => e.action === 'post.cancelled')?.actor).toMatchObject({ kind: 'web', id: 'u1' });
  });

  it('sends a scheduled post now, and retries a failed one', async () => {
    const later = await create({ text: 'Hurry', targets: ['bluesky'], when: 'in 2 hours' });
    const page = await (await browser.get(`/app/posts/${later}`)).text();
    expect((await browser.post(`/app/posts/${later}/publish-now`, { version: versionOf(page) })).status).toBe(303);
    await h.drain();
    expect((await (await h.api('GET', `/v1/posts/${later}`)).json()).status).toBe('COMPLETED');

    bluesky.failNext({ kind: 'transient', status: 503, message: 'Bluesky is down' });
    const failing = await create({ text: 'Flaky', targets: ['bluesky'] });
    await h.drain();
    const failedPage = await (await browser.get(`/app/posts/${failing}`)).text();
    expect(failedPage).toContain('Last error (transient)');
    expect(failedPage).toContain('Bluesky is down');
    const res = await browser.post(`/app/posts/${failing}/retry`, { version: versionOf(failedPage) });
    expect(res.status).toBe(303);
    expect(await (await browser.get(res.headers.get('location') ?? '')).text()).toContain(
      'The failed deliveries are being sent again.',
    );
    await h.drain();
    expect((await (await h.api('GET', `/v1/posts/${failing}`)).json()).status).toBe('COMPLETED');
  });

  it('deletes a published post from its button: taken down on the platform, shown as deleted', async () => {
    const id = await create({ text: 'Oops', targets: ['bluesky'] });
    await h.drain();
    expect(bluesky.posts.size).toBe(1);
    const page = await (await browser.get(`/app/posts/${id}`)).text();
    const res = await browser.post(`/app/posts/${id}/delete`, { version: versionOf(page) });
    expect(res.status).toBe(303);
    const after = await (await browser.get(res.headers.get('location') ?? '')).text();
    expect(after).toContain('Deleted: what was published is taken down');
    expect(after).toMatch(/Bluesky alice\.test\s*<span class="st st-off">deleted<\/span>/);
    expect((await (await h.api('GET', `/v1/posts/${id}`)).json()).status).toBe('DELETED');
  });

  it('refuses an action from a stale page, says what changed, and does nothing', async () => {
    const id = await create({ text: 'Stale', targets: ['bluesky'], when: 'in 2 hours' });
    const stale = await (await browser.get(`/app/posts/${id}`)).text();
    await h.api('POST', `/v1/posts/${id}/publish-now`);
    await h.drain();
    const res = await browser.post(`/app/posts/${id}/cancel`, { version: versionOf(stale) });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain('This post changed since the page was drawn, so nothing was done');
    expect(page).toContain('Bluesky alice.test went from scheduled to published.');
    expect((await (await h.api('GET', `/v1/posts/${id}`)).json()).status).toBe('COMPLETED');
  });

  it('refuses a form without the CSRF token', async () => {
    const id = await create({ text: 'Guarded', targets: ['bluesky'], when: 'in 2 hours' });
    const res = await browser.post(`/app/posts/${id}/cancel`, {}, { csrf: false });
    expect(res.status).toBe(403);
    expect((await (await h.api('GET', `/v1/posts/${id}`)).json()).status).toBe('SCHEDULED');
  });

  it('edits the text of a scheduled post, and a stale edit form keeps the text and saves nothing', async () => {
    const id = await create({ text: 'First words', targets: ['bluesky'], when: 'in 2 hours' });
    const form = await (await browser.get(`/app/posts/${id}/edit`)).text();
    const when = /name="when" type="text" value="([^"]*)"/.exec(form)?.[1] ?? '';
    const timezone = /name="timezone" type="text" value="([^"]*)"/.exec(form)?.[1] ?? '';
    const res = await browser.post(`/app/posts/${id}/edit`, {
      version: versionOf(form),
      text: 'Better words',
      when,
      timezone,
    });
    expect(res.status).toBe(303);
    expect((await (await h.api('GET', `/v1/posts/${id}`)).json()).text).toBe('Better words');

    await h.api('POST', `/v1/posts/${id}/cancel`);
    const stale = await browser.post(`/app/posts/${id}/edit`, {
      version: versionOf(form),
      text: 'Lost?',
      when,
      timezone,
    });
    expect(stale.status).toBe(409);
    const page = await stale.text();
    expect(page).toContain('nothing was saved');
    expect(page).toContain('went from scheduled to cancelled');
    expect(page).toContain('Lost?');
    expect((await (await h.api('GET', `/v1/posts/${id}`)).json()).text).toBe('Better words');
  });

  it('answers the live fragment with the current states, for the page to poll', async () => {
    const id = await create({ text: 'Live', targets: ['bluesky'], when: 'in 2 hours' });
    const before = await (await browser.get(`/app/posts/${id}/live`)).text();
    expect(before).toContain('data-live="yes"');
    await h.api('POST', `/v1/posts/${id}/cancel`);
    const after = await (await browser.get(`/app/posts/${id}/live`)).text();
    expect(after).toContain('data-live="no"');
    expect(after).toContain('cancelled');
    const version = (fragment: string) => /data-version="([^"]*)"/.exec(fragment)?.[1];
    expect(version(after)).toBeTruthy();
    expect(version(after)).not.toBe(version(before));
  });

  it('answers a page for an unknown post with a 404 page', async () => {
    const res = await browser.get('/app/posts/post_nope');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Not found');
  });
});
