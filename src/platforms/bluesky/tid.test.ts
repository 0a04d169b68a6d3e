import { describe, expect, it } from 'vitest';
import { encodeTid, isValidTid, tidForDelivery, tidTimestampUs } from './tid.js';

describe('tidForDelivery', () => {
  it('is deterministic', () => {
    expect(tidForDelivery('dlv_0m3q5abc')).toBe(tidForDelivery('dlv_0m3q5abc'));
  });

  it('differs per delivery id', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `dlv_${i}`);
    expect(new Set(ids.map(tidForDelivery)).size).toBe(ids.length);
  });

  it('is a valid TID: 13 base32-sortable chars, top bit 0', () => {
    for (let i = 0; i < 2000; i++) {
      const tid = tidForDelivery(`delivery-${i}`);
      expect(tid).toHaveLength(13);
      expect(tid).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
      expect(isValidTid(tid)).toBe(true);
    }
  });

  it('carries a plausible timestamp: between 2023 and 2025', () => {
    for (let i = 0; i < 500; i++) {
      const ms = Number(tidTimestampUs(tidForDelivery(`d${i}`)) / 1000n);
      expect(ms).toBeGreaterThanOrEqual(Date.UTC(2023, 0, 1));
      expect(ms).toBeLessThan(Date.UTC(2025, 0, 1));
    }
  });
});

describe('encodeTid', () => {
  it('matches the reference encoding (atproto TID of 0 and of a known instant)', () => {
    expect(encodeTid(0n)).toBe('2222222222222');
    // 2023-01-01T00:00:00Z in µs with clock id 0, as @atproto/common-web's TID encodes it.
    expect(encodeTid(1_672_531_200_000_000n << 10n)).toBe('3jl7442uk2222');
    expect(tidTimestampUs('3jl7442uk2222')).toBe(1_672_531_200_000_000n);
  });

  it('sorts like the number it encodes', () => {
    const a = encodeTid(1_700_000_000_000_000n << 10n);
    const b = encodeTid((1_700_000_000_000_001n << 10n) | 5n);
    expect(a < b).toBe(true);
  });
});
