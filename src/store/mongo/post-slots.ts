import type { ClientSession } from 'mongoose';
import type { DeliveryState } from '../../core/post.js';
import type { Models } from './schemas.js';

/** Delivery states that let go of a post's time: such a post no longer holds a slot. */
const released: DeliveryState[] = ['cancelled', 'failed', 'deleted'];

/**
 * `heldTimes` on MongoDB: the posts of the workspace scheduled in the range (by the
 * (workspaceId, scheduledAt) index), kept when one of their deliveries is still live.
 */
export async function heldTimes(
  models: Models,
  workspaceId: string,
  range: { from: number; to: number },
  session?: ClientSession,
): Promise<number[]> {
  const posts = await models.posts
    .find({ workspaceId, scheduledAt: { $gte: new Date(range.from), $lte: new Date(range.to) } })
    .select({ _id: 1, scheduledAt: 1 })
    .session(session ?? null)
    .lean();
  if (posts.length === 0) return [];
  const live = await models.deliveries
    .find({ postId: { $in: posts.map((p) => p._id) }, state: { $nin: released } })
    .select({ postId: 1 })
    .session(session ?? null)
    .lean<{ postId: string }[]>();
  const holding = new Set(live.map((d) => d.postId));
  const times = posts.filter((p) => holding.has(p._id)).map((p) => p.scheduledAt.getTime());
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * Inside createPost's transaction, for a post that takes a slot: first a write to the
 * workspace's document, then the check. Two such transactions of one workspace write the same
 * document, so MongoDB lets only one commit (the other gets a WriteConflict, which createPost
 * turns into SlotTakenError so the caller looks again): without that write both could read "free"
 * in their snapshots and both insert (write skew). The field written is not part of the
 * Workspace; only this guard uses it.
 */
export async function slotIsHeld(models: Models, workspaceId: string, at: number, session: ClientSession) {
  await models.workspaces.updateOne({ _id: workspaceId }, { $inc: { slotWrites: 1 } }, { session, strict: false });
  return (await heldTimes(models, workspaceId, { from: at, to: at }, session)).length > 0;
}
