import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Signs the disk store's URLs (downloads and uploads) so that they can be handed to a platform
 * or a client without a token: HMAC-SHA256 over the method, key, expiry and constraints, with a
 * key derived from `HAYON_SECRET_KEY` for this use only.
 */
export class UrlSigner {
  readonly #key: Buffer;

  constructor(secretKey: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'hayon media urls v1', 32));
  }

  sign(parts: readonly string[]): string {
    return createHmac('sha256', this.#key).update(parts.join('\n')).digest('base64url');
  }

  /** Constant-time check of a signature from a URL. */
  verify(parts: readonly string[], signature: string): boolean {
    const expected = Buffer.from(this.sign(parts));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
