import { describe, expect, it } from 'vitest';
import { HayonError } from './errors.js';
import { RateLimiter } from './rate-limiter.js';

function refused(fn: () => void): HayonError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HayonError) return e;
  }
  throw new Error('expected a refusal');
}

describe('RateLimiter', () => {
  it('lets a burst of perMinute through, then refuses with the seconds until the next one', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 3; i++) limiter.take('a', 3, 'Authorization');
    const e = refused(() => limiter.take('a', 3, 'Authorization'));
    expect(e.status).toBe(429);
    expect(e.field).toBe('Authorization');
    // 3 a minute: one token every 20 s.
    expect(e.retryAfterSec).toBe(20);
    now = 19_000;
    expect(refused(() => limiter.take('a', 3, 'Authorization')).retryAfterSec).toBe(1);
    now = 20_000;
    expect(() => limiter.take('a', 3, 'Authorization')).not.toThrow();
  });

  it('counts each key on its own', () => {
    const limiter = new RateLimiter(() => 0);
    limiter.take('a', 1, 'x');
    expect(() => limiter.take('b', 1, 'x')).not.toThrow();
    expect(() => limiter.take('a', 1, 'x')).toThrow(HayonError);
  });
});
