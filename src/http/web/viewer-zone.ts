import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { isValidTimeZone } from '../../core/schedule.js';

/** The cookie the pages' script sets to the browser's zone (`Intl…resolvedOptions().timeZone`). */
export const zoneCookie = 'hayon_tz';

/**
 * The zone times are shown in: `?tz=` when valid, else the browser's (the cookie), else the
 * workspace's, else the server's default.
 */
export function viewerZone(c: Context, fallback: string): string {
  for (const candidate of [c.req.query('tz'), getCookie(c, zoneCookie)]) {
    if (candidate && isValidTimeZone(candidate)) return candidate;
  }
  return fallback;
}
