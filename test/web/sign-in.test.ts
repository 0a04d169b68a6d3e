import { afterEach, describe, expect, it } from 'vitest';
import { webLinkTtlMs } from '../../src/services/web-sessions.js';
import { type StartOptions, startHayon, type TestHayon } from '../harness.js';

let now = Date.parse('2026-12-07T10:00:00Z');
let h: TestHayon | undefined;

async function start(options: StartOptions = {}): Promise<TestHayon> {
  now = Date.parse('2026-12-07T10:00:00Z');
  h = await startHayon({ worker: false, clock: () => now, ...options });
  return h;
}

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** The path of a link (`http://localhost:8787/app/login/…` → `/app/login/…`). */
const pathOf = (url: string) => new URL(url).pathname;
/** `hayon_session=…` from a Set-Cookie header. */
const cookieOf = (r: { headers: Headers }) => (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe('signing in to the web page with a one-time link', () => {
  it('without a session, /app leads to a page that says how to get a link', async () => {
    const h = await start();
    const r = await h.request('/app');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/app/login');
    const page = await (await h.request('/app/login')).text();
    expect(page).toContain('<h1>Sign in</h1>');
    expect(page).toContain('hayon web login');
    expect(page).toContain('/hayon web');
  });

  it('a link opens an HttpOnly, SameSite=Lax session cookie once, acting as who asked', async () => {
    const h = await start();
    const { url, expiresAt } = await h.ctx.webSessions.createLink(h.workspaceId, {
      kind: 'slack',
      id: 'U1',
      name: 'alice',
    });
    expect(url).toMatch(/^http:\/\/localhost:8787\/app\/login\/[\w-]{43}$/);
    expect(expiresAt - now).toBe(webLinkTtlMs);
    // A HEAD (a link preview) leaves the link unused.
    expect((await h.request(pathOf(url), { method: 'HEAD' })).status).toBe(200);
    const used = await h.request(pathOf(url));
    expect(used.status).toBe(303);
    expect(used.headers.get('location')).toBe('/app');
    const setCookie = used.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^hayon_session=[\w-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/app');
    expect(setCookie).not.toContain('Secure');
    const calendar = await h.request('/app', { headers: { cookie: cookieOf(used) } });
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('cache-control')).toBe('no-store');

    const again = await h.request(pathOf(url));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This sign-in link was already used');
    expect(again.headers.get('set-cookie')).toBeNull();

    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 10 });
    expect(audit.map((a) => [a.action, a.actor]).sort()).toEqual([
      ['web.link_created', { kind: 'slack', id: 'U1', name: 'alice' }],
      ['web.signed_in', { kind: 'web', id: 'slack:U1', name: 'alice' }],
    ]);
  });

  it('refuses a link after 15 minutes, and one it never handed out', async () => {
    const h = await start();
    const { url } = await h.ctx.webSessions.createLink(h.workspaceId, { kind: 'cli', name: 'ada' });
    now += webLinkTtlMs;
    const late = await h.request(pathOf(url));
    expect(late.status).toBe(410);
    const page = await late.text();
    expect(page).toContain('This sign-in link has expired');
    expect(page).toContain('hayon web login');
    const forged = await h.request(`/app/login/${'x'.repeat(43)}`);
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain('This sign-in link is not valid');
  });

  it('a link the store cannot check: a 503 page, and the token in no log line', async () => {
    const h = await start();
    const { url } = await h.ctx.webSessions.createLink(h.workspaceId, { kind: 'cli' });
    const token = url.split('/').pop() ?? '';
    h.ctx.store.useWebLogin = async () => {
      throw new Error('database not answering');
    };
    const r = await h.request(pathOf(url));
    expect(r.status).toBe(503);
    expect(await r.text()).toContain('Try the same link again in a minute');
    expect(h.logs.some((l) => l.msg === 'a sign-in link could not be checked')).toBe(true);
    expect(JSON.stringify(h.logs)).not.toContain(token);
  });

  it('marks the cookie Secure when hayon is reached over https', async () => {
    const h = await start({ env: { publicUrl: 'https://hayon.example' } });
    const { url } = await h.ctx.webSessions.createLink(h.workspaceId, { kind: 'cli' });
    expect(url.startsWith('https://hayon.example/app/login/')).toBe(true);
    const used = await h.request(pathOf(url));
    expect(used.headers.get('set-cookie')).toContain('Secure');
  });

  it('ends a session after the idle time and after the absolute limit', async () => {
    const h = await start({ env: { webIdleHours: '2', webSessionDays: '1' } });
    const open = async () => {
      const { cookie } = await h.ctx.webSessions.open(h.workspaceId, { kind: 'web', id: 'cli' });
      return () => h.request('/app', { headers: { cookie: `hayon_session=${cookie}` } });
    };
    const idle = await open();
    now += 119 * 60_000;
    expect((await idle()).status).toBe(200);
    now += 121 * 60_000;
    expect((await idle()).headers.get('location')).toBe('/app/login');

    const busy = await open();
    const end = now + 86_400_000;
    while (now + 110 * 60_000 < end) {
      now += 110 * 60_000; // visits under 2 hours apart keep it open…
      expect((await busy()).status).toBe(200);
    }
    now = end; // …until a day after signing in
    expect((await busy()).headers.get('location')).toBe('/app/login');
  });

  it('signs out with the CSRF token only; the cookie opens nothing after', async () => {
    const h = await start();
    const { session, cookie } = await h.ctx.webSessions.open(h.workspaceId, { kind: 'web', id: 'cli', name: 'ada' });
    const headers = { cookie: `hayon_session=${cookie}`, 'content-type': 'application/x-www-form-urlencoded' };
    const page = await (await h.request('/app/logout', { headers })).text();
    expect(page).toContain('<button type="submit" class="primary">Sign out</button>');
    const refused = await h.request('/app/logout', { method: 'POST', headers, body: '' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Reload the page and try again');
    const out = await h.request('/app/logout', { method: 'POST', headers, body: `_csrf=${session.csrfToken}` });
    expect(out.status).toBe(200);
    expect(await out.text()).toContain('You are signed out');
    expect(out.headers.get('set-cookie')).toMatch(/^hayon_session=;.*Max-Age=0/);
    expect((await h.request('/app', { headers })).status).toBe(303);
    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 1 });
    expect(audit[0]).toMatchObject({ action: 'web.signed_out', actor: { kind: 'web', id: 'cli', name: 'ada' } });
  });
});
