import { MastoHttpError, MastoTimeoutError, MastoUnexpectedError } from 'masto';
import { describe, expect, it } from 'vitest';
import { fromAnswer, toPlatformError } from './errors.js';

const at = { platform: 'mastodon', method: 'POST', route: '/api/v1/statuses' } as const;
const now = Date.parse('2026-11-28T12:00:00Z');
const answer = (status: number, said = '', headers: Record<string, string> = {}) => ({
  status,
  said,
  headers: new Headers(headers),
});
/** What masto throws for an error answer: the answer itself is the error's cause. */
const mastoError = (status: number, error: string, headers: Record<string, string> = {}) =>
  new MastoHttpError({ statusCode: status, message: error }, { cause: new Response(null, { status, headers }) });

describe('fromAnswer (Mastodon)', () => {
  it('a 429 is rate_limited until X-RateLimit-Reset', () => {
    const err = fromAnswer(
      answer(429, 'Too many requests', { 'x-ratelimit-reset': '2026-11-28T12:05:00.000Z' }),
      at,
      now,
    );
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 300_000, httpStatus: 429 });
    expect(err.message).toBe('Mastodon rate limit reached (POST /api/v1/statuses). Retry in 300 s.');
  });

  it('a revoked or invalid token (401) and a forbidden token (403) are auth', () => {
    const revoked = fromAnswer(answer(401, 'The access token was revoked'), at, now);
    expect(revoked.kind).toBe('auth');
    expect(revoked.message).toBe(
      "Mastodon refused the account's token (401: The access token was revoked); reconnect the account.",
    );
    expect(fromAnswer(answer(403, 'This action is outside the authorized scopes'), at, now).kind).toBe('auth');
  });

  it("a 422 is invalid with Mastodon's sentence", () => {
    const err = fromAnswer(answer(422, 'Validation failed: Text character limit of 500 exceeded'), at, now);
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe(
      'Mastodon rejected POST /api/v1/statuses (422): Validation failed: Text character limit of 500 exceeded',
    );
  });

  it('a 5xx is transient and does not quote the answer', () => {
    const err = fromAnswer(answer(502, 'upstream connect error'), at, now);
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Mastodon answered 502 (POST /api/v1/statuses).');
  });
});

describe('toPlatformError (Mastodon, from what masto throws)', () => {
  it("reads Retry-After from the answer masto keeps as MastoHttpError's cause", () => {
    const err = toPlatformError(mastoError(429, 'Too many requests', { 'retry-after': '30' }), at, now);
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000, httpStatus: 429 });
  });

  it('a token quoted in an error text is redacted', () => {
    const err = toPlatformError(mastoError(400, 'bad header Bearer abc.def-secret'), at, now);
    expect(err.kind).toBe('invalid');
    expect(err.message).not.toContain('abc.def-secret');
  });

  it('a timeout, a dropped connection and an unreadable answer are transient, each said as such', () => {
    expect(toPlatformError(new MastoTimeoutError('Request timed out'), at, now)).toMatchObject({
      kind: 'transient',
      message: 'Mastodon did not answer in time (POST /api/v1/statuses).',
    });
    expect(toPlatformError(new TypeError('fetch failed'), at, now)).toMatchObject({
      kind: 'transient',
      message: 'Mastodon could not be reached (POST /api/v1/statuses).',
    });
    expect(toPlatformError(new MastoUnexpectedError('unknown encoding'), at, now)).toMatchObject({
      kind: 'transient',
      message: 'Mastodon gave an answer hayon could not read (POST /api/v1/statuses).',
    });
    expect(toPlatformError(new Error('anything'), at, now, true).message).toBe(
      'Mastodon did not answer in time (POST /api/v1/statuses).',
    );
  });
});
