import type Database from 'better-sqlite3';
import { cancellableStates } from '../../core/delivery-state.js';
import type { AuditEntry } from '../../core/audit.js';
import type { Delivery, Post, PostWithDeliveries } from '../../core/post.js';
import type { CreatePostOptions, CreatePostResult, EditPostResult, PostEdit } from '../ports/post-store.js';
import { SlotTakenError } from '../ports/post-store.js';
import { editPost } from './post-edits.js';
import { heldTimes, isHeld } from './post-slots.js';
import type { GroupCommit } from './group-commit.js';
import { type DeliveryRow, fromDelivery, fromPost, insertSql, type PostRow, toDelivery, toPost } from './rows.js';

interface PostToWrite {
  post: Post;
  deliveries: Delivery[];
  options: CreatePostOptions;
}

const clearLease = 'lease_owner = NULL, lease_expires_at = NULL';
const cancellable = cancellableStates.map((s) => `'${s}'`).join(', ');

/** Posts on the SQLite store's connection: creating, reading, listing, cancelling and editing them. */
export class SqlitePosts {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: (source: string) => Database.Statement,
    private readonly addAudit: (entry: AuditEntry) => void,
    private readonly commits: GroupCommit,
  ) {}

  async createPost(post: Post, deliveries: Delivery[], options: CreatePostOptions = {}): Promise<CreatePostResult> {
    // The key check and the inserts share one IMMEDIATE transaction, so a concurrent request with
    // the same key (from any process) waits and then finds this post instead of failing. Posts
    // asked for at once share a commit, each in its own savepoint (group-commit.ts).
    const existingId = await this.commits.submit(() => this.insertPost({ post, deliveries, options }));
    if (existingId) return { created: false, value: this.getPost(existingId)! };
    // What was written is exactly what a read would return: no need to read it back.
    return { created: true, value: { post, deliveries } };
  }

  /** Inside createPost's transaction: the id of the post the key already names, else null once written. */
  private insertPost({ post, deliveries, options }: PostToWrite): string | null {
    if (post.idempotencyKey !== undefined) {
      const found = this.findPostIdByKey(post.workspaceId, post.idempotencyKey);
      if (found) return found;
    }
    if (options.slot && isHeld(this.sql, post.workspaceId, post.scheduledAt)) {
      throw new SlotTakenError(post.scheduledAt);
    }
    const postRow = fromPost(post);
    this.sql(insertSql('posts', Object.keys(postRow))).run(postRow);
    for (const d of deliveries) {
      const row = fromDelivery(d);
      this.sql(insertSql('deliveries', Object.keys(row))).run(row);
    }
    if (options.audit) this.addAudit(options.audit);
    return null;
  }

  private findPostIdByKey(workspaceId: string, key: string): string | null {
    const row = this.sql('SELECT id FROM posts WHERE workspace_id = ? AND idempotency_key = ?').get(workspaceId, key) as
      | { id: string }
      | undefined;
    return row?.id ?? null;
  }

  getPost(id: string): PostWithDeliveries | null {
    const row = this.postRow(id);
    return row ? (this.withDeliveries([row])[0] ?? null) : null;
  }

  getPostAlone(id: string): Post | null {
    const row = this.postRow(id);
    return row ? toPost(row) : null;
  }

  private postRow(id: string): PostRow | undefined {
    return this.sql('SELECT * FROM posts WHERE id = ?').get(id) as PostRow | undefined;
  }

  correlationIds(postIds: readonly string[]): Map<string, string> {
    // Callers pass a batch (500 at most), far below SQLite's 32,766 bound parameters.
    const unique = [...new Set(postIds)];
    const rows = this.sql(`SELECT id, correlation_id FROM posts WHERE id IN (${unique.map(() => '?').join(',')})`).all(
      ...unique,
    ) as { id: string; correlation_id: string }[];
    return new Map(rows.map((r) => [r.id, r.correlation_id]));
  }

  findPostByIdempotencyKey(workspaceId: string, key: string): PostWithDeliveries | null {
    const id = this.findPostIdByKey(workspaceId, key);
    return id ? this.getPost(id) : null;
  }

  listPosts(workspaceId: string, options: { limit: number; before?: number }): PostWithDeliveries[] {
    const rows = this.sql(
      `SELECT * FROM posts WHERE workspace_id = ? AND created_at < ?
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ).all(workspaceId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit) as PostRow[];
    return this.withDeliveries(rows);
  }

  listPostsScheduled(workspaceId: string, range: { from: number; to: number; limit: number }): PostWithDeliveries[] {
    const rows = this.sql(
      `SELECT * FROM posts WHERE workspace_id = ? AND scheduled_at >= ? AND scheduled_at < ?
       ORDER BY scheduled_at, id LIMIT ?`,
    ).all(workspaceId, range.from, range.to, range.limit) as PostRow[];
    return this.withDeliveries(rows);
  }

  listScheduledTimes(workspaceId: string, range: { from: number; to: number }): number[] {
    return this.sql(
      'SELECT scheduled_at FROM posts WHERE workspace_id = ? AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at',
    )
      .pluck()
      .all(workspaceId, range.from, range.to) as number[];
  }

  /** Attaches deliveries to posts with one query, in the order they were given to createPost. */
  private withDeliveries(posts: PostRow[]): PostWithDeliveries[] {
    if (posts.length === 0) return [];
    const rows = this.sql(
      'SELECT * FROM deliveries WHERE post_id IN (SELECT value FROM json_each(?)) ORDER BY rowid',
    ).all(JSON.stringify(posts.map((p) => p.id))) as DeliveryRow[];
    const byPost = new Map<string, Delivery[]>();
    for (const row of rows) {
      const list = byPost.get(row.post_id) ?? [];
      list.push(toDelivery(row));
      byPost.set(row.post_id, list);
    }
    return posts.map((p) => ({ post: toPost(p), deliveries: byPost.get(p.id) ?? [] }));
  }

  heldTimes(workspaceId: string, range: { from: number; to: number }): number[] {
    return heldTimes(this.sql, workspaceId, range);
  }

  cancelPost(postId: string, at: number): number {
    return this.sql(
      `UPDATE deliveries SET state = 'cancelled', ${clearLease}, updated_at = ?
       WHERE post_id = ? AND state IN (${cancellable})`,
    ).run(at, postId).changes;
  }

  /** An edit of a post that has not started: see post-edits.ts. */
  editPost(e: PostEdit): EditPostResult {
    return editPost(this.db, this.sql, e);
  }

  bringForward(postId: string, now: number): number {
    return this.sql(
      `UPDATE deliveries SET due_at = ?, updated_at = ? WHERE post_id = ? AND state = 'scheduled' AND due_at > ?`,
    ).run(now, now, postId, now).changes;
  }
}
