import { hkdfSync, randomBytes } from 'node:crypto';
import type { CredentialBox } from '../accounts/credential-box.js';
import type { Callback, Hook } from '../core/hook.js';
import type { Store } from '../store/store.js';

/** A new hook secret: `hks_` and 32 random bytes. The whole string is the HMAC key. */
export function newHookSecret(): string {
  return `hks_${randomBytes(32).toString('base64url')}`;
}

/**
 * The secrets that sign callbacks and check incoming webhooks. A hook's secret is random and
 * sealed in the store with the credential box (bound to the hook's id). A workspace's callback
 * secret, for posts made through the API, is derived from `HAYON_SECRET_KEY` (HKDF), so it is
 * never stored; `hayon workspace callback-secret` prints it.
 */
export class SigningSecrets {
  constructor(
    private readonly box: CredentialBox,
    private readonly secretKey: Buffer,
    private readonly store: Pick<Store, 'getHook'>,
  ) {}

  seal(hookId: string, secret: string): string {
    return this.box.seal(`hook:${hookId}`, { secret });
  }

  open(hook: Pick<Hook, 'id' | 'secret'>): string {
    const opened = this.box.open(`hook:${hook.id}`, hook.secret);
    if (typeof opened.secret !== 'string') throw new Error('sealed hook secret has no secret');
    return opened.secret;
  }

  workspaceSecret(workspaceId: string): string {
    const key = hkdfSync('sha256', this.secretKey, 'hayon', `callback-signing:${workspaceId}`, 32);
    return `hcs_${Buffer.from(key).toString('base64url')}`;
  }

  /** The secret a callback is signed with; null when its hook was deleted since. */
  async forCallback(callback: Pick<Callback, 'signer' | 'workspaceId'>): Promise<string | null> {
    if (callback.signer.kind === 'workspace') return this.workspaceSecret(callback.workspaceId);
    const hook = await this.store.getHook(callback.signer.hookId);
    return hook ? this.open(hook) : null;
  }
}
