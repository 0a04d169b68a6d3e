import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const version = 'v1';

/** What `unseal` found: the value, and whether it was sealed with a previous key (re-seal it). */
export interface Unsealed {
  value: Record<string, unknown>;
  stale: boolean;
}

/**
 * Encrypts account credentials (and hook secrets) at rest with AES-256-GCM. The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the key is not named in it, so a value is tried
 * with the current key (`HAYON_SECRET_KEY`) first and then with each previous one
 * (`HAYON_SECRET_KEY_PREVIOUS`), and sealing always uses the current key. A value that only a
 * previous key opens is "stale": re-seal it (`reseal`) and store it, and once nothing stale is
 * left (`hayon secrets rotate`), the previous keys can go.
 * The record's id is bound as associated data: a blob copied onto another account fails.
 *
 * The worker opens an account's credentials for every delivery: the last 256 values decrypted
 * are kept (as their plaintext, by record id and sealed value), so that the same blob is
 * decrypted once, not once per post. A value is kept only once a key opened it, and a changed or tampered
 * blob, or the same blob under another record, is another entry and is decrypted (and refused) anew.
 */
export class CredentialBox {
  readonly #key: Buffer;
  readonly #previous: readonly Buffer[];
  /** Plaintext JSON of the values last decrypted, oldest first; at most `openedLimit`. */
  readonly #opened = new Map<string, { plain: string; stale: boolean }>();

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    if (key.length !== 32) throw new Error('credential key must be 32 bytes');
    if (previous.some((k) => k.length !== 32)) throw new Error('previous credential keys must be 32 bytes');
    this.#key = key;
    this.#previous = previous.filter((k) => !k.equals(key));
  }

  seal(accountId: string, value: Record<string, unknown>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(accountId));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [version, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The value, opened with the current key or else a previous one; throws when none opens it. */
  open(accountId: string, sealed: string): Record<string, unknown> {
    return this.unseal(accountId, sealed).value;
  }

  /** Whether only a previous key opens the value (it should be re-sealed); throws when none does. */
  isStale(accountId: string, sealed: string): boolean {
    return this.unseal(accountId, sealed).stale;
  }

  /** The same value sealed with the current key (a fresh IV each time). */
  reseal(accountId: string, sealed: string): string {
    return this.seal(accountId, this.open(accountId, sealed));
  }

  /** `open` and `isStale` in one decryption. */
  unseal(accountId: string, sealed: string): Unsealed {
    const cacheKey = `${accountId}\n${sealed}`;
    const opened = this.#opened.get(cacheKey);
    // Parsed anew each time: a caller may change its copy.
    if (opened) return { value: JSON.parse(opened.plain) as Record<string, unknown>, stale: opened.stale };
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== version || !iv || !tag || body === undefined) throw new Error('credentials are not in a known format');
    const parts = { iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), body };
    let failure: unknown;
    for (const [i, key] of [this.#key, ...this.#previous].entries()) {
      try {
        const plain = decrypt(key, accountId, parts);
        const stale = i > 0;
        this.#opened.set(cacheKey, { plain, stale });
        if (this.#opened.size > openedLimit) this.#opened.delete(this.#opened.keys().next().value!);
        return { value: JSON.parse(plain) as Record<string, unknown>, stale };
      } catch (e) {
        failure ??= e;
      }
    }
    const keys = this.#previous.length ? 'HAYON_SECRET_KEY nor any HAYON_SECRET_KEY_PREVIOUS' : 'this HAYON_SECRET_KEY';
    throw new Error(`credentials cannot be decrypted with ${keys}`, { cause: failure });
  }
}

/** How many opened values are kept: the accounts a busy worker publishes to within a few minutes. */
const openedLimit = 256;

/** The plaintext (JSON) of a value, or throws when `key` does not open it. */
function decrypt(key: Buffer, accountId: string, parts: { iv: Buffer; tag: Buffer; body: string }): string {
  // authTagLength pins the full 16-byte tag: without it a blob with a cut tag would be checked on fewer bytes.
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: 16 });
  decipher.setAAD(Buffer.from(accountId));
  decipher.setAuthTag(parts.tag);
  return Buffer.concat([decipher.update(Buffer.from(parts.body, 'base64url')), decipher.final()]).toString('utf8');
}
