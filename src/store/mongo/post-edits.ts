import type { Connection } from 'mongoose';
import { editableStates } from '../../core/delivery-state.js';
import type { Delivery } from '../../core/post.js';
import type { EditPostResult, PostEdit } from '../ports/post-store.js';
import { fromDelivery, fromPost, toDelivery } from './mapping.js';
import type { Models } from './schemas.js';

/** Thrown inside the transaction when a delivery had started: the transaction is rolled back. */
class Started extends Error {}

/**
 * `editPost` in one multi-document transaction: each kept or cancelled delivery is changed only
 * while it is still `scheduled` or `queued` (a worker's claim in between is a write conflict or a
 * delivery that no longer matches), and if one had started, nothing of the edit is committed.
 */
export async function editPost(connection: Connection, models: Models, edit: PostEdit): Promise<EditPostResult> {
  const at = new Date(edit.at);
  const waiting = { state: { $in: [...editableStates] } };
  try {
    await connection.transaction(async (session) => {
      for (const k of edit.keep) {
        const update = k.parts
          ? { $set: { state: 'scheduled', dueAt: new Date(edit.dueAt), parts: k.parts, updatedAt: at } }
          : { $set: { state: 'scheduled', dueAt: new Date(edit.dueAt), updatedAt: at }, $unset: { parts: 1 } };
        const changed = await models.deliveries.updateOne({ _id: k.id, postId: edit.post.id, ...waiting }, update, {
          session,
        });
        if (changed.matchedCount !== 1) throw new Started();
      }
      for (const id of edit.cancel) {
        const update = { $set: { state: 'cancelled', updatedAt: at } };
        const changed = await models.deliveries.updateOne({ _id: id, postId: edit.post.id, ...waiting }, update, {
          session,
        });
        if (changed.matchedCount !== 1) throw new Started();
      }
      const { _id, ...post } = fromPost(edit.post);
      await models.posts.updateOne({ _id }, { $set: post }, { session });
      if (edit.add.length > 0) {
        const seq = await models.deliveries.countDocuments({ postId: edit.post.id }, { session });
        await models.deliveries.insertMany(
          edit.add.map((d, i) => fromDelivery(d, seq + i)),
          { session },
        );
      }
    });
  } catch (e) {
    if (!(e instanceof Started)) throw e;
    const ids = [...edit.keep.map((k) => k.id), ...edit.cancel];
    const docs = await models.deliveries.find({ _id: { $in: ids } }).lean();
    const started: Delivery[] = docs.map(toDelivery).filter((d) => !editableStates.includes(d.state));
    return { edited: false, started };
  }
  const docs = await models.deliveries.find({ postId: edit.post.id }).sort({ seq: 1 }).lean();
  return { edited: true, value: { post: edit.post, deliveries: docs.map(toDelivery) } };
}
