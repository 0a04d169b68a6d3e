import { type Actor, systemActor } from '../../core/audit.js';
import { HayonError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import type { Account, Delivery } from '../../core/post.js';
import type { Clock } from '../../core/clock.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { AuditLog } from '../audit-log.js';

/** What removing an account needs (a part of AccountsService's deps, named here so neither file imports the other). */
export interface RemoveAccountDeps {
  store: Pick<AccountStore, 'getAccount' | 'waitingDeliveriesOf' | 'cancelDeliveriesOf' | 'removeAccount'>;
  clock: Clock;
  audit?: Pick<AuditLog, 'record'>;
}

export interface RemoveAccountOptions {
  /** Cancel the account's waiting deliveries first (else they make it a 409). */
  cancelWaiting?: boolean;
  /** How the caller's way in spells that option, for the refusal: `--cancel-waiting`, `?cancelWaiting=true`. */
  cancelHint?: string;
  actor?: Actor;
}

export interface RemoveAccountOutcome {
  account: Account;
  /** How many waiting deliveries were cancelled with it. */
  cancelled: number;
}

/** Shown in a refusal at most; the rest is counted. */
const listed = 10;

/**
 * Removes a connected account and its sealed credentials. While deliveries for it wait
 * (scheduled, queued, being published, or unknown), it is a 409 that names them (post ids and
 * times) and how to cancel them with the removal; with `cancelWaiting`, they are cancelled and
 * the account removed, unless one is being published right now (a 409 too: that cannot be
 * stopped). Published deliveries stay as the posts' history.
 */
export async function removeAccount(
  deps: RemoveAccountDeps,
  workspaceId: string,
  id: string,
  options: RemoveAccountOptions = {},
): Promise<RemoveAccountOutcome> {
  const { store, clock } = deps;
  const account = await store.getAccount(id);
  if (!account || account.workspaceId !== workspaceId) {
    throw new HayonError('not_found', `no account ${id}`, {
      field: 'id',
      userMessage: `No account with id ${id}. \`hayon accounts list\` shows the connected ones.`,
    });
  }
  const waiting = await store.waitingDeliveriesOf(id);
  const name = `${platformNames[account.platform]} ${account.handle}`;
  const publishing = waiting.filter((d) => d.state === 'publishing');
  if (waiting.length > 0 && !options.cancelWaiting) {
    const hint = options.cancelHint ?? 'cancelWaiting';
    throw new HayonError('conflict', 'account has waiting deliveries', {
      field: 'cancelWaiting',
      userMessage: `${name} still has ${waiting.length} ${waiting.length === 1 ? 'post' : 'posts'} waiting to go out: ${describe(waiting)}. Nothing was removed. Remove it with ${hint} to cancel ${waiting.length === 1 ? 'it' : 'them'} too, or cancel or wait for ${waiting.length === 1 ? 'it' : 'them'} first.`,
    });
  }
  if (publishing.length > 0) {
    throw new HayonError('conflict', 'account is publishing', {
      field: 'id',
      userMessage: `${name} is publishing right now (${describe(publishing)}), which cannot be stopped. Nothing was removed: try again in a minute, once it is out.`,
    });
  }
  const cancelled = waiting.length > 0 ? await store.cancelDeliveriesOf(id, clock()) : 0;
  await store.removeAccount(id);
  const details = { platform: account.platform, handle: account.handle, cancelled };
  await deps.audit?.record({
    workspaceId,
    actor: options.actor ?? systemActor,
    action: 'account.removed',
    target: id,
    details,
  });
  return { account, cancelled };
}

/** `post pst_1 at 2026-12-08T09:00:00.000Z (scheduled), …`, the first ten. */
function describe(ds: readonly Delivery[]): string {
  const shown = ds.slice(0, listed).map((d) => `post ${d.postId} at ${new Date(d.dueAt).toISOString()} (${d.state})`);
  const more = ds.length > listed ? `, and ${ds.length - listed} more` : '';
  return `${shown.join(', ')}${more}`;
}
