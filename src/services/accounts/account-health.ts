import type { Clock } from '../../core/clock.js';
import { PlatformError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import type { Account, AccountHealth as Health, PlatformId } from '../../core/post.js';
import type { Logger } from '../../logger.js';
import type { Platform } from '../../platforms/platform.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { DeliveryStore } from '../../store/ports/delivery-store.js';
import type { WorkspaceStore } from '../../store/ports/workspace-store.js';
import type { ConnectLinkMaker } from '../connect/connect-links.js';
import type { CredentialBox } from '../../crypto/credential-box.js';

/** What the workspace is told when an account stops working. */
export interface AccountAlert {
  account: Account;
  /** Why, in a sentence (no secret). */
  reason: string;
  /** A single-use reconnect link, valid while deliveries wait; absent when hayon has no connect flow for the platform. */
  reconnectUrl?: string | undefined;
  /** Until when deliveries to it wait. */
  waitHours: number;
}

/** Where alerts go: the workspace's Slack or Discord alert channel (`hayon workspace set --slack-alerts …`). */
export interface AccountAlerts {
  send(alert: AccountAlert): Promise<void>;
}

/** One account's check. */
export interface AccountCheck {
  account: Account;
  /** `active` (works), `expired` (the platform refused its credentials), or `unchecked` (could not ask). */
  result: 'active' | 'expired' | 'unchecked';
  reason?: string | undefined;
}

export interface AccountHealthDeps {
  /** Accounts and their health in every workspace, and the deliveries waiting for a reconnect. */
  store: AccountStore & WorkspaceStore & DeliveryStore;
  platforms: Partial<Record<PlatformId, Platform>>;
  box: CredentialBox;
  clock: Clock;
  log: Logger;
  alerts?: AccountAlerts | undefined;
  /** Makes the reconnect link of an alert. */
  connect?: ConnectLinkMaker | undefined;
  /** How long deliveries to an account that stopped working wait for it to be reconnected. */
  graceMs: number;
  /** Told when waiting deliveries became due (a reconnected account), so the scheduler looks now. */
  onWoken?: (at: number) => void;
}

/**
 * Account health: an account that stops working (the platform refused its token during a
 * publish or a check) is marked `expired` once, and the workspace is told once, with a reconnect
 * link; deliveries to it wait (see the worker) until it is reconnected or the grace period ends.
 * `check` verifies accounts with their platforms (`hayon accounts check`, and every 6 hours in
 * `hayon serve`).
 */
export class AccountHealthService {
  constructor(private readonly deps: AccountHealthDeps) {}

  get graceMs(): number {
    return this.deps.graceMs;
  }

  /** Marks the account as not working; the first caller to do so tells the workspace. */
  async stoppedWorking(account: Account, health: Exclude<Health, 'active'>, reason: string): Promise<void> {
    const { store, clock, log } = this.deps;
    const changed = await store.markAccountUnhealthy(account.id, health, reason, clock());
    if (!changed) return;
    log.warn({ accountId: account.id, platform: account.platform, health }, 'account stopped working');
    const reconnectUrl = await this.#reconnectLink(account).catch(() => undefined);
    await this.deps.alerts
      ?.send({ account, reason, reconnectUrl, waitHours: Math.round(this.deps.graceMs / 3_600_000) })
      .catch((err: unknown) => log.warn({ err, accountId: account.id }, 'could not send the account alert'));
  }

  /** The account works again (reconnected, or a check passed): waiting deliveries go now. */
  async working(account: Account): Promise<void> {
    const now = this.deps.clock();
    if (account.health !== 'active') await this.deps.store.setAccountHealth(account.id, 'active', undefined, now);
    const woken = await this.deps.store.wakeWaitingDeliveries(account.id, now);
    if (woken > 0) this.deps.onWoken?.(now);
  }

  /** Verifies each account of the workspace with its platform and records what it finds. */
  async check(workspaceId: string): Promise<AccountCheck[]> {
    const accounts = await this.deps.store.listAccounts(workspaceId);
    const checks: AccountCheck[] = [];
    for (const account of accounts) checks.push(await this.#checkOne(account));
    return checks;
  }

  /**
   * Renews the tokens that expire within `aheadMs` (Tumblr OAuth 2, Threads long-lived tokens:
   * each adapter's `refreshAhead`), for every active account; a refused renewal marks the account
   * expired and tells the workspace. Returns how many were renewed and how many refused.
   */
  async refreshDue(aheadMs: number): Promise<{ refreshed: number; refused: number }> {
    const { store, platforms, box, clock, log } = this.deps;
    let refreshed = 0;
    let refused = 0;
    for (const workspace of await store.listWorkspaces()) {
      for (const account of await store.listAccounts(workspace.id)) {
        const platform = platforms[account.platform];
        if (account.health !== 'active' || !platform?.refreshAhead) continue;
        try {
          const renewed = await platform.refreshAhead(
            box.open(account.id, account.credentials),
            aheadMs,
            AbortSignal.timeout(30_000),
          );
          if (!renewed) continue;
          await store.updateAccountCredentials(account.id, box.seal(account.id, renewed), clock());
          refreshed++;
        } catch (e) {
          if (e instanceof PlatformError && e.kind === 'auth') {
            refused++;
            await this.stoppedWorking(account, 'expired', e.message);
          } else {
            log.warn({ err: e, accountId: account.id }, 'token renewal failed; tried again next time');
          }
        }
      }
    }
    return { refreshed, refused };
  }

  /** Every workspace's accounts (the periodic check of `hayon serve`). */
  async checkAll(): Promise<AccountCheck[]> {
    const checks: AccountCheck[] = [];
    for (const workspace of await this.deps.store.listWorkspaces()) checks.push(...(await this.check(workspace.id)));
    return checks;
  }

  async #checkOne(account: Account): Promise<AccountCheck> {
    const { platforms, box, store, clock } = this.deps;
    const platform = platforms[account.platform];
    if (!platform) return { account, result: 'unchecked', reason: 'no adapter for this platform' };
    try {
      const profile = await platform.verify(box.open(account.id, account.credentials), AbortSignal.timeout(30_000));
      // A check may refresh a session: keep what the platform gave back.
      await store.updateAccountCredentials(account.id, box.seal(account.id, profile.credentials), clock());
      await this.working(account);
      return { account, result: 'active' };
    } catch (e) {
      if (e instanceof PlatformError && e.kind === 'auth') {
        await this.stoppedWorking(account, 'expired', e.message);
        return { account, result: 'expired', reason: e.message };
      }
      const reason = e instanceof PlatformError ? e.message : 'could not reach the platform';
      return { account, result: 'unchecked', reason };
    }
  }

  async #reconnectLink(account: Account): Promise<string | undefined> {
    const connect = this.deps.connect;
    if (!connect?.platforms().includes(account.platform)) return undefined;
    const credentials = this.deps.box.open(account.id, account.credentials);
    const data = typeof credentials.instanceUrl === 'string' ? { instance: credentials.instanceUrl } : {};
    const { url } = await connect.link(
      account.workspaceId,
      account.platform,
      { kind: 'system' },
      data,
      this.deps.graceMs,
    );
    return url;
  }
}

/** The alert's text, for Slack and Discord alike. */
export function alertText(alert: AccountAlert, link: (url: string, label: string) => string): string {
  const { account } = alert;
  const name = `${platformNames[account.platform]} ${account.handle}`;
  const reconnect = alert.reconnectUrl
    ? `Reconnect it: ${link(alert.reconnectUrl, `reconnect ${name}`)} (works once).`
    : `Reconnect it with \`hayon accounts add ${account.platform} …\`.`;
  return `⚠️ The ${name} account stopped working: ${alert.reason} Posts to it wait up to ${alert.waitHours} h. ${reconnect}`;
}
