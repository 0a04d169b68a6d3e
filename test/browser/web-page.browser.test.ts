import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlueskyPlatform } from '../../src/platforms/bluesky/bluesky-platform.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { makePng } from '../platforms/bluesky/png.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';
import { localParts } from '../web/web-helpers.js';
import { accessibilityProblems, chromiumPath, launch, openContext, screenshot, webLoginLink } from './browser.js';

const executablePath = chromiumPath();
const pdsMissing = pdsUnavailableReason();
const skip = !executablePath
  ? 'no chromium (bash scripts/services/chromium.sh installs Debian’s)'
  : pdsMissing
    ? pdsMissing
    : undefined;
if (skip) console.warn(`Skipping the browser tests: ${skip}`);

/** The browser's zone: the calendar must show times in it, not in the server's or the author's. */
const viewerZone = 'Asia/Tokyo';

// hayon serving on a real port, Debian's chromium driven by playwright-core, a real Bluesky PDS
// for the posts that go out, and a FakePlatform for Mastodon that answers 500 when told to (the
// failed delivery to retry). Each case goes on from the one before, in one browser profile.
describe.skipIf(skip)('the web page in a real browser (chromium)', () => {
  let h: TestHayon & { port?: number };
  let pds: TestPds;
  let client: PdsClient;
  let user: { handle: string; did: string; password: string };
  let mastodon: FakePlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let secretKey: Buffer;
  /** Moves hayon's clock (only the expired-link case does). */
  let offsetMs = 0;
  /** The post scheduled for tomorrow (edited, then cancelled). */
  let scheduledId = '';
  /** The post published to Bluesky with an image. */
  let publishedId = '';

  /** Goes to `path`, checks it with axe-core, and keeps a screenshot. */
  async function visit(path: string, name: string): Promise<void> {
    await page.goto(`${base}${path}`);
    await check(name);
  }
  async function check(name: string): Promise<void> {
    await page.waitForLoadState('load');
    await screenshot(page, name);
    expect(await accessibilityProblems(page), `axe on ${name}`).toEqual([]);
  }
  const link = () => webLoginLink(h.dataDir, base, secretKey.toString('hex'));
  const postIdOfUrl = () => new URL(page.url()).pathname.split('/').pop() ?? '';

  beforeAll(async () => {
    pds = await startPds();
    client = new PdsClient(pds.url);
    user = await client.createAccount('web');
    mastodon = new FakePlatform('mastodon');
    secretKey = randomBytes(32);
    // The links hayon hands out (sign-in, media) are on its public URL: the port it listens on.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHayon({
      listen: true,
      listenPort: port,
      secretKey,
      // One attempt: the 500 fails the delivery at once, for the Retry button.
      env: { maxAttempts: '1', publicUrl: base },
      // Real Bluesky (no link cards: nothing leaves this machine), the fake Mastodon.
      platforms: { bluesky: createBlueskyPlatform({ fetch, timeoutMs: 30_000 }), mastodon },
      clock: () => Date.now() + offsetMs,
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', {
      service: pds.url,
      identifier: user.handle,
      appPassword: user.password,
    });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { instanceUrl: 'https://mastodon.example', accessToken: 't' });
    browser = await launch(executablePath as string);
    context = await openContext(browser, viewerZone);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    await pds?.stop();
  });

  it('without a session, /app says how to get a link; a hayon web login link signs in once', async () => {
    await visit('/app', 'login');
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    expect(await page.locator('main').textContent()).toContain('hayon web login');

    const url = await link();
    await page.goto(url);
    expect(new URL(page.url()).pathname).toBe('/app');
    const cookie = (await context.cookies()).find((c) => c.name === 'hayon_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/app' });
    await check('calendar-empty');

    // The same link again, in another browser profile: refused, nothing opened.
    const other = await openContext(browser, viewerZone);
    const again = await other.newPage();
    const response = await again.goto(url);
    expect(response?.status()).toBe(410);
    expect(await again.getByRole('heading', { level: 1 }).textContent()).toBe('This sign-in link was already used');
    await screenshot(again, 'link-used');
    expect(await accessibilityProblems(again)).toEqual([]);
    expect(await other.cookies()).toEqual([]);
    await other.close();
  }, 60_000);

  it('composes a post with an image and alt text to Bluesky and shows it published with its link', async () => {
    await visit('/app/compose', 'composer');
    await page.getByLabel(`Bluesky ${user.handle}`).check();
    await page.getByLabel('Text', { exact: true }).fill('Hello from the web page https://example.com');
    await page.getByLabel('Image or video 1').setInputFiles({
      name: 'square.png',
      mimeType: 'image/png',
      buffer: Buffer.from(makePng(64, 48)),
    });
    await page.getByLabel(/^Alt text for 1/).fill('A grey rectangle');
    await page.getByLabel(/^When/).fill('now');
    await page.getByRole('button', { name: 'Schedule post' }).click();
    await page.waitForURL(/\/app\/posts\/post_/);
    publishedId = postIdOfUrl();
    // The page updates by itself while the delivery goes out.
    const published = page.getByRole('link', { name: new RegExp(`^https://bsky\\.app/profile/${user.handle}/post/`) });
    await published.first().waitFor({ timeout: 20_000 });
    await check('post-published');
    const href = (await published.first().getAttribute('href')) ?? '';
    const [record] = (await client.listPosts(user.did)) as { uri: string; value: Record<string, unknown> }[];
    expect(href.split('/').pop()).toBe(record?.uri.split('/').pop());
    expect(record?.value.text).toBe('Hello from the web page https://example.com');
    expect((record?.value.embed as { images: { alt: string }[] } | undefined)?.images[0]?.alt).toBe('A grey rectangle');
    // The attachment is shown, loaded (not just its alt text in a broken frame).
    const image = page.getByRole('img', { name: 'A grey rectangle' });
    await image.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => (el as unknown as { complete: boolean }).complete, await image.elementHandle());
    expect(await image.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(64);
  }, 60_000);

  it('schedules a post for later and shows it in the calendar at the local time of the browser', async () => {
    await page.goto(`${base}/app/compose`);
    await page.getByLabel(`Bluesky ${user.handle}`).check();
    await page.getByLabel('Text', { exact: true }).fill('Tomorrow morning in Berlin');
    await page.getByLabel(/^When/).fill('tomorrow 9am');
    // The author's zone is Berlin; the browser is in Tokyo.
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Schedule post' }).click();
    await page.waitForURL(/\/app\/posts\/post_/);
    scheduledId = postIdOfUrl();
    const stored = (await h.ctx.posts.get(h.workspaceId, scheduledId))?.post;
    const at = stored?.scheduledAt ?? 0;
    expect(localParts(at, 'Europe/Berlin').time).toBe('09:00');
    const tokyo = localParts(at, viewerZone);
    expect(await page.locator('main').textContent()).toContain(`${tokyo.date} ${tokyo.time}`);

    await visit(`/app?view=week&at=${tokyo.date}`, 'calendar-week');
    const item = page.locator(`[data-date="${tokyo.date}"] li[data-post="${scheduledId}"]`);
    expect(await item.locator('time').textContent()).toBe(tokyo.time);
    await expect(item.getByRole('link').textContent()).resolves.toContain('Tomorrow morning in Berlin');
    await visit(`/app?view=month&at=${tokyo.date}`, 'calendar-month');
    expect(await page.locator(`[data-date="${tokyo.date}"] li[data-post="${scheduledId}"] time`).textContent()).toBe(
      tokyo.time,
    );
  }, 60_000);

  it('edits the scheduled post: new text and time, shown on its page and in the calendar', async () => {
    await page.goto(`${base}/app/posts/${scheduledId}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(/\/edit$/);
    await check('edit');
    await page.getByLabel('Text', { exact: true }).fill('Tomorrow at ten in Berlin');
    await page.getByLabel('When', { exact: true }).fill('tomorrow 10am');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`/app/posts/${scheduledId}$`));
    expect(await page.locator('main').textContent()).toContain('Tomorrow at ten in Berlin');
    const at = (await h.ctx.posts.get(h.workspaceId, scheduledId))?.post.scheduledAt ?? 0;
    expect(localParts(at, 'Europe/Berlin').time).toBe('10:00');
    const tokyo = localParts(at, viewerZone);
    await page.goto(`${base}/app?view=week&at=${tokyo.date}`);
    expect(await page.locator(`li[data-post="${scheduledId}"] time`).textContent()).toBe(tokyo.time);
  }, 60_000);

  it('refuses a form without the CSRF token with a page that says to reload, and does nothing', async () => {
    await page.goto(`${base}/app/posts/${scheduledId}`);
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { remove(): void }[] } })
        .document;
      for (const input of doc.querySelectorAll('input[name=_csrf]')) input.remove();
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Cancel' }).click(),
    ]);
    expect(response.status()).toBe(403);
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This form is out of date');
    expect(await page.locator('main').textContent()).toContain('Reload the page and try again');
    await check('csrf-refused');
    const still = await h.ctx.posts.get(h.workspaceId, scheduledId);
    expect(still?.deliveries.map((d) => d.state)).toEqual(['scheduled']);
  }, 60_000);

  it('cancels the scheduled post from its page', async () => {
    await page.goto(`${base}/app/posts/${scheduledId}`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForLoadState('load');
    await expect(page.locator('#post-status').textContent()).resolves.toContain('Cancelled');
    await check('post-cancelled');
    const after = await h.ctx.posts.get(h.workspaceId, scheduledId);
    expect(after?.deliveries.map((d) => d.state)).toEqual(['cancelled']);
    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 20 });
    expect(audit.find((a) => a.action === 'post.cancelled')?.actor).toMatchObject({ kind: 'web', id: 'cli' });
  }, 60_000);

  it('retries a delivery that failed (Mastodon answered 500) and shows it published', async () => {
    mastodon.failNext({ kind: 'transient', status: 500, message: 'Mastodon answered 500' });
    await page.goto(`${base}/app/compose`);
    await page.getByRole('checkbox', { name: /^Mastodon / }).check();
    await page.getByLabel('Text', { exact: true }).fill('A post that fails once');
    await page.getByLabel(/^When/).fill('now');
    await page.getByRole('button', { name: 'Schedule post' }).click();
    await page.waitForURL(/\/app\/posts\/post_/);
    const id = postIdOfUrl();
    await page.getByText('Mastodon answered 500').first().waitFor({ timeout: 20_000 });
    await check('post-failed');
    await page.getByRole('button', { name: 'Retry failed' }).click();
    await page.waitForLoadState('load');
    await page.locator('#post-status', { hasText: 'Published' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'post-retried');
    expect(mastodon.posts.size).toBe(1);
    const after = await h.ctx.posts.get(h.workspaceId, id);
    expect(after?.deliveries.map((d) => d.state)).toEqual(['published']);
    // Two calls to Mastodon: the one that answered 500, the retry.
    expect(mastodon.calls).toBe(2);
  }, 60_000);

  it('the other pages pass the accessibility check: posts list, accounts, hooks, sign out', async () => {
    await visit('/app/posts', 'posts-list');
    await visit('/app/accounts', 'accounts');
    await visit('/app/hooks', 'hooks');
    // The README's pictures (docs/images/ holds copies): the month, and the published post.
    await page.goto(`${base}/app`);
    await screenshot(page, 'readme-calendar', { fullPage: false });
    await page.goto(`${base}/app/posts/${publishedId}`);
    await screenshot(page, 'readme-post', { fullPage: false });
    await page.getByRole('link', { name: 'Sign out' }).click();
    await check('sign-out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You are signed out');
    await page.goto(`${base}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/login');
  }, 60_000);

  it('the accessibility check itself finds a control without a label', async () => {
    await page.setContent('<!doctype html><html lang="en"><title>x</title><main><input type="text"></main></html>');
    expect((await accessibilityProblems(page)).join('\n')).toMatch(/^critical label/);
  });

  it('refuses a sign-in link after 15 minutes', async () => {
    const url = await link();
    offsetMs = 16 * 60_000;
    try {
      const response = await page.goto(url);
      expect(response?.status()).toBe(410);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This sign-in link has expired');
      expect(await page.locator('main').textContent()).toContain('hayon web login');
      await check('link-expired');
      expect((await context.cookies()).find((c) => c.name === 'hayon_session')).toBeUndefined();
    } finally {
      offsetMs = 0;
    }
  }, 60_000);
});

/** A port nothing listens on now (the OS's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
