import type { Connection } from 'mongoose';
import { cancellableStates } from '../../core/delivery-state.js';
import type { Account, Delivery, Post, PostWithDeliveries } from '../../core/post.js';
import type { CreatePostOptions, CreatePostResult, EditPostResult, PostEdit } from '../ports/post-store.js';
import { writePost } from './create-post.js';
import type { DeliveryWrites } from './delivery-writes.js';
import { idempotencySlot, toAccount, toDelivery, toPost } from './mapping.js';
import { editPost } from './post-edits.js';
import { heldTimes } from './post-slots.js';
import type { AccountDoc, DeliveryDoc, Models, PostDoc } from './schemas.js';

/** Posts on the Mongo store's connection: creating, reading, listing, cancelling and editing them. */
export class MongoPosts {
  constructor(
    private readonly connection: Connection,
    private readonly models: Models,
    private readonly writes: DeliveryWrites,
  ) {}

  async createPost(post: Post, deliveries: Delivery[], options: CreatePostOptions = {}): Promise<CreatePostResult> {
    // A key already used is found by the unique index, without a read first: the posts service
    // has looked for it already, so here it is a race, and the insert decides.
    const holder = await writePost(this.connection, this.models, post, deliveries, options);
    if (holder !== null) return { created: false, value: (await this.getPost(holder))! };
    // What was written is what a read would return (the contract checks it): no read back.
    return { created: true, value: { post, deliveries } };
  }

  /** An edit of a post that has not started, in one transaction: see post-edits.ts. */
  editPost(e: PostEdit): Promise<EditPostResult> {
    return editPost(this.connection, this.models, e);
  }

  /** One `aggregate`: the post, with the account joined by an uncorrelated `$lookup` on its `_id`. */
  async getPostAndAccount(postId: string, accountId: string): Promise<{ post: Post | null; account: Account | null }> {
    const [doc] = await this.models.posts.aggregate<PostDoc & { account: AccountDoc[] }>([
      { $match: { _id: postId } },
      { $limit: 1 },
      {
        $lookup: {
          from: this.models.accounts.collection.name,
          pipeline: [{ $match: { _id: accountId } }],
          as: 'account',
        },
      },
    ]);
    if (!doc) return { post: null, account: null };
    const { account, ...post } = doc;
    return { post: toPost(post), account: account[0] ? toAccount(account[0]) : null };
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
}
