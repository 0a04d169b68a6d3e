import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const version = 'v1';

/**
 * Encrypts account credentials at rest with AES-256-GCM. The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so a later format or key can sit beside it.
 * The account id is bound as associated data: a blob copied onto another account fails.
 */
export class CredentialBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('credential key must be 32 bytes');
    this.#key = key;
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

  open(accountId: string, sealed: string): Record<string, unknown> {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== version || !iv || !tag || body === undefined) throw new Error('credentials are not in a known format');
    // authTagLength pins the full 16-byte tag: without it a blob with a cut tag would be checked on fewer bytes.
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(accountId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new Error('credentials cannot be decrypted with this HAYON_SECRET_KEY', { cause: e });
    }
  }
}
