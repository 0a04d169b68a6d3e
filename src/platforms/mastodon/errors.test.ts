import { describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../http.js';
import { toPlatformError } from './errors.js';

const at = { platform: 'mastodon', method: 'POST', route: '/api/v1/statuses' } as const;
const now = Date.parse('2026-11-28T12:00:00Z');
const answer = (status: number, body: unknown = null, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  body,
  headers: new Headers(headers),
});

describe('toPlatformError (Mastodon)', () => {
  it('a 429 is rate_limited until X-RateLimit-Reset', () => {
    const err = toPlatformError(
      answer(429, { error: 'Too many requests' }, { 'x-ratelimit-reset': '2026-11-28T12:05:00.000Z' }),
      at,
      now,
    );
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 300_000, httpStatus: 429 });
    expect(err.message).toBe('Mastodon rate limit reached (POST /api/v1/statuses). Retry in 300 s.');
  });

  it('a 429 with Retry-After in seconds', () => {
    expect(toPlatformError(answer(429, null, { 'retry-after': '30' }), at, now).retryAfterMs).toBe(30_000);
  });

  it('a revoked or invalid token (401) and a forbidden token (403) are auth', () => {
    const revoked = toPlatformError(answer(401, { error: 'The access token was revoked' }), at, now);
    expect(revoked.kind).toBe('auth');
    expect(revoked.message).toBe(
      "Mastodon refused the account's token (401: The access token was revoked); reconnect the account.",
    );
    expect(toPlatformError(answer(403, { error: 'This action is outside the authorized scopes' }), at).kind).toBe(
      'auth',
    );
  });

  it("a 422 is invalid with Mastodon's sentence", () => {
    const err = toPlatformError(answer(422, { error: 'Validation failed: Text character limit of 500 exceeded' }), at);
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe(
      'Mastodon rejected POST /api/v1/statuses (422): Validation failed: Text character limit of 500 exceeded',
    );
  });

  it('a 5xx is transient and does not quote an HTML error page', () => {
    const err = toPlatformError(answer(502, '<html>Bad Gateway</html>'), at);
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Mastodon answered 502 (POST /api/v1/statuses).');
  });

  it('a token quoted in an error text is redacted', () => {
    const err = toPlatformError(answer(400, { error: 'bad header Bearer abc.def-secret' }), at);
    expect(err.message).not.toContain('abc.def-secret');
  });
});
