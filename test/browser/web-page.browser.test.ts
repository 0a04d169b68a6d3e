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
  const offsetMs = 0;

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
    // The page updates by itself while the delivery goes out.
    const published = page.getByRole('link', { name: new RegExp(`^https://bsky\\.app/profile/${user.handle}/post/`) });
    await published.first().waitFor({ timeout: 20_000 });
    await check('post-published');
    const href = (await published.first().getAttribute('href')) ?? '';
    const [record] = (await client.listPosts(user.did)) as { uri: string; value: Record<string, unknown> }[];
    expect(href.split('/').pop()).toBe(record?.uri.split('/').pop());
    expect(record?.value.text).toBe('Hello from the web page https://example.com');
    expect((record?.value.embed as { images: { alt: string }[] }).images[0]?.alt).toBe('A grey rectangle');
    // The attachment is shown, loaded (not just its alt text in a broken frame).
    const image = page.getByRole('img', { name: 'A grey rectangle' });
    await image.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete, await image.elementHandle());
    expect(await image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(64);
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
