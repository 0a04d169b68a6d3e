import mongoose, { type Connection, type QueryFilter, type UpdateQuery } from 'mongoose';
import { cancellableStates } from '../../core/delivery-state.js';
import {
  type Account,
  type AccountHealth,
  type ApiToken,
  type Delivery,
  deliveryStates,
  type Post,
  type PostWithDeliveries,
  type Workspace,
} from '../../core/post.js';
import type { AttemptOutcome, Claim, CreatePostResult, Store } from '../store.js';
import { belongsToCommitted, type DraftContext, repairDrafts, writePost } from './create-post.js';
import { isDuplicateKey } from './errors.js';
import {
  byDue,
  fromAccount,
  fromApiToken,
  fromWorkspace,
  keySlot,
  toAccount,
  toApiToken,
  toDelivery,
  toPost,
  toWorkspace,
} from './mapping.js';
import { createModels, type DeliveryDoc, type Models, type PostDoc } from './schemas.js';
import { WriteLocks } from './write-locks.js';

export interface MongoStoreOptions {
  /** `mongodb://…`; the database is the one in the URL unless `dbName` is given. */
  url: string;
  dbName?: string;
  /**
   * Guard each conditional update with a write lock (see write-locks.ts). Default: on when the
   * server is FerretDB 1.x, whose updates are not atomic; off for MongoDB.
   */
  writeLocks?: boolean;
  /** How long the server may take to answer before a call fails. Default 10000. */
  serverSelectionTimeoutMs?: number;
}

const clearLease = { leaseOwner: 1, leaseExpiresAt: 1 } as const;
const ABANDON_DRAFTS_AFTER_MS = 10 * 60_000;
const LOCKS = { ttlMs: 10_000, waitMs: 15_000 };

/**
 * The Store on MongoDB 7+ through mongoose, on its own connection. Every state change of a
 * delivery is one `findOneAndUpdate` on its id with a condition on its current state (and lease
 * owner), which MongoDB applies atomically; no transactions, no change streams. Batches
 * (takeDue, expireLeases, cancelPost) read candidates, then change each with its own conditional
 * update, so concurrent callers split them and never share one. createPost: see create-post.ts.
 * Tested against FerretDB 1.24, which needs write locks for the same guarantees.
 */
export class MongoStore implements Store {
  private readonly connection: Connection;
  private readonly models: Models;
  private locks: Promise<WriteLocks | null> | undefined;

  constructor(private readonly options: MongoStoreOptions) {
    this.connection = mongoose.createConnection(options.url, {
      ...(options.dbName === undefined ? {} : { dbName: options.dbName }),
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      autoIndex: false,
      autoCreate: false,
      ignoreUndefined: true,
    });
    // A failed first connection is reported by the first call (asPromise), not as an unhandled rejection.
    this.connection.on('error', () => undefined);
    this.models = createModels(this.connection);
  }

  async init(): Promise<void> {
    await this.connection.asPromise();
    await Promise.all(Object.values(this.models).map((model) => model.createIndexes()));
    await repairDrafts(this.drafts());
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  async ping(): Promise<void> {
    await this.connection.asPromise();
    await this.connection.db!.command({ ping: 1 });
  }

  /** The one way a delivery changes: a conditional update of one document, returned as changed. */
  private async cas(
    id: string,
    filter: QueryFilter<DeliveryDoc>,
    update: UpdateQuery<DeliveryDoc>,
    returnDocument: 'before' | 'after' = 'after',
  ): Promise<DeliveryDoc | null> {
    const run = () =>
      this.models.deliveries.findOneAndUpdate({ ...filter, _id: id }, update, { returnDocument }).lean<DeliveryDoc>();
    const locks = await this.writeLocks();
    return locks ? locks.with(id, run) : run();
  }

  private writeLocks(): Promise<WriteLocks | null> {
    this.locks ??= (async () => {
      let on = this.options.writeLocks;
      if (on === undefined) {
        await this.connection.asPromise();
        const info = await this.connection.db!.admin().command({ buildInfo: 1 });
        on = typeof info.ferretdbVersion === 'string' && /^v?1\./.test(info.ferretdbVersion);
      }
      return on ? new WriteLocks(this.models.locks, LOCKS) : null;
    })();
    // A failed detection (server down) is retried by the next call.
    this.locks.catch(() => (this.locks = undefined));
    return this.locks;
  }

  private drafts(): DraftContext {
    return {
      models: this.models,
      cas: (id, filter, update) => this.cas(id, filter, update),
      abandonAfterMs: ABANDON_DRAFTS_AFTER_MS,
    };
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

  async updateAccountCredentials(id: string, credentials: string, at: number): Promise<void> {
    await this.models.accounts.updateOne({ _id: id }, { $set: { credentials, updatedAt: new Date(at) } });
  }

  async setAccountHealth(id: string, health: AccountHealth, reason: string | undefined, at: number): Promise<void> {
    const set = { health, updatedAt: new Date(at), ...(reason === undefined ? {} : { healthReason: reason }) };
    const update = reason === undefined ? { $set: set, $unset: { healthReason: 1 } } : { $set: set };
    await this.models.accounts.updateOne({ _id: id }, update);
  }

  async createPost(post: Post, deliveries: Delivery[]): Promise<CreatePostResult> {
    if (post.idempotencyKey !== undefined) {
      const existing = await this.findPostByIdempotencyKey(post.workspaceId, post.idempotencyKey);
      if (existing) return { created: false, value: existing };
    }
    const holder = await writePost(this.drafts(), post, deliveries);
    if (holder !== null) return { created: false, value: (await this.getPost(holder))! };
    return { created: true, value: (await this.getPost(post.id))! };
  }

  async getPost(id: string): Promise<PostWithDeliveries | null> {
    const doc = await this.models.posts.findById(id).lean();
    return doc ? ((await this.withDeliveries([doc]))[0] ?? null) : null;
  }

  async findPostByIdempotencyKey(workspaceId: string, key: string): Promise<PostWithDeliveries | null> {
    const slot = keySlot({ id: '', idempotencyKey: key });
    const doc = await this.models.posts.findOne({ workspaceId, keySlot: slot }).lean();
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

  /** Attaches deliveries to posts with one query, in the order they were given to createPost. */
  private async withDeliveries(posts: PostDoc[]): Promise<PostWithDeliveries[]> {
    if (posts.length === 0) return [];
    const docs = await this.models.deliveries
      .find({ postId: { $in: posts.map((p) => p._id) } })
      .sort({ postId: 1, seq: 1 })
      .lean();
    return posts.map((p) => ({
      post: toPost(p),
      deliveries: docs.filter((d) => d.postId === p._id && belongsToCommitted(d, p.createToken)).map(toDelivery),
    }));
  }

  async cancelPost(postId: string, at: number): Promise<number> {
    const post = await this.models.posts.findById(postId).lean();
    if (!post) return 0;
    const docs = await this.models.deliveries.find({ postId }).lean();
    const cancellable = [...cancellableStates];
    const cancel = { $set: { state: 'cancelled', updatedAt: new Date(at) }, $unset: { ...clearLease, draft: 1 } };
    const results = await Promise.all(
      docs
        .filter((d) => belongsToCommitted(d, post.createToken))
        .map((d) =>
          // A draft of this post (its createPost is releasing it right now) is cancelled too.
          d.state === 'draft'
            ? this.cas(d._id, { state: 'draft', 'draft.token': post.createToken, 'draft.state': { $in: cancellable } }, cancel)
            : this.cas(d._id, { state: { $in: cancellable } }, cancel),
        ),
    );
    return results.filter((r) => r !== null).length;
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const doc = await this.models.deliveries.findOne({ _id: id, state: { $ne: 'draft' } }).lean();
    return doc ? toDelivery(doc) : null;
  }

  async takeDue(now: number, limit: number): Promise<Delivery[]> {
    const due: QueryFilter<DeliveryDoc> = { state: 'scheduled', dueAt: { $lte: new Date(now) } };
    return this.changeEach(due, { dueAt: 1, _id: 1 }, limit, { $set: { state: 'queued', updatedAt: new Date(now) } });
  }

  /**
   * Changes up to `limit` deliveries matching `filter`, in `sort` order, each with its own
   * conditional update: a candidate that another caller changed first no longer matches and is
   * skipped, and the search goes on until `limit` are changed or none is left.
   */
  private async changeEach(
    filter: QueryFilter<DeliveryDoc>,
    sort: Record<string, 1 | -1>,
    limit: number,
    update: UpdateQuery<DeliveryDoc>,
  ): Promise<Delivery[]> {
    const changed: Delivery[] = [];
    while (changed.length < limit) {
      const candidates = await this.models.deliveries
        .find(filter)
        .sort(sort)
        .limit(limit - changed.length)
        .select({ _id: 1 })
        .lean();
      if (candidates.length === 0) break;
      const docs = await Promise.all(candidates.map((c) => this.cas(c._id, filter, update)));
      for (const doc of docs) if (doc) changed.push(toDelivery(doc));
    }
    return changed.sort(byDue);
  }

  async nextDueAt(): Promise<number | null> {
    const doc = await this.models.deliveries.findOne({ state: 'scheduled' }).sort({ dueAt: 1 }).lean();
    return doc ? doc.dueAt.getTime() : null;
  }

  async claim(id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null> {
    // One update from either state; the document as it was tells which one it came from.
    const before = await this.cas(
      id,
      { $or: [{ state: 'queued', dueAt: { $lte: new Date(now) } }, { state: 'unknown' }] },
      {
        $set: { state: 'publishing', leaseOwner: owner, leaseExpiresAt: new Date(leaseUntil), updatedAt: new Date(now) },
        $inc: { attempts: 1 },
      },
      'before',
    );
    if (!before || (before.state !== 'queued' && before.state !== 'unknown')) return null;
    const delivery = toDelivery({
      ...before,
      state: 'publishing',
      attempts: before.attempts + 1,
      leaseOwner: owner,
      leaseExpiresAt: new Date(leaseUntil),
      updatedAt: new Date(now),
    });
    return { delivery, from: before.state };
  }

  async renewLease(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    const doc = await this.cas(
      id,
      { state: 'publishing', leaseOwner: owner },
      { $set: { leaseExpiresAt: new Date(leaseUntil) } },
    );
    return doc !== null;
  }

  async finishAttempt(id: string, owner: string, outcome: AttemptOutcome, at: number): Promise<boolean> {
    const updatedAt = new Date(at);
    const set =
      outcome.kind === 'published'
        ? { state: 'published', result: outcome.result, publishedAt: new Date(outcome.at), updatedAt }
        : outcome.kind === 'retry'
          ? { state: outcome.state, dueAt: new Date(outcome.dueAt), lastError: outcome.error, updatedAt }
          : { state: 'failed', lastError: outcome.error, updatedAt };
    const doc = await this.cas(id, { state: 'publishing', leaseOwner: owner }, { $set: set, $unset: clearLease });
    return doc !== null;
  }

  async expireLeases(now: number, limit: number): Promise<Delivery[]> {
    const lapsed: QueryFilter<DeliveryDoc> = { state: 'publishing', leaseExpiresAt: { $lt: new Date(now) } };
    return this.changeEach(lapsed, { leaseExpiresAt: 1, _id: 1 }, limit, {
      $set: { state: 'unknown', updatedAt: new Date(now) },
      $unset: clearLease,
    });
  }

  async findStranded(olderThan: number, limit: number): Promise<Delivery[]> {
    // The sweeper is also where createPost calls that a crashed process left half-done are finished.
    await repairDrafts(this.drafts());
    const docs = await this.models.deliveries
      .find({ state: { $in: ['queued', 'unknown'] }, dueAt: { $lt: new Date(olderThan) } })
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit)
      .lean();
    return docs.map(toDelivery);
  }

  async countDeliveries(): Promise<Record<string, number>> {
    const rows = await this.models.deliveries.aggregate<{ _id: string; n: number }>([
      { $match: { state: { $ne: 'draft' } } },
      { $group: { _id: '$state', n: { $sum: 1 } } },
    ]);
    const counts: Record<string, number> = Object.fromEntries(deliveryStates.map((s) => [s, 0]));
    for (const row of rows) counts[row._id] = row.n;
    return counts;
  }
}
