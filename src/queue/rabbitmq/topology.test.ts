import { describe, expect, it } from 'vitest';
import { decode, encode } from './messages.js';
import { maxTierMs, names, tierFor } from './topology.js';

describe('retry tiers', () => {
  it('picks the smallest tier at least as long as the delay, never an earlier one', () => {
    expect(tierFor(1).name).toBe('5s');
    expect(tierFor(5_000).name).toBe('5s');
    expect(tierFor(5_001).name).toBe('30s');
    expect(tierFor(90_000).name).toBe('2m');
    expect(tierFor(600_000).name).toBe('10m');
    expect(tierFor(maxTierMs).name).toBe('1h');
    for (const d of [1, 4_999, 29_000, 119_999, 3_599_999]) expect(tierFor(d).ms).toBeGreaterThanOrEqual(d);
  });

  it('refuses a delay past the last tier', () => {
    expect(() => tierFor(maxTierMs + 1)).toThrow(RangeError);
  });

  it('prefixes every exchange and queue name', () => {
    const n = names('x_');
    expect([n.postExchange, n.dlxExchange, n.mainQueue, n.parkingLot, n.deadLetters]).toEqual([
      'x_post_exchange',
      'x_dlx_exchange',
      'x_hayon_social_posts',
      'x_hayon_parking_lot',
      'x_hayon_dead_letters',
    ]);
  });
});

describe('message codec', () => {
  const m = {
    kind: 'delivery',
    v: 1,
    deliveryId: 'dlv_1',
    postId: 'post_1',
    platform: 'bluesky',
    correlationId: 'c1',
  } as const;

  it('round-trips a V1 delivery message, with or without notBefore', () => {
    expect(decode(encode(m))).toEqual(m);
    expect(decode(encode({ ...m, notBefore: 1_800_000_000_000 }))).toEqual({ ...m, notBefore: 1_800_000_000_000 });
    // A notBefore that is not a number is left out: the message is claimed at once.
    expect(decode(Buffer.from(JSON.stringify({ ...m, notBefore: 'soon' })))).toEqual(m);
  });

  it('refuses what is not JSON, another kind or version, or an unknown platform', () => {
    expect(decode(Buffer.from('{nope'))).toBeNull();
    expect(decode(Buffer.from('null'))).toBeNull();
    expect(decode(Buffer.from(JSON.stringify({ ...m, v: 2 })))).toBeNull();
    expect(decode(Buffer.from(JSON.stringify({ ...m, kind: 'other' })))).toBeNull();
    expect(decode(Buffer.from(JSON.stringify({ ...m, platform: 'myspace' })))).toBeNull();
    expect(decode(Buffer.from(JSON.stringify({ ...m, deliveryId: 1 })))).toBeNull();
  });
});
