import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';
import { type Browser, signIn } from './web-helpers.js';

// What every page owes a keyboard or screen-reader user, checked on the HTML itself (the browser
// suite runs axe-core on the rendered pages).
describe('web pages: labels, headings, words beside colours', () => {
  let h: TestHayon;
  let browser: Browser;
  let postId: string;

  beforeAll(async () => {
    h = await startHayon({ platforms: { bluesky: new FakePlatform('bluesky') } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    postId = (
      await (await h.api('POST', '/v1/posts', { text: 'A post', targets: ['bluesky'], when: 'in 1 day' })).json()
    ).id;
    browser = await signIn(h);
  });
  afterAll(async () => h.stop());

  const pages = () => [
    '/app',
    '/app?view=week',
    '/app/posts',
    '/app/compose',
    '/app/accounts',
    '/app/hooks',
    `/app/posts/${postId}`,
    `/app/posts/${postId}/edit`,
  ];

  it('each page has a language, a skip link, one h1 and a label for every control', async () => {
    for (const path of pages()) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(200);
      const page = await res.text();
      expect(page, path).toMatch(/<html lang="en"/);
      expect(page, path).toContain('<a class="skip" href="#main">Skip to content</a>');
      expect(page.match(/<h1>/g)?.length, path).toBe(1);
      expect(page, path).toContain('<meta name="viewport"');
      for (const m of page.matchAll(/<(input|textarea|select)\b([^>]*)>/g)) {
        const attrs = m[2] ?? '';
        if (/type="hidden"/.test(attrs)) continue;
        const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
        expect(id, `${path}: ${m[0]}`).toBeTruthy();
        expect(page, `${path}: label for ${id}`).toContain(`<label for="${id}"`);
      }
      for (const m of page.matchAll(/<button\b[^>]*>([^<]*)<\/button>/g))
        expect(m[1]?.trim(), `${path}: ${m[0]}`).toBeTruthy();
      // A status colour always comes with its words.
      for (const m of page.matchAll(/<span class="st [^"]*"[^>]*>([^<]*)<\/span>/g))
        expect(m[1]?.trim(), path).toBeTruthy();
    }
  });

  it('serves inline scripts that parse (no bundle step to catch a typo)', async () => {
    for (const path of pages()) {
      const page = await (await browser.get(path)).text();
      for (const m of page.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
        expect(() => new Function(m[1] ?? ''), path).not.toThrow();
      }
    }
  });

  it('gives every form that changes something the CSRF token', async () => {
    for (const path of pages()) {
      const page = await (await browser.get(path)).text();
      for (const form of page.matchAll(/<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/g)) {
        expect(form[1], `${path}: ${form[0].slice(0, 80)}`).toContain(`name="_csrf" value="${browser.csrf}"`);
      }
    }
  });
});
