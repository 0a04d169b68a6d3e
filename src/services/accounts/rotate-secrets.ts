import type { SigningSecrets } from '../signing-secrets.js';
import type { Clock } from '../../core/clock.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { ConnectStore } from '../../store/ports/connect-store.js';
import type { HookStore } from '../../store/ports/hook-store.js';
import type { WorkspaceStore } from '../../store/ports/workspace-store.js';
import type { CredentialBox } from '../../crypto/credential-box.js';

/** What `rotateSecrets` did; `unreadable` names what no key opens (ids only, never content). */
export interface RotationReport {
  workspaces: string[];
  accounts: { resealed: number; stale: number };
  hooks: { resealed: number; stale: number };
  /** OAuth clients hayon registered (Mastodon instances): their client secrets. */
  oauthApps: { resealed: number; stale: number };
  unreadable: { kind: 'account' | 'hook' | 'oauth app'; id: string; workspaceId: string }[];
}

export interface RotateSecretsDeps {
  /** Every workspace's accounts and hooks, and the OAuth clients: what holds a sealed secret. */
  store: WorkspaceStore & AccountStore & HookStore & ConnectStore;
  box: CredentialBox;
  signing: SigningSecrets;
  clock: Clock;
}

/**
 * Seals every account's credentials and every hook's secret, in every workspace, anew with the
 * current `HAYON_SECRET_KEY` (opening each with it or a `HAYON_SECRET_KEY_PREVIOUS` key). Safe
 * to run while hayon runs and to run again: an account's credentials are replaced only while
 * they are still the value read (a session refreshed meanwhile is already sealed with the
 * current key), a hook's secret only while unchanged. What no key opens is reported and left.
 */
export async function rotateSecrets(deps: RotateSecretsDeps): Promise<RotationReport> {
  const { store, box, signing, clock } = deps;
  const report: RotationReport = {
    workspaces: [],
    accounts: { resealed: 0, stale: 0 },
    hooks: { resealed: 0, stale: 0 },
    oauthApps: { resealed: 0, stale: 0 },
    unreadable: [],
  };
  for (const app of await store.listOAuthApps()) {
    let opened: ReturnType<CredentialBox['unseal']>;
    try {
      opened = box.unseal(`oauth:${app.key}`, app.clientSecret);
    } catch {
      report.unreadable.push({ kind: 'oauth app', id: app.key, workspaceId: '(all)' });
      continue;
    }
    if (await store.resealOAuthApp(app.key, box.seal(`oauth:${app.key}`, opened.value), app.clientSecret)) {
      report.oauthApps.resealed++;
      if (opened.stale) report.oauthApps.stale++;
    }
  }
  for (const workspace of await store.listWorkspaces()) {
    report.workspaces.push(workspace.id);
    for (const account of await store.listAccounts(workspace.id)) {
      let opened: ReturnType<CredentialBox['unseal']>;
      try {
        opened = box.unseal(account.id, account.credentials);
      } catch {
        report.unreadable.push({ kind: 'account', id: account.id, workspaceId: workspace.id });
        continue;
      }
      const sealed = box.seal(account.id, opened.value);
      await store.updateAccountCredentials(account.id, sealed, clock(), account.credentials);
      report.accounts.resealed++;
      if (opened.stale) report.accounts.stale++;
    }
    for (const hook of await store.listHooks(workspace.id)) {
      let resealed: ReturnType<SigningSecrets['reseal']>;
      try {
        resealed = signing.reseal(hook);
      } catch {
        report.unreadable.push({ kind: 'hook', id: hook.id, workspaceId: workspace.id });
        continue;
      }
      // `hayon hooks rotate-secret` meanwhile made a new secret (sealed with the current key): keep it.
      if ((await store.getHook(hook.id))?.secret !== hook.secret) continue;
      await store.updateHook(hook.id, { secret: resealed.sealed }, clock());
      report.hooks.resealed++;
      if (resealed.stale) report.hooks.stale++;
    }
  }
  return report;
}
