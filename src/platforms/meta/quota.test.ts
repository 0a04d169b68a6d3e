import { describe, expect, it } from 'vitest';
import { fitsAfterMs, quotaFor } from './quota.js';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 28, 12);

describe('quotaFor', () => {
  it('reads the posts or the replies quota', () => {
    const row = {
      quota_usage: 4,
      config: { quota_total: 250, quota_duration: 86_400 },
      reply_quota_usage: 1,
      reply_config: { quota_total: 1000, quota_duration: 86_400 },
    };
    expect(quotaFor(row, false)).toEqual({ usage: 4, total: 250, durationMs: 24 * HOUR });
    expect(quotaFor(row, true)).toEqual({ usage: 1, total: 1000, durationMs: 24 * HOUR });
    expect(quotaFor({ quota_usage: 3 }, false)).toBeUndefined();
  });
});

describe('fitsAfterMs', () => {
  const quota = { usage: 50, total: 50, durationMs: 24 * HOUR };
  it('waits until the oldest post in the window leaves it', () => {
    expect(fitsAfterMs(quota, [now - HOUR, now - 20 * HOUR, now - 30 * HOUR], now)).toBe(4 * HOUR);
  });
  it('without posts, a share of the window; never under a minute', () => {
    expect(fitsAfterMs(quota, [], now)).toBe((24 * HOUR) / 50);
    expect(fitsAfterMs(quota, [now - 24 * HOUR + 1000], now)).toBe(60_000);
  });
});
