import { createHash } from 'node:crypto';

/** The base32-sortable alphabet of AT Protocol TIDs. */
const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
const tidPattern = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

// The timestamp part is taken from a hash, so it must be made plausible: every derived TID lies
// between these two instants (2023-01-01 and 2025-01-01 UTC, in microseconds). A past range keeps
// the key from looking like a post from the future to anything that reads the TID's time.
// 2 years × 1,024 clock ids ≈ 2^56 keys per account, so two deliveries colliding is negligible.
const rangeStartUs = 1_672_531_200_000_000n;
const rangeUs = 63_158_400_000_000n;

/** Whether `s` is a syntactically valid TID (what the PDS checks for a `tid` record key). */
export function isValidTid(s: string): boolean {
  return tidPattern.test(s);
}

/**
 * The record key of the post a delivery creates: a valid TID derived only from the delivery id, so
 * every attempt at one delivery writes to the same key and a second create is refused by the PDS
 * instead of posting twice.
 *
 * @example tidForDelivery('dlv_0m3q…') // → '3kx6…' (13 chars, the same on every call)
 */
export function tidForDelivery(deliveryId: string): string {
  const hash = createHash('sha256').update(`hayon:bluesky:rkey:${deliveryId}`).digest();
  const h = hash.readBigUInt64BE(0);
  const timestampUs = rangeStartUs + ((h >> 10n) % rangeUs);
  const clockId = h & 0x3ffn;
  return encodeTid((timestampUs << 10n) | clockId);
}

/** 64-bit TID value (top bit 0: 53 bits of microseconds, 10 bits of clock id) → 13 chars. */
export function encodeTid(value: bigint): string {
  let out = '';
  for (let shift = 60n; shift >= 0n; shift -= 5n) out += alphabet[Number((value >> shift) & 31n)];
  return out;
}

/** The microseconds since the epoch a TID carries. */
export function tidTimestampUs(tid: string): bigint {
  let value = 0n;
  for (const ch of tid) value = (value << 5n) | BigInt(alphabet.indexOf(ch));
  return value >> 10n;
}
