import { describe, expect, it } from 'vitest';
import { decideRetry, defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 10_000, jitter: 0.2 };
const noJitter = () => 0;
const delayOf = (decision: ReturnType<typeof decideRetry>): number => {
  if (!decision.retry) throw new Error(`not retried: ${decision.reason}`);
  return decision.delayMs;
};

describe('decideRetry', () => {
  it.each(['auth', 'invalid'] as const)('never retries %s, even on the first attempt', (kind) => {
    expect(decideRetry(kind, 1, policy, undefined, noJitter)).toEqual({ retry: false, reason: 'permanent' });
    expect(decideRetry(kind, 1, policy, 5_000, noJitter)).toEqual({ retry: false, reason: 'permanent' });
  });

  it.each(['transient', 'rate_limited', 'internal'] as const)('retries %s until the attempts are spent', (kind) => {
    expect(decideRetry(kind, 9, policy, undefined, noJitter).retry).toBe(true);
    expect(decideRetry(kind, 10, policy, undefined, noJitter)).toEqual({ retry: false, reason: 'attempts_spent' });
    expect(decideRetry(kind, 11, policy, undefined, noJitter)).toEqual({ retry: false, reason: 'attempts_spent' });
  });

  it('stops a platform that always answers 429 once the attempts are spent', () => {
    expect(decideRetry('rate_limited', 10, policy, 1_000, noJitter)).toEqual({
      retry: false,
      reason: 'attempts_spent',
    });
  });

  it('doubles the delay from the base and caps it at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5, 6, 9].map((attempts) =>
      delayOf(decideRetry('transient', attempts, policy, undefined, noJitter)),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('adds jitter between 0 and the jitter fraction of the delay', () => {
    const at = (r: number, attempts = 3) => delayOf(decideRetry('transient', attempts, policy, undefined, () => r));
    expect(at(0)).toBe(4_000);
    expect(at(0.5)).toBe(4_400);
    expect(at(0.999_999)).toBeLessThanOrEqual(4_800);
    expect(at(0.999_999)).toBeGreaterThan(4_790);
    for (let i = 0; i < 200; i++) {
      const delay = delayOf(decideRetry('transient', 3, policy));
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(4_800);
    }
  });

  it('waits at least the retry-after of a rate limit', () => {
    expect(delayOf(decideRetry('rate_limited', 1, policy, 7_500, noJitter))).toBeGreaterThanOrEqual(7_500);
    expect(delayOf(decideRetry('rate_limited', 3, policy, 7_500, () => 0.9))).toBeGreaterThanOrEqual(7_500);
    expect(delayOf(decideRetry('rate_limited', 1, policy, 7_500, noJitter))).toBeLessThan(8_000);
  });

  it('honours a retry-after beyond maxDelayMs: the platform said so', () => {
    expect(delayOf(decideRetry('rate_limited', 2, policy, 3_600_000, noJitter))).toBe(3_600_000);
  });

  it('does not retry a rate limit sooner than the base delay, even when retry-after is shorter', () => {
    const delay = delayOf(decideRetry('rate_limited', 4, policy, 10, noJitter));
    expect(delay).toBeGreaterThanOrEqual(1_000);
    expect(delay).toBeLessThanOrEqual(10_000);
  });

  it('backs off as usual for a rate limit without retry-after', () => {
    expect(delayOf(decideRetry('rate_limited', 3, policy, undefined, noJitter))).toBe(4_000);
  });

  it('defaults to 6 attempts, 5 s doubling, at most an hour', () => {
    expect(defaultRetryPolicy).toEqual({ maxAttempts: 6, baseDelayMs: 5_000, maxDelayMs: 3_600_000, jitter: 0.2 });
    expect(delayOf(decideRetry('transient', 1, undefined, undefined, noJitter))).toBe(5_000);
    expect(delayOf(decideRetry('transient', 5, undefined, undefined, noJitter))).toBe(80_000);
    expect(decideRetry('transient', 6, undefined, undefined, noJitter)).toEqual({
      retry: false,
      reason: 'attempts_spent',
    });
  });
});
