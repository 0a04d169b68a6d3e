import { hkdfSync, randomBytes } from 'node:crypto';
import type { CredentialBox } from '../crypto/credential-box.js';
import type { Callback, Hook } from '../core/hook.js';
import type { HookStore } from '../store/ports/hook-store.js';

/** A new hook secret: `hks_` and 32 random bytes. The whole string is the HMAC key. */
export function newHookSecret(): string {
  return `hks_${randomBytes(32).toString('base64url')}`;
}

/**
 * The secrets that sign callbacks and check incoming webhooks. A hook's secret is random and
 * sealed in the store with the credential box (bound to `hook:<id>`). A workspace's callback
 * secret, for posts made through the API, is derived from `HAYON_SECRET_KEY` (HKDF), so it is
 * never stored; `hayon workspace callback-secret` prints it. While `HAYON_SECRET_KEY_PREVIOUS`
 * is set, the secrets derived from those keys sign too (one `v1=` each), so that receivers
 * keep verifying until they have switched to the new one.
 */
export class SigningSecrets {
  constructor(
    private readonly box: CredentialBox,
    private readonly secretKey: Buffer,
    private readonly store: Pick<HookStore, 'getHook'>,
    private readonly previousKeys: readonly Buffer[] = [],
  ) {}

  seal(hookId: string, secret: string): string {
    return this.box.seal(`hook:${hookId}`, { secret });
  }

  open(hook: Pick<Hook, 'id' | 'secret'>): string {
    const opened = this.box.open(`hook:${hook.id}`, hook.secret);
    if (typeof opened.secret !== 'string') throw new Error('sealed hook secret has no secret');
    return opened.secret;
  }

  /**
   * The hook's secret sealed with the current key, and whether a previous key had sealed it
   * (`hayon secrets rotate`). Throws when no key opens it.
   */
  reseal(hook: Pick<Hook, 'id' | 'secret'>): { sealed: string; stale: boolean } {
    const id = `hook:${hook.id}`;
    const { value, stale } = this.box.unseal(id, hook.secret);
    return { sealed: this.box.seal(id, value), stale };
  }

  /** The workspace's callback secret from the current `HAYON_SECRET_KEY`. */
  workspaceSecret(workspaceId: string): string {
    return derive(this.secretKey, workspaceId);
  }

  /** The current workspace secret first, then those of the previous keys. */
  workspaceSecrets(workspaceId: string): string[] {
    return [this.secretKey, ...this.previousKeys.filter((k) => !k.equals(this.secretKey))].map((key) =>
      derive(key, workspaceId),
    );
  }

  /** The secrets a callback is signed with (each gets a `v1=`); null when its hook was deleted since. */
  async forCallback(callback: Pick<Callback, 'signer' | 'workspaceId'>): Promise<string[] | null> {
    if (callback.signer.kind === 'workspace') return this.workspaceSecrets(callback.workspaceId);
    const hook = await this.store.getHook(callback.signer.hookId);
    return hook ? [this.open(hook)] : null;
  }
}

function derive(key: Buffer, workspaceId: string): string {
  const derived = hkdfSync('sha256', key, 'hayon', `callback-signing:${workspaceId}`, 32);
  return `hcs_${Buffer.from(derived).toString('base64url')}`;
}
