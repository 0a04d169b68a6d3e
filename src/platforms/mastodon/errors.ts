import type { PlatformError } from '../../core/errors.js';
import { type CallSite, type HttpAnswer, platformError, redact, retryAfterMs } from '../http.js';

/**
 * Turns a Mastodon error answer into a PlatformError whose kind decides retries: 5xx is
 * transient, 429 rate_limited (until `X-RateLimit-Reset` or `Retry-After`), 401 and 403 (a
 * revoked token, missing scopes, a suspended account) auth, every other 4xx invalid with
 * Mastodon's sentence (`Validation failed: Text character limit of 500 exceeded`).
 */
export function toPlatformError(answer: HttpAnswer, site: CallSite, now: number = Date.now()): PlatformError {
  const { status } = answer;
  const said = errorText(answer.body);
  const at = `${site.method} ${site.route}`;
  if (status >= 500) return platformError(site, 'transient', `Mastodon answered ${status} (${at}).`, { status });
  if (status === 429) {
    const wait = retryAfterMs(answer.headers, now);
    const hint = wait === undefined ? '' : ` Retry in ${Math.ceil(wait / 1000)} s.`;
    return platformError(site, 'rate_limited', `Mastodon rate limit reached (${at}).${hint}`, {
      status,
      retryAfterMs: wait,
    });
  }
  if (status === 401 || status === 403) {
    return platformError(
      site,
      'auth',
      `Mastodon refused the account's token (${status}${said ? `: ${said}` : ''}); reconnect the account.`,
      { status },
    );
  }
  return platformError(site, 'invalid', `Mastodon rejected ${at} (${status})${said ? `: ${said}` : ''}`, { status });
}

function errorText(body: unknown): string {
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') return redact(body.error);
  if (typeof body === 'string' && body.length < 300 && !body.trimStart().startsWith('<')) return redact(body);
  return '';
}
