import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * HMAC signing and checking, the one place for it: webhook signatures (`hooks/signature.ts`),
 * signed callbacks, the disk store's signed media URLs, connect states and Slack's request
 * signature all sign and compare through these three functions.
 */

/** HMAC-SHA256 over the parts in order, as if they were one string (no separator is added). */
export function hmacSha256(key: string | Buffer, ...parts: readonly (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Whether `given` equals `expected`, compared in constant time. Strings are compared as their
 * UTF-8 bytes; a value of another length is unequal (never a throw), which tells an attacker only
 * the length, not where the bytes differ.
 */
export function safeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : given;
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A 32-byte key for one use (`label`, such as "hayon media urls v1"), derived from hayon's secret
 * key with HKDF-SHA256, so a key leaked from one use signs nothing of another.
 */
export function deriveKey(secretKey: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), label, 32));
}
