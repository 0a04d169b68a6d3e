import { type Actor, systemActor } from '../../core/audit.js';
import type { AuditLog } from '../audit-log.js';
import type { Clock } from '../../core/clock.js';
import { HayonError, PlatformError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Account, PlatformId } from '../../core/post.js';
import type { Platform } from '../../platforms/platform.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { WorkspaceStore } from '../../store/ports/workspace-store.js';
import type { CredentialBox } from '../../crypto/credential-box.js';
import { type RemoveAccountOptions, type RemoveAccountOutcome, removeAccount } from './remove-account.js';

export const defaultWorkspaceId = 'default';

export interface AccountsServiceDeps {
  store: AccountStore & WorkspaceStore;
  box: CredentialBox;
  platforms: Partial<Record<PlatformId, Platform>>;
  clock: Clock;
  /** Told when an account is reconnected: its deliveries waiting for that go now. */
  onReconnected?: (account: Account) => Promise<void>;
  /** Records who connected or reconnected each account (never fails the action). */
  audit?: Pick<AuditLog, 'record'>;
}

/** Connecting accounts: the credentials are verified with the platform before anything is stored. */
export class AccountsService {
  constructor(private readonly deps: AccountsServiceDeps) {}

  async ensureWorkspace(id: string = defaultWorkspaceId, name = 'Default'): Promise<void> {
    await this.deps.store.ensureWorkspace({ id, name, createdAt: this.deps.clock() });
  }

  /** `actor`: who connects it (the CLI, a connect link's user), for the audit log. */
  async add(
    workspaceId: string,
    platformId: PlatformId,
    credentials: Record<string, unknown>,
    actor: Actor = systemActor,
  ): Promise<Account> {
    const platform = this.deps.platforms[platformId];
    if (!platform) {
      throw new HayonError('invalid_request', `platform ${platformId} is not available yet`, {
        field: 'platform',
        userMessage: `hayon cannot connect ${platformId} accounts yet.`,
      });
    }
    await this.ensureWorkspace(workspaceId, workspaceId === defaultWorkspaceId ? 'Default' : workspaceId);
    let profile: Awaited<ReturnType<Platform['verify']>>;
    try {
      profile = await platform.verify(credentials, AbortSignal.timeout(30_000));
    } catch (e) {
      if (e instanceof PlatformError && e.kind === 'auth') {
        throw new HayonError('unauthorized', `${platformId} refused the login`, {
          cause: e,
          field: platformId === 'bluesky' ? 'appPassword' : 'credentials',
          userMessage: refusedCredentials(platformId),
        });
      }
      throw e;
    }
    const existing = (await this.deps.store.listAccounts(workspaceId)).find(
      (a) => a.platform === platformId && a.remoteId === profile.remoteId,
    );
    const now = this.deps.clock();
    if (existing) {
      // Reconnecting the same identity: new credentials, healthy again, same id (deliveries keep pointing at it).
      await this.deps.store.updateAccountCredentials(
        existing.id,
        this.deps.box.seal(existing.id, profile.credentials),
        now,
      );
      await this.deps.store.setAccountHealth(existing.id, 'active', undefined, now);
      await this.deps.onReconnected?.({ ...existing, health: 'active' });
      await this.recordConnected(existing, actor, 'account.reconnected');
      return { ...existing, health: 'active', updatedAt: now };
    }
    const id = newId('acc');
    const account: Account = {
      id,
      workspaceId,
      platform: platformId,
      handle: profile.handle,
      remoteId: profile.remoteId,
      credentials: this.deps.box.seal(id, profile.credentials),
      health: 'active',
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.createAccount(account);
    await this.recordConnected(account, actor, 'account.connected');
    return account;
  }

  private async recordConnected(
    account: Account,
    actor: Actor,
    action: 'account.connected' | 'account.reconnected',
  ): Promise<void> {
    const details = { platform: account.platform, handle: account.handle };
    await this.deps.audit?.record({ workspaceId: account.workspaceId, actor, action, target: account.id, details });
  }

  /** Removes an account; refused while deliveries for it wait, unless told to cancel them (remove-account.ts). */
  remove(workspaceId: string, id: string, options?: RemoveAccountOptions): Promise<RemoveAccountOutcome> {
    return removeAccount(this.deps, workspaceId, id, options);
  }

  list(workspaceId: string): Promise<Account[]> {
    return this.deps.store.listAccounts(workspaceId);
  }

  /** Whether any workspace has an account yet (the start line says how to connect one when none has). */
  async anyConnected(): Promise<boolean> {
    for (const w of await this.deps.store.listWorkspaces()) {
      if ((await this.deps.store.listAccounts(w.id)).length > 0) return true;
    }
    return false;
  }
}

/**
 * What a refused login says: which secret was refused and where to make a right one (the
 * platform's own words, which may say "reconnect", are for accounts already connected).
 */
function refusedCredentials(platformId: PlatformId): string {
  if (platformId === 'bluesky') {
    return (
      'Bluesky refused this identifier and app password. Check the handle, and make an app password ' +
      'in Bluesky under Settings → Privacy and security → App passwords (https://bsky.app/settings/app-passwords); ' +
      'the account password is not one.'
    );
  }
  return (
    `${platformId} refused these credentials: the access token is wrong, expired or revoked. ` +
    `Make a new one, or connect in a browser instead: hayon accounts connect ${platformId}.`
  );
}
