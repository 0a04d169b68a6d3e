import { randomUUID } from 'node:crypto';
import type { QueryFilter, UpdateQuery } from 'mongoose';
import type { Delivery, Post } from '../../core/post.js';
import { isDuplicateKey } from './errors.js';
import { fromDelivery, fromPost, keySlot } from './mapping.js';
import type { DeliveryDoc, Models } from './schemas.js';

/**
 * createPost without transactions: one insert is the commit point.
 *
 * 1. The deliveries are inserted as drafts: `state: 'draft'`, their real state kept in
 *    `draft.state`, and a token unique to this call in `draft.token`. No scheduler or worker query
 *    matches a draft (they all ask for a real state), and getDelivery skips drafts.
 * 2. The post is inserted, with the same token as `createToken`. This insert is the commit: the
 *    unique `_id` and the unique (workspaceId, keySlot) index decide, atomically, whether this
 *    call's post exists. Readers of posts (getPost, listPosts, findPostByIdempotencyKey) see a
 *    post only from here on, and by then all of its deliveries exist: they show the post's drafts
 *    with their real state, and ignore drafts whose token is not the post's (a failed call that
 *    reused the id).
 * 3. Each draft is released (one conditional update each): from then on the scheduler and the
 *    workers see it.
 *
 * A failure in 1, or a refused insert in 2, deletes this call's drafts (by token), so nothing is
 * left; after an insert whose answer was lost, the post is looked up to tell. A process that
 * dies between 2 and 3 leaves a committed post with drafts; one that dies between 1 and 2 leaves
 * drafts of no post. `repairDrafts` (run by init() and by the sweeper's takeStranded) releases
 * the first kind and deletes the second once older than `abandonAfterMs`; a call that is still
 * running after half that time gives up before its commit, so a slow call is never collected.
 */

/** The store's one conditional update of a delivery (atomic; under a write lock on FerretDB). */
export type Cas = (
  id: string,
  filter: QueryFilter<DeliveryDoc>,
  update: UpdateQuery<DeliveryDoc>,
) => Promise<DeliveryDoc | null>;

export interface DraftContext {
  models: Models;
  cas: Cas;
  abandonAfterMs: number;
}

/**
 * Writes `post` and its deliveries. Returns null when written, or the id of the workspace's post
 * that already holds the idempotency key (then nothing of this call is left).
 */
export async function writePost(ctx: DraftContext, post: Post, deliveries: Delivery[]): Promise<string | null> {
  const { posts, deliveries: deliveryModel } = ctx.models;
  const token = randomUUID();
  const at = new Date();
  const stray = deliveries.find((d) => d.postId !== post.id);
  if (stray) throw new Error(`createPost: delivery ${stray.id} belongs to post ${stray.postId}, not ${post.id}`);
  const docs = deliveries.map((d, i) => fromDelivery(d, i, { token, at }));
  const discard = () => deliveryModel.deleteMany({ postId: post.id, state: 'draft', 'draft.token': token });

  try {
    if (docs.length > 0) await deliveryModel.insertMany(docs);
    if (Date.now() - at.getTime() > ctx.abandonAfterMs / 2) throw new Error('createPost too slow: gave up');
  } catch (e) {
    await discard();
    throw e;
  }

  try {
    await posts.insertMany([fromPost(post, token)]);
  } catch (e) {
    if (isDuplicateKey(e)) {
      // Refused, so certainly not written.
      await discard();
      if (post.idempotencyKey === undefined) throw e;
      const holder = await posts.findOne({ workspaceId: post.workspaceId, keySlot: keySlot(post) }).lean();
      if (holder) return holder._id;
      throw e;
    }
    // Perhaps written, its answer lost. If not (or we cannot tell), the drafts stay for
    // repairDrafts, which releases them if the post turns up and deletes them if it never does.
    const written = await posts.exists({ _id: post.id, createToken: token }).catch(() => null);
    if (!written) throw e;
  }

  // Committed: the create has succeeded. A release that fails now is finished by repairDrafts.
  await releaseDrafts(ctx, docs).catch(() => undefined);
  return null;
}

/**
 * Moves drafts to their real state (a no-op for those already released or cancelled). One
 * `updateMany` per state and no write locks: besides this call, only cancelPost and
 * repairDrafts touch a draft, and both move it where this call would or to `cancelled` after
 * the post was committed (a cancel needs the post id, which this call has not returned yet).
 */
async function releaseDrafts(ctx: DraftContext, drafts: Pick<DeliveryDoc, '_id' | 'draft'>[]): Promise<void> {
  const byState = new Map<string, string[]>();
  for (const d of drafts) byState.set(d.draft!.state, [...(byState.get(d.draft!.state) ?? []), d._id]);
  await Promise.all(
    [...byState].map(([state, ids]) =>
      ctx.models.deliveries.updateMany(
        { _id: { $in: ids }, state: 'draft', 'draft.token': drafts[0]!.draft!.token },
        { $set: { state }, $unset: { draft: 1 } },
      ),
    ),
  );
}

/** Whether a delivery document belongs to `post` as `post` was committed (drafts of other calls do not). */
export function belongsToCommitted(doc: DeliveryDoc, createToken: string): boolean {
  return doc.state !== 'draft' || doc.draft?.token === createToken;
}

/** Finishes what crashed createPost calls left behind (see the top of this file). */
export async function repairDrafts(ctx: DraftContext, limit = 100): Promise<void> {
  const { posts, deliveries } = ctx.models;
  const drafts = await deliveries.find({ state: 'draft' }).limit(limit).lean();
  const calls = new Map<string, DeliveryDoc[]>();
  for (const d of drafts) {
    const key = `${d.postId}\n${d.draft!.token}`;
    calls.set(key, [...(calls.get(key) ?? []), d]);
  }
  const abandonedBefore = Date.now() - ctx.abandonAfterMs;
  await Promise.all(
    [...calls.values()].map(async (group) => {
      const first = group[0]!;
      const post = await posts.findById(first.postId).lean();
      if (post?.createToken === first.draft!.token) return releaseDrafts(ctx, group);
      if (group.every((d) => d.draft!.at.getTime() < abandonedBefore)) {
        await deliveries.deleteMany({
          _id: { $in: group.map((d) => d._id) },
          state: 'draft',
          'draft.token': first.draft!.token,
        });
      }
    }),
  );
}
