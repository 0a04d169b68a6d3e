import type { FailureKind } from './errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one the delivery is parked (`failed`). */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Random spread added to each delay, as a fraction of it (0.2 = up to +20%). */
  jitter: number;
}

export const defaultRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 5_000,
  maxDelayMs: 60 * 60_000,
  jitter: 0.2,
} as const satisfies Required<RetryPolicy>;

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'permanent' | 'attempts_spent' };

/**
 * Whether and when to try again after a failed attempt. Only transient and rate-limited failures
 * are retried; a rate limit's retry-after is honoured even past `maxDelayMs` (the platform said
 * so), and counts as an attempt like any other so that a platform that always answers 429 cannot
 * hold a delivery forever.
 *
 * @param attempts attempts made so far, including the one that just failed
 */
export function decideRetry(
  kind: FailureKind | 'internal',
  attempts: number,
  policy: RetryPolicy = defaultRetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): RetryDecision {
  if (kind === 'auth' || kind === 'invalid') return { retry: false, reason: 'permanent' };
  if (attempts >= policy.maxAttempts) return { retry: false, reason: 'attempts_spent' };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const withJitter = Math.round(backoff * (1 + policy.jitter * random()));
  if (kind === 'rate_limited' && retryAfterMs !== undefined) {
    return { retry: true, delayMs: Math.max(retryAfterMs, Math.min(withJitter, policy.baseDelayMs)) };
  }
  return { retry: true, delayMs: withJitter };
}
