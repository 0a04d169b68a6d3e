import { describe, expect, it } from 'vitest';
import type { CallSite, HttpAnswer } from '../http.js';
import { explainForbidden, nextTumblrDay, toPlatformError } from './errors.js';

const create: CallSite = { platform: 'tumblr', method: 'POST', route: '/v2/blog/{blog}/posts' };
const list: CallSite = { platform: 'tumblr', method: 'GET', route: '/v2/blog/{blog}/posts' };
// 2026-11-28 19:00 UTC = 14:00 in New York (EST): Tumblr's day ends at 2026-11-29 05:00 UTC.
const now = Date.UTC(2026, 10, 28, 19, 0, 0);
const tillReset = Date.UTC(2026, 10, 29, 5, 0, 0) - now;

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: new Headers(headers),
  body,
});

describe('Tumblr error mapping', () => {
  it('401 is auth, and the message carries no token', () => {
    const e = toPlatformError(
      answer(401, { meta: { status: 401, msg: 'Unauthorized' }, errors: [{ title: 'Bearer abc.def', code: 1016 }] }),
      create,
      now,
    );
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401, platform: 'tumblr' });
    expect(e.message).not.toContain('abc.def');
  });

  it('429 waits for the exhausted window from the X-Ratelimit headers', () => {
    const e = toPlatformError(
      answer(
        429,
        { meta: { status: 429, msg: 'Limit Exceeded' } },
        { 'x-ratelimit-perhour-remaining': '0', 'x-ratelimit-perhour-reset': '1800' },
      ),
      list,
      now,
    );
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1_800_000 });
    expect(e.message).toBe('Tumblr rate limit reached (GET /v2/blog/{blog}/posts): Limit Exceeded. Retry in 1800 s.');
  });

  it('429 prefers Retry-After', () => {
    const e = toPlatformError(answer(429, null, { 'retry-after': '7' }), create, now);
    expect(e.retryAfterMs).toBe(7000);
  });

  it('a bare 429 on post creation is the daily post limit: wait till the next Tumblr day', () => {
    const e = toPlatformError(answer(429, { meta: { status: 429, msg: 'Limit Exceeded' } }), create, now);
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: tillReset });
    expect(e.message).toContain("Tumblr's daily limit reached");
    expect(toPlatformError(answer(429, null), list, now).retryAfterMs).toBe(60_000);
  });

  it('403 with subcode 8023 (daily posting limit) is rate_limited till the reset, not auth', () => {
    const e = toPlatformError(
      answer(403, { meta: { status: 403, msg: 'Forbidden' }, errors: [{ title: 'Post limit reached', code: 8023 }] }),
      create,
      now,
    );
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: tillReset });
    expect(e.message).toBe(
      `Tumblr's daily limit reached (POST /v2/blog/{blog}/posts): Post limit reached. Retry in ${tillReset / 1000} s.`,
    );
  });

  it('the legacy 400 "You\'ve exceeded your daily post limit." is rate_limited too', () => {
    const e = toPlatformError(
      answer(400, {
        meta: { status: 400, msg: 'Bad Request' },
        response: { errors: ["You've exceeded your daily post limit."] },
      }),
      create,
      now,
    );
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: tillReset });
  });

  it('403 without a subcode is auth; 403.8010 (video transcoding) waits', () => {
    expect(toPlatformError(answer(403, { meta: { status: 403, msg: 'Forbidden' } }), create, now).kind).toBe('auth');
    expect(toPlatformError(answer(403, { errors: [{ title: 'transcoding', code: 8010 }] }), create, now)).toMatchObject(
      { kind: 'rate_limited', retryAfterMs: 300_000 },
    );
  });

  it("5xx is transient; 400 is invalid with Tumblr's sentence", () => {
    expect(toPlatformError(answer(503, null), create, now)).toMatchObject({ kind: 'transient', httpStatus: 503 });
    const e = toPlatformError(
      answer(400, {
        meta: { status: 400, msg: 'Bad Request' },
        errors: [{ title: "'content' must be an array'", code: 8001 }],
      }),
      create,
      now,
    );
    expect(e).toMatchObject({ kind: 'invalid', httpStatus: 400 });
    expect(e.message).toBe("Tumblr rejected POST /v2/blog/{blog}/posts (400): 'content' must be an array'");
  });

  it('finds the next midnight in New York, across DST changes', () => {
    expect(new Date(nextTumblrDay(now)).toISOString()).toBe('2026-11-29T05:00:00.000Z');
    // Summer (EDT): midnight is 04:00 UTC.
    expect(new Date(nextTumblrDay(Date.UTC(2026, 6, 1, 12))).toISOString()).toBe('2026-07-02T04:00:00.000Z');
    // 2026-11-01 is 25 hours long in New York; 2026-03-08 is 23.
    expect(new Date(nextTumblrDay(Date.UTC(2026, 10, 1, 12))).toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(new Date(nextTumblrDay(Date.UTC(2026, 2, 8, 12))).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(new Date(nextTumblrDay(Date.UTC(2026, 2, 8, 3))).toISOString()).toBe('2026-03-08T05:00:00.000Z');
  });

  it('a 403 tumblr.js reported without a subcode is explained by the spent limits of /v2/user/limits', () => {
    const spent = (reset?: number) => ({
      user: {
        follows: { description: 'follows per day', limit: 200, remaining: 12 },
        posts: { description: 'posts per day', limit: 250, remaining: 0, ...(reset ? { reset_at: reset } : {}) },
      },
    });
    const inAnHour = explainForbidden(create, spent(now / 1000 + 3600), false, now);
    expect(inAnHour).toMatchObject({ kind: 'rate_limited', httpStatus: 403, retryAfterMs: 3_600_000 });
    expect(inAnHour?.message).toBe(
      "Tumblr's daily limit reached (POST /v2/blog/{blog}/posts): posts per day. Retry in 3600 s.",
    );
    // No reset time given (or one already past): Tumblr's next day.
    expect(explainForbidden(create, spent(), false, now)?.retryAfterMs).toBe(tillReset);
    expect(explainForbidden(create, spent(now / 1000 - 10), false, now)?.retryAfterMs).toBe(tillReset);
    const none = { user: { posts: { limit: 250, remaining: 3 } } };
    expect(explainForbidden(create, none, true, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 300_000 });
    expect(explainForbidden(create, none, false, now)).toBeNull();
    expect(explainForbidden(create, null, false, now)).toBeNull();
  });
});
