import type { Connection } from 'mongoose';
import type { Delivery, Post } from '../../core/post.js';
import { type CreatePostOptions, SlotTakenError } from '../ports/post-store.js';
import { isDuplicateKey, isUnreachable, isWriteConflict } from './errors.js';
import { fromDelivery, fromPost, keySlot } from './mapping.js';
import { slotIsHeld } from './post-slots.js';
import type { Models, PostDoc } from './schemas.js';
import { fromAudit } from './tokens-audit.js';

/**
 * createPost in two commands and no transaction: first the deliveries (one `insert`), then the
 * post with its `post.created` audit entry in it (one `insert`). The post is what makes the
 * write count: every reader starts from a post (getPost, listPosts, the audit log), and a
 * worker that claims a delivery whose post it cannot find gives it back (due in a second) while
 * the delivery is under a minute old and fails it after (see DeliveryWorker), so deliveries left
 * without a post by a crash between the two inserts, or by a post insert that failed, never
 * publish and never show. When the post insert is refused (its idempotency key taken), this
 * call's deliveries are deleted and the holder's id returned.
 *
 * A post that takes a slot of the queue (`when: "next slot"`) is written in one transaction
 * instead, with the check that no other post holds its time (see post-slots.ts): MongoDB runs
 * transactions on a replica set (a single-node one is enough), not on a standalone server.
 */
export async function writePost(
  connection: Connection,
  models: Models,
  post: Post,
  deliveries: Delivery[],
  options: CreatePostOptions = {},
): Promise<string | null> {
  const stray = deliveries.find((d) => d.postId !== post.id);
  if (stray) throw new Error(`createPost: delivery ${stray.id} belongs to post ${stray.postId}, not ${post.id}`);
  const docs = deliveries.map((d, i) => fromDelivery(d, i));
  const postDoc: PostDoc = { ...fromPost(post), ...(options.audit ? { audit: fromAudit(options.audit) } : {}) };
  try {
    if (options.slot) {
      await connection.transaction(async (session) => {
        if (await slotIsHeld(models, post.workspaceId, post.scheduledAt, session)) {
          throw new SlotTakenError(post.scheduledAt);
        }
        if (docs.length > 0) await models.deliveries.insertMany(docs, { session });
        await models.posts.insertMany([postDoc], { session });
      });
      return null;
    }
    try {
      if (docs.length > 0) await models.deliveries.insertMany(docs);
      await models.posts.insertMany([postDoc]);
    } catch (e) {
      // Refused (a key taken, a document the server rejects): the post is not stored, and those
      // of its deliveries that were go. After an answer lost on the way the post may be stored:
      // they stay, and a worker publishes them if it is (or fails them in a minute if not).
      if (isRefused(e)) {
        await models.deliveries.deleteMany({ postId: post.id }).catch(() => undefined);
      }
      throw e;
    }
    return null;
  } catch (e) {
    // Another post took a slot of this workspace at the same moment: look again for a free one.
    if (options.slot && isWriteConflict(e)) throw new SlotTakenError(post.scheduledAt);
    if (post.idempotencyKey === undefined || !(isDuplicateKey(e) || isWriteConflict(e))) throw e;
    const holder = await models.posts.findOne({ workspaceId: post.workspaceId, keySlot: keySlot(post) }).lean();
    if (holder) return holder._id;
    throw e;
  }
}

/** An error the server answered with (a write it refused), as opposed to a server away or a connection lost. */
function isRefused(e: unknown): boolean {
  return !isUnreachable(e) && typeof (e as { code?: unknown }).code === 'number';
}

/**
 * Fails with what to do when the server cannot run transactions: a standalone mongod (MongoDB
 * runs them on a replica set or through mongos; DocumentDB answers as mongos).
 */
export async function requireTransactions(connection: Connection): Promise<void> {
  const hello = await connection.db!.admin().command({ hello: 1 });
  if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
  throw new Error(
    'The MongoDB server of HAYON_MONGODB_URL is a standalone server, and hayon writes a post that takes a ' +
      'slot of the queue, and edits posts, in one transaction, which MongoDB runs on a replica set only. ' +
      'Start mongod with --replSet rs0, run rs.initiate() once (one node is enough), and add ?replicaSet=rs0 to the URL.',
  );
}
