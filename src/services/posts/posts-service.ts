import type { Actor } from '../../core/audit.js';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import type { ResolvedSchedule } from '../../core/schedule.js';
import { cancelPost } from './cancel-post.js';
import { createPost } from './create-post.js';
import { type DeletePostOutcome, deletePost } from './delete-post.js';
import type { CreatePostContext, CreatePostOutcome, PostsServiceDeps, TargetMeasure } from './deps.js';
import { dispatchPost } from './dispatch.js';
import { findPost } from './find-post.js';
import { measureTargets } from './measure-targets.js';
import { nextFreeSlot } from './next-slot.js';
import { type DraftPreview, type PreviewContext, previewPost } from './preview-post.js';
import { editPost, type EditPostOutcome } from './edit-post.js';
import { publishNow } from './publish-now.js';
import { retryPost } from './retry-post.js';

export type { DeletePostOutcome, DeliveryDeleteResult } from './delete-post.js';
export type { CreatePostContext, CreatePostOutcome, PostsServiceDeps, TargetMeasure } from './deps.js';
export type { EditPostOutcome } from './edit-post.js';
export type { DraftIssue, DraftPreview, DraftTarget, PreviewContext } from './preview-post.js';

/**
 * The posts' use cases, one file each in this folder; this class is the one door the rest of
 * the code (ingress, hooks, tests) calls them through.
 */
export class PostsService {
  constructor(private readonly deps: PostsServiceDeps) {}

  /** Validates the whole request, then stores the post and its deliveries (create-post.ts). */
  create(input: unknown, ctx: CreatePostContext): Promise<CreatePostOutcome> {
    return createPost(this.deps, input, ctx);
  }

  /** The workspace's post `id`; a 404 when it has none. */
  get(workspaceId: string, id: string): Promise<PostWithDeliveries> {
    return findPost(this.deps.store, workspaceId, id);
  }

  list(workspaceId: string, options: { limit: number; before?: number }): Promise<PostWithDeliveries[]> {
    return this.deps.store.listPosts(workspaceId, options);
  }

  /** Cancels what has not gone out yet (cancel-post.ts). */
  cancel(workspaceId: string, id: string, actor?: Actor): Promise<PostWithDeliveries> {
    return cancelPost(this.deps, workspaceId, id, actor);
  }

  /** Tells the scheduler about a stored post: sent at once when due, else a timer is set. */
  dispatch(value: PostWithDeliveries): void {
    dispatchPost(this.deps, value);
  }

  /** "Post now" (publish-now.ts). */
  postNow(workspaceId: string, id: string, actor?: Actor): Promise<PostWithDeliveries> {
    return publishNow(this.deps, workspaceId, id, actor);
  }

  /** Changes what has not started publishing; checked as a new post is (edit-post.ts). */
  edit(workspaceId: string, id: string, input: unknown, actor?: Actor): Promise<EditPostOutcome> {
    return editPost(this.deps, workspaceId, id, input, actor);
  }

  /** Sends the post's failed deliveries again, due now (retry-post.ts). */
  retry(workspaceId: string, id: string, actor?: Actor): Promise<PostWithDeliveries> {
    return retryPost(this.deps, workspaceId, id, actor);
  }

  /** What a draft would become, stored nowhere: counts, thread parts, the time, refusals (preview-post.ts). */
  preview(input: Record<string, unknown>, ctx: PreviewContext): Promise<DraftPreview> {
    return previewPost(this.deps, input, ctx);
  }

  /** Cancels what waits and deletes what was published, where the platform allows it (delete-post.ts). */
  delete(workspaceId: string, id: string, actor?: Actor): Promise<DeletePostOutcome> {
    return deletePost(this.deps, workspaceId, id, actor);
  }

  /**
   * The slot `when: "next slot"` would take now (next-slot.ts), for a preview in a chat form; a
   * 400 when the workspace has no slots, a 409 when all are held.
   */
  nextSlot(workspaceId: string, defaultTimezone: string, displayZone?: string): Promise<ResolvedSchedule> {
    return nextFreeSlot(this.deps, workspaceId, { now: this.deps.clock(), defaultTimezone, displayZone });
  }

  /** Each delivery's text measured against its platform's limit (measure-targets.ts). */
  measure(value: PostWithDeliveries, accounts: readonly Account[]): Promise<TargetMeasure[]> {
    return measureTargets(this.deps, value, accounts);
  }
}
