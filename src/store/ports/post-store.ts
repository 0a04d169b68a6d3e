import type { AuditEntry } from '../../core/audit.js';
import type { Account, Delivery, Post, PostWithDeliveries } from '../../core/post.js';

/** The result of `createPost`: either the new post, or the one an idempotency key points to. */
export type CreatePostResult =
  | { created: true; value: PostWithDeliveries }
  | { created: false; value: PostWithDeliveries };

/**
 * An edit of a post of which nothing has started publishing (`PostStore.editPost`): the post as
 * edited (same id), and what becomes of each of its deliveries that is not cancelled.
 */
export interface PostEdit {
  post: Post;
  /** Kept: each back to `scheduled`, due `dueAt`, with its thread parts now (absent: a single post). */
  keep: { id: string; parts?: string[] | undefined }[];
  /** Targets the edit added: new deliveries, `scheduled` at `dueAt`. */
  add: Delivery[];
  /** Targets the edit removed: these become `cancelled`. */
  cancel: string[];
  dueAt: number;
  at: number;
}

/** The result of `editPost`: the post as edited, or the deliveries that had started (nothing written). */
export type EditPostResult = { edited: true; value: PostWithDeliveries } | { edited: false; started: Delivery[] };

export interface CreatePostOptions {
  /**
   * The post takes a slot of the workspace's queue (`when: "next slot"`): it is stored only when
   * no other post holds its `scheduledAt` (see `heldTimes`), checked in the same transaction as
   * the insert; otherwise nothing is written and `SlotTakenError` is thrown.
   */
  slot?: boolean;
  /**
   * The audit log's line for the new post (`post.created`), written in the same transaction: a
   * post is never stored without it. Not written when the idempotency key finds an earlier post.
   */
  audit?: AuditEntry;
}

/** `createPost` with `slot`: another post holds that time; pick the next free slot and try again. */
export class SlotTakenError extends Error {
  constructor(readonly at: number) {
    super(`the slot at ${new Date(at).toISOString()} is held by another post`);
    this.name = 'SlotTakenError';
  }
}

/**
 * Posts, each with its deliveries (one per target account): creating them, reading them, and the
 * changes a user asks for on a whole post (cancel, post now). `createPost` is the one method of
 * the whole store that must write several records all or nothing (in one transaction on both
 * adapters).
 */
export interface PostStore {
  /**
   * Stores a post and its deliveries, all or nothing. When the post has an idempotency key that
   * the workspace already used, nothing is written and the existing post is returned.
   */
  createPost(post: Post, deliveries: Delivery[], options?: CreatePostOptions): Promise<CreatePostResult>;
  getPost(id: string): Promise<PostWithDeliveries | null>;
  /**
   * The post without its deliveries and the account one of them publishes to: what a worker needs
   * to publish a delivery, in one read (one command on MongoDB, the account joined by `$lookup`).
   * Either is null when it is not stored.
   */
  getPostAndAccount(postId: string, accountId: string): Promise<{ post: Post | null; account: Account | null }>;
  /**
   * The correlation id of each of these posts that exists, by post id, in one read: what the
   * scheduler and the sweeper need to queue a batch of deliveries.
   */
  correlationIds(postIds: readonly string[]): Promise<Map<string, string>>;
  findPostByIdempotencyKey(workspaceId: string, key: string): Promise<PostWithDeliveries | null>;
  /** Lists a workspace's posts, newest first. */
  listPosts(workspaceId: string, options: { limit: number; before?: number }): Promise<PostWithDeliveries[]>;
  /**
   * A workspace's posts scheduled in `[from, to)` (UTC ms), soonest first, at most `limit`: what a
   * calendar week or month shows.
   */
  listPostsScheduled(
    workspaceId: string,
    range: { from: number; to: number; limit: number },
  ): Promise<PostWithDeliveries[]>;
  /**
   * The `scheduledAt` of each of a workspace's posts in `[from, to)` (UTC ms), in order, one per
   * post: how many posts each day of a calendar month holds, without reading them.
   */
  listScheduledTimes(workspaceId: string, range: { from: number; to: number }): Promise<number[]>;
  /**
   * The times in `[from, to]` (UTC ms) that posts of the workspace hold, each once, in order: a
   * post holds its `scheduledAt` while one of its deliveries is not `cancelled`, `failed` or
   * `deleted`. A slot of the workspace's queue at such a time is taken.
   */
  heldTimes(workspaceId: string, range: { from: number; to: number }): Promise<number[]>;
  /** Moves the post's `scheduled | queued | unknown` deliveries to `cancelled`; returns how many. */
  cancelPost(postId: string, at: number): Promise<number>;
  /** "Post now": the post's `scheduled` deliveries become due at `now`; returns how many. */
  bringForward(postId: string, now: number): Promise<number>;
  /**
   * An edit, all or nothing: when every delivery in `keep` and `cancel` is still `scheduled` or
   * `queued` (nothing of it has started publishing), the post is replaced, the kept deliveries
   * become `scheduled` at `dueAt` with their new parts (a queued one's message finds it no longer
   * queued and is dropped; the scheduler sends it again when due), `add` is inserted and `cancel`
   * cancelled. Otherwise nothing is written and those that had started are returned.
   */
  editPost(edit: PostEdit): Promise<EditPostResult>;
}
