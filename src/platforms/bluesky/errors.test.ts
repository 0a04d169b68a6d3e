import { XRPCError } from '@atproto/api';
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../core/errors.js';
import { isSessionError, retryAfter, routes, toPlatformError } from './errors.js';

const now = Date.UTC(2026, 10, 28, 12, 0, 0);
const map = (e: unknown) => toPlatformError(e, routes.createRecord, now);
const kindOf = (e: unknown) => (map(e) as PlatformError).kind;

describe('toPlatformError', () => {
  it('network failures, timeouts and 5xx are transient', () => {
    expect(kindOf(XRPCError.from(new TypeError('fetch failed')))).toBe('transient');
    expect(kindOf(XRPCError.from(new DOMException('The operation timed out.', 'TimeoutError')))).toBe('transient');
    expect(kindOf(new DOMException('This operation was aborted', 'AbortError'))).toBe('transient');
    expect(kindOf(new XRPCError(500, 'InternalServerError', 'Internal Server Error'))).toBe('transient');
    expect(kindOf(new XRPCError(503, undefined, 'down'))).toBe('transient');
    expect(kindOf(new XRPCError(2, 'InvalidResponse', 'bad output'))).toBe('transient');
  });

  it('429 is rate_limited with the wait from ratelimit-reset (epoch seconds)', () => {
    const e = map(
      new XRPCError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', {
        'ratelimit-reset': String(now / 1000 + 90),
        'ratelimit-remaining': '0',
      }),
    ) as PlatformError;
    expect(e).toBeInstanceOf(PlatformError);
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBe(90_000);
    expect(e.retryable).toBe(true);
    expect(e.httpStatus).toBe(429);
    expect(e.route).toBe('com.atproto.repo.createRecord');
    expect(e.message).toBe('Bluesky rate limit reached (com.atproto.repo.createRecord). Retry in 90 s.');
  });

  it('429 without usable headers has no retryAfterMs', () => {
    const e = map(new XRPCError(429, 'RateLimitExceeded', 'slow down')) as PlatformError;
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBeUndefined();
  });

  it('401, token errors and a taken-down account are auth', () => {
    for (const e of [
      new XRPCError(401, 'AuthenticationRequired', 'Invalid identifier or password'),
      new XRPCError(400, 'ExpiredToken', 'Token has expired'),
      new XRPCError(400, 'InvalidToken', 'Token could not be verified'),
      new XRPCError(401, 'AccountTakedown', 'Account has been taken down'),
    ]) {
      const mapped = map(e) as PlatformError;
      expect(mapped.kind).toBe('auth');
      expect(mapped.retryable).toBe(false);
    }
  });

  it('400 InvalidRequest, blob too big and record validation are invalid, with the reason', () => {
    const tooBig = map(
      new XRPCError(
        400,
        'InvalidRequest',
        'Invalid app.bsky.feed.post record: blob too big (maximum 1000000, got 1200000) at $.record.embed.images[0].image',
      ),
    ) as PlatformError;
    expect(tooBig.kind).toBe('invalid');
    expect(tooBig.message).toContain('blob too big (maximum 1000000, got 1200000)');
    expect(kindOf(new XRPCError(413, 'PayloadTooLarge', 'request entity too large'))).toBe('invalid');
    expect(kindOf(new XRPCError(400, 'InvalidRequest', 'Invalid record key'))).toBe('invalid');
  });

  it('keeps tokens out of the message', () => {
    const jwt = 'eyJ0eXAiOiJhdCtqd3QifQ.eyJzdWIiOiJkaWQ6cGxjOngifQ.c2lnbmF0dXJl';
    const e = map(new XRPCError(400, 'InvalidRequest', `bad header Bearer ${jwt} and ${jwt}`)) as PlatformError;
    expect(e.message).not.toContain('eyJ');
    expect(e.message).not.toContain('c2lnbmF0dXJl');
    expect(e.publicMessage).not.toContain('eyJ');
  });

  it('returns PlatformErrors and unrelated errors (bugs) unchanged', () => {
    const pe = new PlatformError('auth', 'x', { platform: 'bluesky' });
    expect(map(pe)).toBe(pe);
    const bug = new TypeError("Cannot read properties of undefined (reading 'did')");
    expect(map(bug)).toBe(bug);
  });
});

describe('retryAfter', () => {
  it('reads retry-after in seconds or as an HTTP date, before ratelimit-reset', () => {
    expect(retryAfter({ 'retry-after': '30', 'ratelimit-reset': String(now / 1000 + 90) }, now)).toBe(30_000);
    expect(retryAfter({ 'Retry-After': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(retryAfter({ 'ratelimit-reset': String(now / 1000 - 10) }, now)).toBe(0);
    expect(retryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
  });
});

describe('isSessionError', () => {
  it('is true for errors a refresh or login can fix, false for a blocked account', () => {
    expect(isSessionError(new XRPCError(400, 'ExpiredToken', 'expired'))).toBe(true);
    expect(isSessionError(new XRPCError(400, 'InvalidToken', 'bad'))).toBe(true);
    expect(isSessionError(new XRPCError(401, 'AuthenticationRequired', 'x'))).toBe(true);
    expect(isSessionError(new XRPCError(401, 'AccountTakedown', 'x'))).toBe(false);
    expect(isSessionError(new XRPCError(400, 'InvalidRequest', 'x'))).toBe(false);
  });
});
