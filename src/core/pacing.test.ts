import { describe, expect, it } from 'vitest';
import {
  decideBlock,
  decidePace,
  describeLimit,
  type PaceLedger,
  type PaceLimit,
  paceBlock,
  paceBucketMs,
  parsePaceLimits,
  refundPace,
} from './pacing.js';

const HOUR = 3_600_000;
const T0 = 1_750_000_000_000; // a multiple of the bucket size
const hourly: PaceLimit = { unit: 'points', max: 9, windowMs: HOUR };

/** Spends `cost` at each time in turn, storing the ledger as a store would. */
function spend(times: number[], cost = 3, limits: PaceLimit[] = [hourly]): PaceLedger | null {
  let ledger: PaceLedger | null = null;
  for (const t of times) {
    const d = decidePace(ledger, 'acct', limits, { points: cost }, t);
    if (!d.fits) throw new Error(`did not fit at ${t}`);
    ledger = d.ledger;
  }
  return ledger;
}

describe('decidePace', () => {
  it('lets spending through up to the limit, then says when the oldest spend leaves the window', () => {
    const ledger = spend([T0, T0 + 60_000, T0 + 120_000]);
    expect(ledger?.version).toBe(3);
    const d = decidePace(ledger, 'acct', [hourly], { points: 3 }, T0 + 180_000);
    expect(d).toEqual({ fits: false, at: T0 + paceBucketMs + HOUR, limit: hourly });
    // At that time it fits again (only the first spend has left).
    expect(decidePace(ledger, 'acct', [hourly], { points: 3 }, T0 + paceBucketMs + HOUR).fits).toBe(true);
  });

  it('waits for as many old spends to leave as the cost needs', () => {
    const ledger = spend([T0, T0 + 60_000, T0 + 120_000]);
    const d = decidePace(ledger, 'acct', [hourly], { points: 6 }, T0 + 180_000);
    expect(d).toMatchObject({ fits: false, at: T0 + 60_000 + paceBucketMs + HOUR });
  });

  it('with an hourly and a daily limit, the one that holds back longest decides', () => {
    const daily: PaceLimit = { unit: 'points', max: 12, windowMs: 24 * HOUR };
    const ledger = spend([T0, T0 + 2 * HOUR, T0 + 4 * HOUR, T0 + 6 * HOUR], 3, [hourly, daily]);
    const d = decidePace(ledger, 'acct', [hourly, daily], { points: 3 }, T0 + 8 * HOUR);
    expect(d).toEqual({ fits: false, at: T0 + paceBucketMs + 24 * HOUR, limit: daily });
  });

  it('keeps spends of one bucket together and drops those older than the longest window', () => {
    const ledger = spend([T0, T0 + 1_000, T0 + 2 * HOUR]);
    expect(ledger?.spent.points).toEqual([[T0 + 2 * HOUR, 3]]);
    const merged = spend([T0, T0 + 1_000], 1);
    expect(merged?.spent.points).toEqual([[T0, 2]]);
  });

  it('a cost larger than a whole window allows never fits; a unit no limit counts always fits', () => {
    expect(decidePace(null, 'acct', [hourly], { points: 10 }, T0)).toMatchObject({ fits: false, never: true });
    expect(decidePace(null, 'acct', [hourly], { posts: 1000 }, T0).fits).toBe(true);
    expect(decidePace(null, 'acct', [], { points: 1000 }, T0).fits).toBe(true);
  });
});

describe('decideBlock', () => {
  const large: PaceLimit = { unit: 'points', max: 5_000, windowMs: HOUR };
  const total = (ledger: PaceLedger | null) => ledger?.spent.points?.reduce((sum, [, n]) => sum + n, 0);

  it('far from the limit, spends a block of the cost in one ledger', () => {
    const d = decideBlock(null, 'acct', [large], { points: 3 }, T0);
    expect(d).toMatchObject({ fits: true, k: paceBlock });
    expect(d.fits && d.ledger.spent.points).toEqual([[T0, 3 * paceBlock]]);
    expect(decideBlock(null, 'acct', [large], { points: 3 }, T0, 1)).toMatchObject({ fits: true, k: 1 });
  });

  it('spends the cost alone when the block would take the account past half of a limit', () => {
    const ledger = spend([T0], 2_470, [large]);
    expect(decideBlock(ledger, 'acct', [large], { points: 3 }, T0 + 60_000)).toMatchObject({ fits: true, k: 10 });
    const near = spend([T0], 2_490, [large]);
    const d = decideBlock(near, 'acct', [large], { points: 3 }, T0 + 60_000);
    expect(d).toMatchObject({ fits: true, k: 1 });
    expect(total(d.fits ? d.ledger : null)).toBe(2_493);
    // Half of every limit the cost spends: far from the hourly one, near half of the daily one.
    const daily: PaceLimit = { unit: 'points', max: 5_000, windowMs: 24 * HOUR };
    const earlier = spend([T0 - 2 * HOUR], 2_490, [large, daily]);
    expect(decideBlock(earlier, 'acct', [large, daily], { points: 3 }, T0)).toMatchObject({ fits: true, k: 1 });
    expect(decideBlock(earlier, 'acct', [large], { points: 3 }, T0)).toMatchObject({ fits: true, k: 10 });
  });

  it('spends one by one under a small limit, 3 posts per 5 minutes or 25 a day', () => {
    for (const limit of [
      { unit: 'posts', max: 3, windowMs: 300_000 },
      { unit: 'posts', max: 25, windowMs: 24 * HOUR },
    ] satisfies PaceLimit[]) {
      expect(decideBlock(null, 'acct', [limit], { posts: 1 }, T0)).toMatchObject({ fits: true, k: 1 });
    }
  });

  it('when the cost does not fit, answers exactly as decidePace does', () => {
    const full = spend([T0, T0 + 60_000, T0 + 120_000]);
    const after = T0 + 180_000;
    expect(decideBlock(full, 'acct', [hourly], { points: 3 }, after)).toEqual(
      decidePace(full, 'acct', [hourly], { points: 3 }, after),
    );
    expect(decideBlock(null, 'acct', [large], { points: 6_000 }, T0)).toMatchObject({ fits: false, never: true });
  });
});

describe('refundPace', () => {
  it('takes an unspent rest back out of its bucket, keeping the version; an emptied bucket goes', () => {
    const ledger: PaceLedger = {
      accountId: 'acct',
      version: 4,
      spent: {
        points: [
          [T0, 30],
          [T0 + paceBucketMs, 6],
        ],
        images: [[T0, 2]],
      },
    };
    expect(refundPace(ledger, T0, { points: 24, images: 2 })).toEqual({
      accountId: 'acct',
      version: 4,
      spent: {
        points: [
          [T0, 6],
          [T0 + paceBucketMs, 6],
        ],
      },
    });
    // A bucket no longer in the ledger has nothing to give back.
    expect(refundPace(ledger, T0 - paceBucketMs, { points: 24 })).toEqual(ledger);
  });
});

describe('limits in words and from HAYON_PACE_LIMITS', () => {
  it('describes limits as a person reads them', () => {
    expect(describeLimit({ unit: 'points', max: 5000, windowMs: HOUR })).toBe('5,000 write points an hour');
    expect(describeLimit({ unit: 'requests', max: 300, windowMs: 300_000 })).toBe('300 requests per 5 minutes');
    expect(describeLimit({ unit: 'posts', max: 250, windowMs: 24 * HOUR })).toBe('250 posts a day');
  });

  it('reads platform:unit=max/window items, and names the item that is wrong', () => {
    expect(
      parsePaceLimits('mastodon:requests=30/5m, bluesky:points=6/1h,bluesky:points=9/1d', ['mastodon', 'bluesky']),
    ).toEqual({
      mastodon: [{ unit: 'requests', max: 30, windowMs: 300_000 }],
      bluesky: [
        { unit: 'points', max: 6, windowMs: HOUR },
        { unit: 'points', max: 9, windowMs: 24 * HOUR },
      ],
    });
    expect(() => parsePaceLimits('myspace:posts=1/1h', ['bluesky'])).toThrow(/"myspace:posts=1\/1h" is not/);
    expect(() => parsePaceLimits('bluesky:likes=1/1h', ['bluesky'])).toThrow(/units: points/);
    expect(() => parsePaceLimits('bluesky:points=5/2s', ['bluesky'])).toThrow(/window 5s or more/);
  });
});
