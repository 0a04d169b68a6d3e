import mongoose, { type Connection } from 'mongoose';
import {
  type Account,
  type AccountHealth,
  type ApiToken,
  type Delivery,
  deliveryStates,
  type Post,
  type PostWithDeliveries,
  type Workspace,
  type WorkspaceSettings,
} from '../../core/post.js';
import { cancellableStates } from '../../core/delivery-state.js';
import type { AttemptOutcome, Claim, DeliveryProgress } from '../ports/delivery-store.js';
import type { CreatePostOptions, CreatePostResult, EditPostResult, PostEdit } from '../ports/post-store.js';
import type { Store } from '../store.js';
import { requireTransactions, writePost } from './create-post.js';
import { heldTimes } from './post-slots.js';
import { DeliveryWrites } from './delivery-writes.js';
import { editPost } from './post-edits.js';
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
import { isDuplicateKey, isUnreachable } from './errors.js';
import { translateStoreErrors } from '../unavailable.js';
import {
  fromAccount,
  fromApiToken,
  fromWorkspace,
  idempotencySlot,
  toAccount,
  toApiToken,
  toDelivery,
  toPost,
  toWorkspace,
} from './mapping.js';
import { MongoRemovals } from './removals.js';
import { createModels, type DeliveryDoc, type Models, type PostDoc } from './schemas.js';

export interface MongoStoreOptions {
  /** `mongodb://…`; the database is the one in the URL unless `dbName` is given. */
  url: string;
  dbName?: string;
  /**
   * How long a call waits for a reachable server (server selection, and mongoose's buffering
   * while disconnected) before it fails as StoreUnavailableError. Default 3000.
   */
  serverSelectionTimeoutMs?: number;
}

/**
 * The Store on MongoDB 7+ (a replica set: createPost uses a transaction) through mongoose, on its
 * own connection; no change streams. Every state change of a delivery is one conditional
 * `findOneAndUpdate` (see delivery-writes.ts); createPost writes its post and deliveries in one
 * transaction (see create-post.ts). Tested against DocumentDB (see README.md).
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

  constructor(options: MongoStoreOptions) {
    this.connection = mongoose.createConnection(options.url, {
      ...(options.dbName === undefined ? {} : { dbName: options.dbName }),
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 3000,
      // Mongoose reads it from the connection options (its types do not list it).
      ...({ bufferTimeoutMS: options.serverSelectionTimeoutMs ?? 3000 } as object),
      autoIndex: false,
      autoCreate: false,
      ignoreUndefined: true,
    });
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
    // Down or unreachable: one StoreUnavailableError for the edges (see ../unavailable.ts).
    // biome-ignore lint/correctness/noConstructorReturn: every method's errors pass through it
    return translateStoreErrors(this, (e) => (isUnreachable(e) ? 'not_answering' : undefined));
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

  async ping(): Promise<void> {
    await this.connection.asPromise();
    await this.connection.db!.command({ ping: 1 });
  }

  async ensureWorkspace(workspace: Workspace): Promise<Workspace> {
    try {
      await this.models.workspaces.insertMany([fromWorkspace(workspace)]);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    return (await this.getWorkspace(workspace.id))!;
  }

  async getWorkspace(id: string): Promise<Workspace | null> {
    const doc = await this.models.workspaces.findById(id).lean();
    return doc ? toWorkspace(doc) : null;
  }

  async updateWorkspaceSettings(id: string, settings: WorkspaceSettings): Promise<Workspace | null> {
    // One document, one atomic update: each setting is its own field, so concurrent changes of
    // different settings do not overwrite each other.
    const set = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`settings.${k}`, v]));
    const doc = await this.models.workspaces.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean();
    return doc ? toWorkspace(doc) : null;
  }

  async createApiToken(token: ApiToken): Promise<void> {
    await this.models.apiTokens.insertMany([fromApiToken(token)]);
  }

  async findApiTokenByHash(hash: string): Promise<ApiToken | null> {
    const doc = await this.models.apiTokens.findOne({ hash }).lean();
    return doc ? toApiToken(doc) : null;
  }

  async touchApiToken(id: string, at: number): Promise<void> {
    await this.models.apiTokens.updateOne({ _id: id }, { $set: { lastUsedAt: new Date(at) } });
  }

  async createAccount(account: Account): Promise<void> {
    await this.models.accounts.insertMany([fromAccount(account)]);
  }

  async getAccount(id: string): Promise<Account | null> {
    const doc = await this.models.accounts.findById(id).lean();
    return doc ? toAccount(doc) : null;
  }

  async listAccounts(workspaceId: string): Promise<Account[]> {
    const docs = await this.models.accounts.find({ workspaceId }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(toAccount);
  }

  async updateAccountCredentials(id: string, credentials: string, at: number, ifCurrent?: string): Promise<void> {
    // One conditional update: with `ifCurrent`, only a caller that saw the current value writes.
    const filter = ifCurrent === undefined ? { _id: id } : { _id: id, credentials: ifCurrent };
    await this.models.accounts.updateOne(filter, { $set: { credentials, updatedAt: new Date(at) } });
  }

  async setAccountHealth(id: string, health: AccountHealth, reason: string | undefined, at: number): Promise<void> {
    const set = { health, updatedAt: new Date(at), ...(reason === undefined ? {} : { healthReason: reason }) };
    const update = reason === undefined ? { $set: set, $unset: { healthReason: 1 } } : { $set: set };
    await this.models.accounts.updateOne({ _id: id }, update);
  }

  async markAccountUnhealthy(
    id: string,
    health: Exclude<AccountHealth, 'active'>,
    reason: string,
    at: number,
  ): Promise<boolean> {
    // One conditional update: of callers racing on an active account, one wins.
    const before = await this.models.accounts.findOneAndUpdate(
      { _id: id, health: 'active' },
      { $set: { health, healthReason: reason, updatedAt: new Date(at) } },
    );
    return before !== null;
  }

  async wakeWaitingDeliveries(accountId: string, now: number): Promise<number> {
    const docs = await this.models.deliveries
      .find({ accountId, state: 'scheduled', 'lastError.kind': 'auth' })
      .lean<DeliveryDoc[]>();
    return this.writes.bringForward(docs, now);
  }

  // Removals: see removals.ts.
  readonly waitingDeliveriesOf = (accountId: string) => this.removals.waitingDeliveriesOf(accountId);
  readonly cancelDeliveriesOf = (accountId: string, at: number) => this.removals.cancelDeliveriesOf(accountId, at);
  readonly removeAccount = (id: string) => this.removals.removeAccount(id);
  readonly markDeliveryDeleted = (id: string, at: number) => this.removals.markDeliveryDeleted(id, at);

  async createPost(post: Post, deliveries: Delivery[], options: CreatePostOptions = {}): Promise<CreatePostResult> {
    if (post.idempotencyKey !== undefined) {
      const existing = await this.findPostByIdempotencyKey(post.workspaceId, post.idempotencyKey);
      if (existing) return { created: false, value: existing };
    }
    const holder = await writePost(this.connection, this.models, post, deliveries, options, (entry, session) =>
      this.tokensAudit.addAudit(entry, session),
    );
    if (holder !== null) return { created: false, value: (await this.getPost(holder))! };
    // What was written is what a read would return (the contract checks it): no read back.
    return { created: true, value: { post, deliveries } };
  }

  /** An edit of a post that has not started, in one transaction: see post-edits.ts. */
  editPost(e: PostEdit): Promise<EditPostResult> {
    return editPost(this.connection, this.models, e);
  }

  async getPostAlone(id: string): Promise<Post | null> {
    const doc = await this.models.posts.findById(id).lean();
    return doc ? toPost(doc) : null;
  }

  async correlationIds(postIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(postIds)];
    if (ids.length === 0) return new Map();
    const docs = await this.models.posts
      .find({ _id: { $in: ids } })
      .select({ _id: 1, correlationId: 1 })
      .lean();
    return new Map(docs.map((d) => [d._id, d.correlationId]));
  }

  async getPost(id: string): Promise<PostWithDeliveries | null> {
    const doc = await this.models.posts.findById(id).lean();
    return doc ? ((await this.withDeliveries([doc]))[0] ?? null) : null;
  }

  async findPostByIdempotencyKey(workspaceId: string, key: string): Promise<PostWithDeliveries | null> {
    const doc = await this.models.posts.findOne({ workspaceId, keySlot: idempotencySlot(key) }).lean();
    return doc ? ((await this.withDeliveries([doc]))[0] ?? null) : null;
  }

  async listPosts(workspaceId: string, options: { limit: number; before?: number }): Promise<PostWithDeliveries[]> {
    const filter = options.before === undefined ? {} : { createdAt: { $lt: new Date(options.before) } };
    const docs = await this.models.posts
      .find({ workspaceId, ...filter })
      .sort({ createdAt: -1, _id: -1 })
      .limit(options.limit)
      .lean();
    return this.withDeliveries(docs);
  }

  async listPostsScheduled(
    workspaceId: string,
    range: { from: number; to: number; limit: number },
  ): Promise<PostWithDeliveries[]> {
    const docs = await this.models.posts
      .find({ workspaceId, scheduledAt: { $gte: new Date(range.from), $lt: new Date(range.to) } })
      .sort({ scheduledAt: 1, _id: 1 })
      .limit(range.limit)
      .lean();
    return this.withDeliveries(docs);
  }

  async listScheduledTimes(workspaceId: string, range: { from: number; to: number }): Promise<number[]> {
    const docs = await this.models.posts
      .find({ workspaceId, scheduledAt: { $gte: new Date(range.from), $lt: new Date(range.to) } }, { scheduledAt: 1 })
      .sort({ scheduledAt: 1 })
      .lean();
    return docs.map((d) => d.scheduledAt.getTime());
  }

  /** Attaches deliveries to posts (one `$in` query), in the order they were given to createPost. */
  private async withDeliveries(posts: PostDoc[]): Promise<PostWithDeliveries[]> {
    if (posts.length === 0) return [];
    const docs = await this.models.deliveries
      .find({ postId: { $in: posts.map((p) => p._id) } })
      .sort({ postId: 1, seq: 1 })
      .lean<DeliveryDoc[]>();
    return posts.map((p) => ({
      post: toPost(p),
      deliveries: docs.filter((d) => d.postId === p._id).map(toDelivery),
    }));
  }

  heldTimes(workspaceId: string, range: { from: number; to: number }): Promise<number[]> {
    return heldTimes(this.models, workspaceId, range);
  }

  async cancelPost(postId: string, at: number): Promise<number> {
    // A post's deliveries exist exactly when the post does (createPost's transaction).
    const docs = await this.models.deliveries.find({ postId, state: { $in: [...cancellableStates] } }).lean();
    return this.writes.cancel(docs, at);
  }

  async bringForward(postId: string, now: number): Promise<number> {
    const docs = await this.models.deliveries
      .find({ postId, state: 'scheduled', dueAt: { $gt: new Date(now) } })
      .lean();
    return this.writes.bringForward(docs, now);
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const doc = await this.models.deliveries.findById(id).lean();
    return doc ? toDelivery(doc) : null;
  }

  takeDueByIds(ids: readonly string[], now: number): Promise<Delivery[]> {
    return this.writes.takeDueByIds(ids, now);
  }

  takeDue(now: number, limit: number): Promise<Delivery[]> {
    return this.writes.takeDue(now, limit);
  }

  async nextDueAt(): Promise<number | null> {
    const doc = await this.models.deliveries.findOne({ state: 'scheduled' }).sort({ dueAt: 1 }).lean();
    return doc ? doc.dueAt.getTime() : null;
  }

  claim(id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null> {
    return this.writes.claim(id, owner, now, leaseUntil);
  }

  reviveDelivery(id: string, now: number, to: 'queued' | 'scheduled' = 'queued'): Promise<boolean> {
    return this.writes.revive(id, now, to);
  }

  renewLease(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    return this.writes.renewLease(id, owner, leaseUntil);
  }

  saveProgress(id: string, owner: string, progress: DeliveryProgress, at: number): Promise<boolean> {
    return this.writes.saveProgress(id, owner, progress, at);
  }

  finishAttempt(id: string, owner: string, outcome: AttemptOutcome, at: number): Promise<boolean> {
    return this.writes.finishAttempt(id, owner, outcome, at);
  }

  expireLeases(now: number, limit: number): Promise<Delivery[]> {
    return this.writes.expireLeases(now, limit);
  }

  async takeStranded(state: 'queued' | 'unknown', olderThan: number, now: number, limit: number): Promise<Delivery[]> {
    return this.writes.takeStranded(state, olderThan, now, limit);
  }

  async countDeliveries(): Promise<Record<string, number>> {
    const rows = await this.models.deliveries.aggregate<{ _id: string; n: number }>([
      { $group: { _id: '$state', n: { $sum: 1 } } },
    ]);
    const counts: Record<string, number> = Object.fromEntries(deliveryStates.map((s) => [s, 0]));
    for (const row of rows) counts[row._id] = row.n;
    return counts;
  }

  // History, breakdown and pacing: see history-pacing.ts.
  readonly deliveryBreakdown = (): Promise<DeliveryBreakdownRow[]> => this.history.deliveryBreakdown();
  readonly addAttemptRecord = (record: AttemptRecord): Promise<void> => this.history.addAttemptRecord(record);
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
