import type {
  Account,
  AccountHealth,
  ApiToken,
  Delivery,
  DeliveryCheckpoint,
  DeliveryError,
  DeliveryResult,
  Post,
  PostWithDeliveries,
  Workspace,
  WorkspaceSettings,
} from '../core/post.js';
import type { ConnectState, OAuthApp } from '../core/connect.js';
import type { Callback, CallbackOutcome, Hook, HookPatch } from '../core/hook.js';
import type { AuditEntry } from '../core/audit.js';
import type { AttemptRecord, DeliveryBreakdownRow } from '../core/history.js';
import type { PaceLedger } from '../core/pacing.js';

/** The result of `createPost`: either the new post, or the one an idempotency key points to. */
export type CreatePostResult =
  | { created: true; value: PostWithDeliveries }
  | { created: false; value: PostWithDeliveries };

/** A claim: the delivery now `publishing` under our lease, and the state it was claimed from. */
export interface Claim {
  delivery: Delivery;
  /** `unknown` means a previous attempt may have reached the platform: reconcile first. */
  from: 'queued' | 'unknown';
}

/** How an attempt ended; recorded only if our lease still holds. */
export type AttemptOutcome =
  | { kind: 'published'; result: DeliveryResult; at: number }
  /** Try again at `dueAt`: `queued` when the transport carries the delay, `scheduled` when the store's scheduler does. */
  | {
      kind: 'retry';
      state: 'queued' | 'scheduled';
      dueAt: number;
      error: DeliveryError;
      /** The attempt did not reach the platform (its account needs reconnecting): it does not count. */
      refundAttempt?: boolean;
    }
  | { kind: 'failed'; error: DeliveryError };

/**
 * The Store port: the truth about posts, deliveries, accounts and tokens. Every state change of a
 * delivery is one atomic conditional update (a compare-and-set on its state and, while
 * publishing, its lease owner), so that any number of workers and schedulers can share a store
 * without a post going out twice. No method needs a multi-document transaction except
 * `createPost`, which must write a post and its deliveries all or nothing (MongoDB adapters do
 * it with an insert order and a cleanup, see their docs).
 */
/** An attempt's progress: see `Store.saveProgress`. */
export interface DeliveryProgress {
  chain?: DeliveryResult[];
  checkpoint?: DeliveryCheckpoint | null;
}

export interface Store {
  /** Creates tables/indexes as needed. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Throws if the store cannot serve a query now (readiness). */
  ping(): Promise<void>;

  // Workspaces and tokens
  ensureWorkspace(workspace: Workspace): Promise<Workspace>;
  getWorkspace(id: string): Promise<Workspace | null>;
  /** Merges `settings` into the workspace's; null when there is no such workspace. */
  updateWorkspaceSettings(id: string, settings: WorkspaceSettings): Promise<Workspace | null>;
  createApiToken(token: ApiToken): Promise<void>;
  /** Finds a token by the SHA-256 hex of its secret. */
  findApiTokenByHash(hash: string): Promise<ApiToken | null>;
  touchApiToken(id: string, at: number): Promise<void>;
  /** A workspace's tokens, oldest first, revoked ones included (for `hayon tokens list`). */
  listApiTokens(workspaceId: string): Promise<ApiToken[]>;
  /**
   * Marks a token revoked at `at` (a second revoke keeps the first time). False when there is
   * no such token.
   */
  revokeApiToken(id: string, at: number): Promise<boolean>;
  /** Every workspace, oldest first (for work across all of them: `hayon secrets rotate`). */
  listWorkspaces(): Promise<Workspace[]>;

  // Accounts
  createAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | null>;
  listAccounts(workspaceId: string): Promise<Account[]>;
  /**
   * Replaces the encrypted credentials (a refreshed session, a new token). With `ifCurrent`,
   * only while the stored value is still that one: re-sealing the same credentials with a new
   * key must never overwrite a session another worker refreshed meanwhile.
   */
  updateAccountCredentials(id: string, credentials: string, at: number, ifCurrent?: string): Promise<void>;
  setAccountHealth(id: string, health: AccountHealth, reason: string | undefined, at: number): Promise<void>;
  /**
   * `active` → `health`, atomically: true only for the caller that made the change, so the
   * workspace is told once that an account stopped working.
   */
  markAccountUnhealthy(
    id: string,
    health: Exclude<AccountHealth, 'active'>,
    reason: string,
    at: number,
  ): Promise<boolean>;
  /**
   * An account was reconnected: its deliveries waiting for that (`scheduled` with an `auth`
   * last error) become due at `now`. Returns how many.
   */
  wakeWaitingDeliveries(accountId: string, now: number): Promise<number>;

  // Posts
  /**
   * Stores a post and its deliveries, all or nothing. When the post has an idempotency key that
   * the workspace already used, nothing is written and the existing post is returned.
   */
  createPost(post: Post, deliveries: Delivery[]): Promise<CreatePostResult>;
  getPost(id: string): Promise<PostWithDeliveries | null>;
  /** The post without its deliveries, in one read (what a worker needs to publish one of them). */
  getPostAlone(id: string): Promise<Post | null>;
  /**
   * The correlation id of each of these posts that exists, by post id, in one read: what the
   * scheduler and the sweeper need to queue a batch of deliveries.
   */
  correlationIds(postIds: readonly string[]): Promise<Map<string, string>>;
  findPostByIdempotencyKey(workspaceId: string, key: string): Promise<PostWithDeliveries | null>;
  /** Lists a workspace's posts, newest first. */
  listPosts(workspaceId: string, options: { limit: number; before?: number }): Promise<PostWithDeliveries[]>;
  /** Moves the post's `scheduled | queued | unknown` deliveries to `cancelled`; returns how many. */
  cancelPost(postId: string, at: number): Promise<number>;
  /** "Post now": the post's `scheduled` deliveries become due at `now`; returns how many. */
  bringForward(postId: string, now: number): Promise<number>;

  // Deliveries
  getDelivery(id: string): Promise<Delivery | null>;
  /**
   * Atomically moves up to `limit` deliveries that are `scheduled` with `dueAt <= now` to
   * `queued` and returns them, oldest due first. Two schedulers never get the same delivery.
   */
  takeDue(now: number, limit: number): Promise<Delivery[]>;
  /**
   * The same for the given deliveries only (those just created, due now): each that is still
   * `scheduled` and due moves to `queued` and is returned. A lookup by id, no search, so a busy
   * store is not scanned for every new post.
   */
  takeDueByIds(ids: readonly string[], now: number): Promise<Delivery[]>;
  /** The earliest `dueAt` among `scheduled` deliveries, or null when there is none. */
  nextDueAt(): Promise<number | null>;
  /**
   * Claims a delivery for publishing: `queued` (with `dueAt <= now`) or `unknown` → `publishing`,
   * attempts + 1, lease to `owner` until `leaseUntil`. Null when it is not claimable (already
   * published, cancelled, claimed by another worker, or not due yet).
   */
  claim(id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null>;
  /** Extends our lease while a long publish runs; false if we lost it. */
  renewLease(id: string, owner: string, leaseUntil: number): Promise<boolean>;
  /**
   * Saves what an attempt has done so far, if `owner` still holds the lease (false otherwise):
   * the thread parts published (`chain`, replacing the stored one) and the adapter's checkpoint
   * (`null` removes it). Written before the next step, so a retry resumes instead of repeating.
   */
  saveProgress(id: string, owner: string, progress: DeliveryProgress, at: number): Promise<boolean>;
  /** Records an attempt's outcome if `owner` still holds the lease; false otherwise. */
  finishAttempt(id: string, owner: string, outcome: AttemptOutcome, at: number): Promise<boolean>;
  /**
   * Moves `publishing` deliveries whose lease ran out before `now` to `unknown`, due `now` (the
   * sweeper sends them at once), and returns them.
   */
  expireLeases(now: number, limit: number): Promise<Delivery[]>;
  /**
   * Deliveries in `state` (`queued` or `unknown`) whose `dueAt` is before `olderThan`: their
   * message was probably lost between store and broker, or its process died. Each is returned
   * with `dueAt` moved to `now`, so it is taken once per `now - olderThan` and not on every sweep
   * while its resent message waits in a long queue. The sweeper sends them again; a duplicate
   * message is harmless because the claim decides. One state per call: an equality every
   * server can use without a scan.
   */
  takeStranded(state: 'queued' | 'unknown', olderThan: number, now: number, limit: number): Promise<Delivery[]>;
  /**
   * Gives a parked delivery (`failed`) a new life after its cause was fixed: `failed` → `queued`,
   * due `now`, attempts back to 0 (the last error is kept until the next attempt). False when
   * the delivery is not `failed`.
   */
  reviveDelivery(id: string, now: number): Promise<boolean>;
  /** Counts deliveries per state, for health and `hayon queue status`. */
  countDeliveries(): Promise<Record<string, number>>;
  /**
   * Deliveries per platform and state with the earliest due time of each, for `hayon queue
   * status`. `failed` deliveries that gave up after their attempts on a passing error (those
   * parked for a replay) are counted as `parked`.
   */
  deliveryBreakdown(): Promise<DeliveryBreakdownRow[]>;

  // A post's history (`hayon posts show --log`)
  addAttemptRecord(record: AttemptRecord): Promise<void>;
  /** A post's attempt records, oldest first. */
  listAttemptRecords(postId: string): Promise<AttemptRecord[]>;

  // Pacing under platforms' write limits, shared by every worker
  getPacing(accountId: string): Promise<PaceLedger | null>;
  /**
   * Stores `ledger` if the stored one is still the version before it (none, for version 1): a
   * compare-and-set, so two workers spending on one account at once never both count on the
   * same room. False, and nothing written, when another write came first.
   */
  putPacing(ledger: PaceLedger): Promise<boolean>;

  // Incoming webhooks
  createHook(hook: Hook): Promise<void>;
  getHook(id: string): Promise<Hook | null>;
  /** A workspace's hooks, oldest first. */
  listHooks(workspaceId: string): Promise<Hook[]>;
  /** Changes the given fields; null when there is no such hook. */
  updateHook(id: string, patch: HookPatch, at: number): Promise<Hook | null>;
  /** False when there was no such hook. */
  deleteHook(id: string): Promise<boolean>;

  // Callbacks: an outbox of events to POST to callback URLs
  /** Stores a callback to send; false, and nothing written, when one with its id exists. */
  addCallback(callback: Callback): Promise<boolean>;
  /**
   * Atomically takes up to `limit` callbacks that are `pending` and due, or `sending` under a
   * lease that ran out before `now` (their sender died): each becomes `sending` until
   * `leaseUntil`, attempts + 1. Two senders never get the same callback.
   */
  takeDueCallbacks(now: number, leaseUntil: number, limit: number): Promise<Callback[]>;
  /** Records an attempt: `sent`, back to `pending` at `dueAt`, or `failed` for good. */
  finishCallback(id: string, outcome: CallbackOutcome, at: number): Promise<void>;
  /** A post's callbacks, oldest first (for `hayon posts show` and tests). */
  listCallbacks(postId: string): Promise<Callback[]>;
  /** The earliest `dueAt` among pending callbacks, or null. */
  nextCallbackDueAt(): Promise<number | null>;

  // Connecting accounts (OAuth)
  /** Stores a new flow; flows past their expiry are removed on the way. */
  putConnectState(state: ConnectState): Promise<void>;
  getConnectState(id: string): Promise<ConnectState | null>;
  /** Merges `data` into a flow's; false when there is no such flow. */
  updateConnectState(id: string, data: Record<string, unknown>): Promise<boolean>;
  /** Removes a flow and returns it, atomically: of two callers, one gets it (single use). */
  takeConnectState(id: string): Promise<ConnectState | null>;
  getOAuthApp(key: string): Promise<OAuthApp | null>;
  /** Stores a registered client unless one with its key exists; returns the one stored. */
  putOAuthApp(app: OAuthApp): Promise<OAuthApp>;
  /** Every registered client (`hayon secrets rotate` re-seals their secrets). */
  listOAuthApps(): Promise<OAuthApp[]>;
  /** Replaces a client's sealed secret while it is still `ifCurrent`; false otherwise. */
  resealOAuthApp(key: string, clientSecret: string, ifCurrent: string): Promise<boolean>;

  // The audit log
  addAudit(entry: AuditEntry): Promise<void>;
  /** A workspace's entries, newest first; `before` (epoch ms) pages back to older ones. */
  listAudit(workspaceId: string, options: { limit: number; before?: number }): Promise<AuditEntry[]>;
}
