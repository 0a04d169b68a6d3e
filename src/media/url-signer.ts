import { deriveKey, hmacSha256, safeEqual } from '../core/hmac.js';

/**
 * Signs the disk store's URLs (downloads and uploads) so that they can be handed to a platform
 * or a client without a token: HMAC-SHA256 over the method, key, expiry and constraints, with a
 * key derived from `HAYON_SECRET_KEY` for this use only.
 */
export class UrlSigner {
  readonly #key: Buffer;

  constructor(secretKey: Buffer) {
    this.#key = deriveKey(secretKey, 'hayon media urls v1');
  }

  sign(parts: readonly string[]): string {
    return hmacSha256(this.#key, parts.join('\n')).toString('base64url');
  }

  /** Constant-time check of a signature from a URL. */
  verify(parts: readonly string[], signature: string): boolean {
    return safeEqual(signature, this.sign(parts));
  }
}
