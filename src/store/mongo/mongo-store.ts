import mongoose, { type Connection } from 'mongoose';
import type {
  Account,
  AccountHealth,
  ApiToken,
  Delivery,
  Post,
  PostWithDeliveries,
  Workspace,
  WorkspaceSettings,
} from '../../core/post.js';
import type { AttemptOutcome, Claim, DeliveryProgress } from '../ports/delivery-store.js';
import type { CreatePostOptions, EditPostResult, PostEdit } from '../ports/post-store.js';
import type { Store } from '../store.js';
import { requireTransactions } from './create-post.js';
import { DeliveryWrites } from './delivery-writes.js';
import { MongoAccounts } from './accounts.js';
import { MongoDeliveryReads } from './delivery-reads.js';
import { MongoPosts } from './posts.js';
import { MongoHooksCallbacks } from './hooks-callbacks.js';
import { MongoChatOutbox } from './chat-outbox.js';
import type { ChatMessage, ChatMessageOutcome } from '../../core/chat-message.js';
import { MongoConnect } from './connect.js';
import { MongoWebSessions } from './web-sessions.js';
import type { WebSessionStore as Web } from '../ports/web-session-store.js';
import { MongoTokensAudit } from './tokens-audit.js';
import { MongoHistoryPacing } from './history-pacing.js';
import type { AttemptRecord, DeliveryBreakdownRow } from '../../core/history.js';
import type { PaceLedger } from '../../core/pacing.js';
import type { AuditEntry } from '../../core/audit.js';
import type { ConnectState, OAuthApp } from '../../core/connect.js';
import type { Callback, CallbackOutcome, Hook, HookPatch } from '../../core/hook.js';
import { mongoAwayReason } from './errors.js';
import { translateStoreErrors } from '../unavailable.js';
import { MongoRemovals } from './removals.js';
import { createModels, type Models } from './schemas.js';

export interface MongoStoreOptions {
  /** `mongodb://…`; the database is the one in the URL unless `dbName` is given. */
  url: string;
  dbName?: string;
  /**
   * How long a call waits for a reachable server (server selection, and mongoose's buffering
   * while disconnected) before it fails as StoreUnavailableError. Default 3000.
   */
  serverSelectionTimeoutMs?: number;
  /**
   * Told when the connection was opened anew because its client stayed cut off from a server
   * that a new client reaches (see `ping`), with what happened.
   */
  onReopened?: (what: string) => void;
  /** Told when that check, or opening the connection anew, failed (the store goes on as away). */
  onReopenFailed?: (err: unknown) => void;
  /** How long pings must have failed before the client is suspected stuck, and how often it is checked then. Default 10,000. */
  stuckAfterMs?: number;
}

function connectOptions(options: MongoStoreOptions): mongoose.ConnectOptions {
  const { dbName, serverSelectionTimeoutMs = 3000 } = options;
  return {
    ...(dbName === undefined ? {} : { dbName }),
    serverSelectionTimeoutMS: serverSelectionTimeoutMs,
    // Mongoose reads it from the connection options (its types do not list it).
    ...({ bufferTimeoutMS: serverSelectionTimeoutMs } as object),
    autoIndex: false,
    autoCreate: false,
    ignoreUndefined: true,
  };
}

/**
 * Whether `connection`'s client is stuck, and if so, opens it anew: true when it did. Stuck: a new
 * client reaches the server that it cannot. A server away for every client leaves it as it is.
 */
async function reopenIfStuck(connection: mongoose.Connection, options: MongoStoreOptions): Promise<boolean> {
  const probe = new mongoose.mongo.MongoClient(options.url, { serverSelectionTimeoutMS: 2000, maxPoolSize: 1 });
  try {
    await probe.db('admin').command({ ping: 1 });
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => undefined);
  }
  await connection.close().catch(() => undefined);
  await connection.openUri(options.url, connectOptions(options));
  return true;
}

/**
 * The Store on MongoDB 7+ (a replica set: an edit, and a post that takes a slot of the queue, are
 * written in a transaction) through mongoose, on its own connection; no change streams. Every
 * state change of a delivery is one conditional `findOneAndUpdate` (see delivery-writes.ts);
 * createPost writes the deliveries and then the post, two commands (see create-post.ts). Tested
 * against DocumentDB (see README.md).
 */
export class MongoStore implements Store {
  private readonly connection: Connection;
  private readonly models: Models;
  private readonly writes: DeliveryWrites;
  private readonly hooks: MongoHooksCallbacks;
  private readonly chat: MongoChatOutbox;
  private readonly connect: MongoConnect;
  private readonly tokensAudit: MongoTokensAudit;
  private readonly history: MongoHistoryPacing;
  private readonly removals: MongoRemovals;
  private readonly web: MongoWebSessions;
  private readonly accounts: MongoAccounts;
  private readonly posts: MongoPosts;
  private readonly reads: MongoDeliveryReads;

  private readonly options: MongoStoreOptions;
  /** Since when every ping failed (undefined while they pass), and when the client was last checked. */
  private failingSince: number | undefined;
  private lastStuckCheck = 0;
  private reopening: Promise<void> | undefined;

  constructor(options: MongoStoreOptions) {
    this.options = options;
    this.connection = mongoose.createConnection(options.url, connectOptions(options));
    // A failed first connection is reported by the first call (asPromise), not as an unhandled rejection.
    this.connection.on('error', () => undefined);
    this.models = createModels(this.connection);
    this.writes = new DeliveryWrites(this.models);
    this.hooks = new MongoHooksCallbacks(this.connection);
    this.chat = new MongoChatOutbox(this.connection);
    this.connect = new MongoConnect(this.connection);
    this.tokensAudit = new MongoTokensAudit(this.connection, this.models);
    this.history = new MongoHistoryPacing(this.connection, this.models);
    this.removals = new MongoRemovals(this.models, this.writes);
    this.web = new MongoWebSessions(this.connection);
    this.accounts = new MongoAccounts(this.models, this.writes);
    this.posts = new MongoPosts(this.connection, this.models, this.writes);
    this.reads = new MongoDeliveryReads(this.models);
    // Down or unreachable: one StoreUnavailableError for the edges (see ../unavailable.ts).
    // biome-ignore lint/correctness/noConstructorReturn: every method's errors pass through it
    return translateStoreErrors(this, mongoAwayReason);
  }

  async init(): Promise<void> {
    await this.connection.asPromise();
    await requireTransactions(this.connection);
    await Promise.all(Object.values(this.models).map((model) => model.createIndexes()));
    await this.hooks.init();
    await this.chat.init();
    await this.connect.init();
    await this.tokensAudit.init();
    await this.history.init();
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /**
   * The readiness probe, and the breaker's (see ../unavailable.ts). When pings have failed for
   * 10 s, it checks at most every 10 s whether a new client reaches the server: if one does, this
   * client is stuck (its server monitor waits on a connection cut mid-check and never tries again,
   * seen on DocumentDB after its connections were cut), and the connection is opened anew.
   */
  async ping(): Promise<void> {
    try {
      await this.connection.asPromise();
      await this.connection.db!.command({ ping: 1 });
      this.failingSince = undefined;
    } catch (e) {
      const now = Date.now();
      const stuckAfterMs = this.options.stuckAfterMs ?? 10_000;
      this.failingSince ??= now;
      if (now - this.failingSince >= stuckAfterMs && now - this.lastStuckCheck >= stuckAfterMs && !this.reopening) {
        this.lastStuckCheck = now;
        // It runs beside the ping, and whatever it meets is reported, never left unhandled (an
        // unhandled rejection ends the process: `hayon serve` once stopped so in the chaos test).
        const { connection, options } = this;
        this.reopening = reopenIfStuck(connection, options)
          .then((reopened) => {
            if (!reopened) return;
            this.failingSince = undefined;
            options.onReopened?.('its client could not reach a server that a new client reached');
          })
          .catch((err: unknown) => options.onReopenFailed?.(err))
          .finally(() => {
            this.reopening = undefined;
          });
      }
      throw e;
    }
  }

  // Workspaces and API tokens: see tokens-audit.ts.
  readonly ensureWorkspace = (workspace: Workspace): Promise<Workspace> => this.tokensAudit.ensureWorkspace(workspace);
  readonly getWorkspace = (id: string): Promise<Workspace | null> => this.tokensAudit.getWorkspace(id);
  readonly updateWorkspaceSettings = (id: string, settings: WorkspaceSettings): Promise<Workspace | null> =>
    this.tokensAudit.updateWorkspaceSettings(id, settings);
  readonly createApiToken = (token: ApiToken): Promise<void> => this.tokensAudit.createApiToken(token);
  readonly findApiTokenByHash = (hash: string): Promise<ApiToken | null> => this.tokensAudit.findApiTokenByHash(hash);
  readonly touchApiToken = (id: string, at: number): Promise<void> => this.tokensAudit.touchApiToken(id, at);

  // Accounts: see accounts.ts.
  readonly createAccount = (account: Account): Promise<void> => this.accounts.createAccount(account);
  readonly getAccount = (id: string): Promise<Account | null> => this.accounts.getAccount(id);
  readonly listAccounts = (workspaceId: string): Promise<Account[]> => this.accounts.listAccounts(workspaceId);
  readonly updateAccountCredentials = (id: string, credentials: string, at: number, ifCurrent?: string) =>
    this.accounts.updateAccountCredentials(id, credentials, at, ifCurrent);
  readonly setAccountHealth = (id: string, health: AccountHealth, reason: string | undefined, at: number) =>
    this.accounts.setAccountHealth(id, health, reason, at);
  readonly markAccountUnhealthy = (id: string, health: Exclude<AccountHealth, 'active'>, reason: string, at: number) =>
    this.accounts.markAccountUnhealthy(id, health, reason, at);
  readonly wakeWaitingDeliveries = (accountId: string, now: number): Promise<number> =>
    this.accounts.wakeWaitingDeliveries(accountId, now);

  // Removals: see removals.ts.
  readonly waitingDeliveriesOf = (accountId: string) => this.removals.waitingDeliveriesOf(accountId);
  readonly cancelDeliveriesOf = (accountId: string, at: number) => this.removals.cancelDeliveriesOf(accountId, at);
  readonly removeAccount = (id: string) => this.removals.removeAccount(id);
  readonly markDeliveryDeleted = (id: string, at: number) => this.removals.markDeliveryDeleted(id, at);

  // Posts: see posts.ts (create-post.ts and post-edits.ts for its transactions).
  readonly createPost = (post: Post, deliveries: Delivery[], options?: CreatePostOptions) =>
    this.posts.createPost(post, deliveries, options);
  readonly editPost = (e: PostEdit): Promise<EditPostResult> => this.posts.editPost(e);
  readonly getPostAndAccount = (postId: string, accountId: string) => this.posts.getPostAndAccount(postId, accountId);
  readonly correlationIds = (postIds: readonly string[]): Promise<Map<string, string>> =>
    this.posts.correlationIds(postIds);
  readonly getPost = (id: string): Promise<PostWithDeliveries | null> => this.posts.getPost(id);
  readonly findPostByIdempotencyKey = (workspaceId: string, key: string) =>
    this.posts.findPostByIdempotencyKey(workspaceId, key);
  readonly listPosts = (workspaceId: string, options: { limit: number; before?: number }) =>
    this.posts.listPosts(workspaceId, options);
  readonly listPostsScheduled = (workspaceId: string, range: { from: number; to: number; limit: number }) =>
    this.posts.listPostsScheduled(workspaceId, range);
  readonly listScheduledTimes = (workspaceId: string, range: { from: number; to: number }) =>
    this.posts.listScheduledTimes(workspaceId, range);
  readonly heldTimes = (workspaceId: string, range: { from: number; to: number }): Promise<number[]> =>
    this.posts.heldTimes(workspaceId, range);
  readonly cancelPost = (postId: string, at: number): Promise<number> => this.posts.cancelPost(postId, at);
  readonly bringForward = (postId: string, now: number): Promise<number> => this.posts.bringForward(postId, now);

  // Reads of deliveries: see delivery-reads.ts; their state changes: see delivery-writes.ts.
  readonly getDelivery = (id: string): Promise<Delivery | null> => this.reads.getDelivery(id);
  readonly nextDueAt = (): Promise<number | null> => this.reads.nextDueAt();
  readonly countDeliveries = (): Promise<Record<string, number>> => this.reads.countDeliveries();
  readonly takeDueByIds = (ids: readonly string[], now: number): Promise<Delivery[]> =>
    this.writes.takeDueByIds(ids, now);
  readonly takeDue = (now: number, limit: number): Promise<Delivery[]> => this.writes.takeDue(now, limit);
  readonly claim = (id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null> =>
    this.writes.claim(id, owner, now, leaseUntil);
  readonly reviveDelivery = (id: string, now: number, to: 'queued' | 'scheduled' = 'queued'): Promise<boolean> =>
    this.writes.revive(id, now, to);
  readonly renewLease = (id: string, owner: string, leaseUntil: number): Promise<boolean> =>
    this.writes.renewLease(id, owner, leaseUntil);
  readonly saveProgress = (id: string, owner: string, progress: DeliveryProgress, at: number): Promise<boolean> =>
    this.writes.saveProgress(id, owner, progress, at);
  readonly finishAttempt = (id: string, owner: string, outcome: AttemptOutcome, at: number, record?: AttemptRecord) =>
    this.writes.finishAttempt(id, owner, outcome, at, record);
  readonly expireLeases = (now: number, limit: number): Promise<Delivery[]> => this.writes.expireLeases(now, limit);
  readonly takeStranded = (state: 'queued' | 'unknown', olderThan: number, now: number, limit: number) =>
    this.writes.takeStranded(state, olderThan, now, limit);

  // History, breakdown and pacing: see history-pacing.ts.
  readonly deliveryBreakdown = (): Promise<DeliveryBreakdownRow[]> => this.history.deliveryBreakdown();
  readonly listAttemptRecords = (postId: string): Promise<AttemptRecord[]> => this.history.listAttemptRecords(postId);
  readonly getPacing = (accountId: string): Promise<PaceLedger | null> => this.history.getPacing(accountId);
  readonly putPacing = (ledger: PaceLedger): Promise<boolean> => this.history.putPacing(ledger);

  // Hooks and callbacks: see hooks-callbacks.ts.
  readonly createHook = (hook: Hook): Promise<void> => this.hooks.createHook(hook);
  readonly getHook = (id: string): Promise<Hook | null> => this.hooks.getHook(id);
  readonly listHooks = (workspaceId: string): Promise<Hook[]> => this.hooks.listHooks(workspaceId);
  readonly updateHook = (id: string, patch: HookPatch, at: number): Promise<Hook | null> =>
    this.hooks.updateHook(id, patch, at);
  readonly deleteHook = (id: string): Promise<boolean> => this.hooks.deleteHook(id);
  readonly addCallback = (callback: Callback): Promise<boolean> => this.hooks.addCallback(callback);
  readonly takeDueCallbacks = (now: number, leaseUntil: number, limit: number): Promise<Callback[]> =>
    this.hooks.takeDueCallbacks(now, leaseUntil, limit);
  readonly finishCallback = (id: string, outcome: CallbackOutcome, at: number): Promise<void> =>
    this.hooks.finishCallback(id, outcome, at);
  readonly listCallbacks = (postId: string): Promise<Callback[]> => this.hooks.listCallbacks(postId);
  readonly nextCallbackDueAt = (): Promise<number | null> => this.hooks.nextCallbackDueAt();

  // The chat outbox: see chat-outbox.ts.
  readonly addChatMessage = (m: ChatMessage): Promise<boolean> => this.chat.addChatMessage(m);
  readonly takeDueChatMessages = (now: number, leaseUntil: number, limit: number): Promise<ChatMessage[]> =>
    this.chat.takeDueChatMessages(now, leaseUntil, limit);
  readonly finishChatMessage = (id: string, outcome: ChatMessageOutcome, at: number): Promise<void> =>
    this.chat.finishChatMessage(id, outcome, at);
  readonly listChatMessages = (thread: string): Promise<ChatMessage[]> => this.chat.listChatMessages(thread);
  readonly nextChatMessageDueAt = (): Promise<number | null> => this.chat.nextChatMessageDueAt();

  // The web page's sign-in links and sessions: see web-sessions.ts.
  readonly putWebLogin: Web['putWebLogin'] = (link) => this.web.putWebLogin(link);
  readonly useWebLogin: Web['useWebLogin'] = (hash, at) => this.web.useWebLogin(hash, at);
  readonly putWebSession: Web['putWebSession'] = (session) => this.web.putWebSession(session);
  readonly getWebSession: Web['getWebSession'] = (hash) => this.web.getWebSession(hash);
  readonly touchWebSession: Web['touchWebSession'] = (hash, at) => this.web.touchWebSession(hash, at);
  readonly deleteWebSession: Web['deleteWebSession'] = (hash) => this.web.deleteWebSession(hash);

  // Connect flows and OAuth clients: see connect.ts.
  readonly putConnectState = (state: ConnectState): Promise<void> => this.connect.putConnectState(state);
  readonly getConnectState = (id: string): Promise<ConnectState | null> => this.connect.getConnectState(id);
  readonly updateConnectState = (id: string, data: Record<string, unknown>): Promise<boolean> =>
    this.connect.updateConnectState(id, data);
  readonly takeConnectState = (id: string): Promise<ConnectState | null> => this.connect.takeConnectState(id);
  readonly getOAuthApp = (key: string): Promise<OAuthApp | null> => this.connect.getOAuthApp(key);
  readonly putOAuthApp = (app: OAuthApp): Promise<OAuthApp> => this.connect.putOAuthApp(app);
  readonly listOAuthApps = (): Promise<OAuthApp[]> => this.connect.listOAuthApps();
  readonly resealOAuthApp = (key: string, clientSecret: string, ifCurrent: string): Promise<boolean> =>
    this.connect.resealOAuthApp(key, clientSecret, ifCurrent);

  // Token listing and revocation, workspaces, the audit log: see tokens-audit.ts.
  readonly listApiTokens = (workspaceId: string): Promise<ApiToken[]> => this.tokensAudit.listApiTokens(workspaceId);
  readonly revokeApiToken = (id: string, at: number): Promise<boolean> => this.tokensAudit.revokeApiToken(id, at);
  readonly listWorkspaces = (): Promise<Workspace[]> => this.tokensAudit.listWorkspaces();
  readonly addAudit = (entry: AuditEntry): Promise<void> => this.tokensAudit.addAudit(entry);
  readonly listAudit = (workspaceId: string, options: { limit: number; before?: number }): Promise<AuditEntry[]> =>
    this.tokensAudit.listAudit(workspaceId, options);
}
