import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, hmacSha256, safeEqual } from './hmac.js';

describe('hmacSha256', () => {
  it('is the HMAC-SHA256 of the parts joined, matching RFC 4231 test case 2', () => {
    const whole = hmacSha256('Jefe', 'what do ya want for nothing?');
    expect(whole.toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(hmacSha256('Jefe', 'what do ya ', Buffer.from('want for nothing?'))).toEqual(whole);
  });

  it('takes a key as bytes as well as a string', () => {
    const key = Buffer.alloc(32, 7);
    expect(hmacSha256(key, 'a')).toEqual(createHmac('sha256', key).update('a').digest());
  });
});

describe('safeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['é', 'e\u0301', false],
  ])('%j against %j: %s', (given, expected, equal) => {
    expect(safeEqual(given, expected)).toBe(equal);
    expect(safeEqual(Buffer.from(given), Buffer.from(expected))).toBe(equal);
  });
});

describe('deriveKey', () => {
  it('gives 32 bytes that differ by label and by secret, and are the same each time', () => {
    const secret = Buffer.alloc(32, 1);
    const media = deriveKey(secret, 'hayon media urls v1');
    expect(media).toHaveLength(32);
    expect(deriveKey(secret, 'hayon media urls v1')).toEqual(media);
    expect(deriveKey(secret, 'hayon connect state v1')).not.toEqual(media);
    expect(deriveKey(Buffer.alloc(32, 2), 'hayon media urls v1')).not.toEqual(media);
  });
});
