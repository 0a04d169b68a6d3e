import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialBox } from './credential-box.js';

const key = randomBytes(32);
const box = new CredentialBox(key);
const secret = { identifier: 'me.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** Rewrites one dot-separated part of the sealed form, bytes in and out. */
function withPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split('.');
  parts[index] = change(Buffer.from(parts[index]!, 'base64url')).toString('base64url');
  return parts.join('.');
}

const flipFirstByte = (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[0] = copy[0]! ^ 0x01;
  return copy;
};

describe('CredentialBox', () => {
  it('opens what it sealed for the same account', () => {
    const sealed = box.seal('acc_1', secret);
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed.split('.')).toHaveLength(4);
    expect(box.open('acc_1', sealed)).toEqual(secret);
  });

  it('keeps nested values and unicode', () => {
    const value = { session: { accessJwt: 'a.b.c', refreshJwt: 'd.e.f' }, note: 'grüße 👋', n: 3 };
    expect(box.open('acc_1', box.seal('acc_1', value))).toEqual(value);
  });

  it('never shows the plaintext, and seals the same value differently each time', () => {
    const a = box.seal('acc_1', secret);
    const b = box.seal('acc_1', secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.appPassword);
    expect(Buffer.from(a.split('.')[3]!, 'base64url').toString('utf8')).not.toContain(secret.appPassword);
  });

  it('opens a value again as a copy of its own, and still refuses it elsewhere or changed once it was opened', () => {
    const sealed = box.seal('acc_1', { session: { accessJwt: 'a.b.c' } });
    const first = box.open('acc_1', sealed) as { session: { accessJwt: string } };
    first.session.accessJwt = 'changed by its caller';
    expect(box.open('acc_1', sealed)).toEqual({ session: { accessJwt: 'a.b.c' } });
    expect(() => box.open('acc_2', sealed)).toThrow('cannot be decrypted');
    expect(() => box.open('acc_1', withPart(sealed, 3, flipFirstByte))).toThrow('cannot be decrypted');
    expect(() => new CredentialBox(randomBytes(32)).open('acc_1', sealed)).toThrow('cannot be decrypted');
  });

  it('refuses a blob sealed for another account', () => {
    const sealed = box.seal('acc_1', secret);
    expect(() => box.open('acc_2', sealed)).toThrow('cannot be decrypted');
  });

  it.each([
    ['ciphertext', 3],
    ['authentication tag', 2],
    ['iv', 1],
  ])('refuses a blob whose %s was changed', (_, index) => {
    const tampered = withPart(box.seal('acc_1', secret), index, flipFirstByte);
    expect(() => box.open('acc_1', tampered)).toThrow('cannot be decrypted');
  });

  it('refuses a blob whose authentication tag was cut short', () => {
    const truncated = withPart(box.seal('acc_1', secret), 2, (tag) => tag.subarray(0, 4));
    expect(() => box.open('acc_1', truncated)).toThrow();
  });

  it('refuses what is not in its format', () => {
    expect(() => box.open('acc_1', 'plain text')).toThrow('not in a known format');
    expect(() => box.open('acc_1', box.seal('acc_1', secret).replace(/^v1/, 'v2'))).toThrow('not in a known format');
  });

  it('refuses another key with a message that holds neither key nor plaintext', () => {
    const other = randomBytes(32);
    const sealed = box.seal('acc_1', secret);
    const e = errorOf(() => new CredentialBox(other).open('acc_1', sealed));
    expect(e.message).toBe('credentials cannot be decrypted with this HAYON_SECRET_KEY');
    const shown = `${String(e)} ${e.stack ?? ''} ${String(e.cause)}`;
    for (const k of [key, other]) {
      expect(shown).not.toContain(k.toString('hex'));
      expect(shown).not.toContain(k.toString('base64'));
      expect(shown).not.toContain(k.toString('base64url'));
    }
    expect(shown).not.toContain(secret.appPassword);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new CredentialBox(randomBytes(16))).toThrow('32 bytes');
  });
});

describe('CredentialBox: rotating HAYON_SECRET_KEY', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const before = new CredentialBox(oldKey);
  const during = new CredentialBox(newKey, [oldKey]);
  const after = new CredentialBox(newKey);

  it('opens what the old key sealed, says it is stale, and seals anew with the new key', () => {
    const sealed = before.seal('acc_1', secret);
    expect(during.open('acc_1', sealed)).toEqual(secret);
    expect(during.isStale('acc_1', sealed)).toBe(true);
    expect(during.unseal('acc_1', sealed)).toEqual({ value: secret, stale: true });
    const resealed = during.reseal('acc_1', sealed);
    expect(during.isStale('acc_1', resealed)).toBe(false);
    expect(after.open('acc_1', resealed)).toEqual(secret);
    expect(() => before.open('acc_1', resealed)).toThrow('cannot be decrypted');
  });

  it('seals with the current key only, and what it seals is not stale', () => {
    const sealed = during.seal('acc_1', secret);
    expect(during.isStale('acc_1', sealed)).toBe(false);
    expect(after.open('acc_1', sealed)).toEqual(secret);
    expect(() => before.open('acc_1', sealed)).toThrow('cannot be decrypted');
  });

  it('tries every previous key, and still binds the account id', () => {
    const older = randomBytes(32);
    const sealed = new CredentialBox(older).seal('acc_1', secret);
    const box = new CredentialBox(newKey, [oldKey, older]);
    expect(box.unseal('acc_1', sealed)).toEqual({ value: secret, stale: true });
    expect(() => box.open('acc_2', sealed)).toThrow('cannot be decrypted');
  });

  it('fails once the old key is removed, naming the variables and no key', () => {
    const sealed = before.seal('acc_1', secret);
    expect(() => after.open('acc_1', sealed)).toThrow('cannot be decrypted with this HAYON_SECRET_KEY');
    const e = errorOf(() => new CredentialBox(newKey, [randomBytes(32)]).open('acc_1', sealed));
    expect(e.message).toBe('credentials cannot be decrypted with HAYON_SECRET_KEY nor any HAYON_SECRET_KEY_PREVIOUS');
    const shown = `${String(e)} ${e.stack ?? ''} ${String(e.cause)}`;
    for (const k of [oldKey, newKey]) {
      expect(shown).not.toContain(k.toString('hex'));
      expect(shown).not.toContain(k.toString('base64'));
    }
    expect(shown).not.toContain(secret.appPassword);
  });

  it('ignores a previous key equal to the current one, and refuses one that is not 32 bytes', () => {
    const same = new CredentialBox(newKey, [newKey]);
    expect(same.isStale('acc_1', same.seal('acc_1', secret))).toBe(false);
    expect(() => new CredentialBox(newKey, [randomBytes(16)])).toThrow('32 bytes');
  });
});
