import { openWebSession } from '../../src/http/web/web-session.js';
import type { TestHayon, TestResponse } from '../harness.js';

/** A signed-in browser: GETs and form POSTs with the session cookie (and the CSRF token in forms). */
export interface Browser {
  csrf: string;
  get(path: string, cookies?: string): Promise<TestResponse>;
  /** A form POST; `_csrf` is added unless `csrf: false`. */
  post(path: string, fields: Record<string, string | string[]>, options?: { csrf?: boolean }): Promise<TestResponse>;
  postJson(path: string, body: unknown): Promise<TestResponse>;
  postMultipart(path: string, form: FormData): Promise<TestResponse>;
}

export async function signIn(h: TestHayon): Promise<Browser> {
  const { session, cookie } = await openWebSession(h.ctx, h.workspaceId, { kind: 'web', id: 'u1', name: 'Ada' });
  const withCookie = (extra?: string) => ({ cookie: extra ? `${cookie}; ${extra}` : cookie });
  return {
    csrf: session.csrfToken,
    get: (path, cookies) => h.request(path, { headers: withCookie(cookies) }),
    post: (path, fields, options = {}) => {
      const body = new URLSearchParams();
      if (options.csrf !== false) body.append('_csrf', session.csrfToken);
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
      return h.request(path, {
        method: 'POST',
        headers: { ...withCookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    },
    postJson: (path, body) =>
      h.request(path, {
        method: 'POST',
        headers: { ...withCookie(), 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(body),
      }),
    postMultipart: (path, form) => {
      form.append('_csrf', session.csrfToken);
      return h.request(path, { method: 'POST', headers: withCookie(), body: form });
    },
  };
}

/** The inside of the element carrying `data-date="date"` (a week's section or a month's cell). */
export function dayCell(page: string, date: string): string {
  const m = new RegExp(`<(section|td)[^>]*data-date="${date}"[^>]*>([\\s\\S]*?)</\\1>`).exec(page);
  return m?.[2] ?? '';
}

/** `2026-12-09` and `05:30` for an instant in a zone, by Intl (not by the code under test). */
export function localParts(at: number, zone: string): { date: string; time: string } {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}
