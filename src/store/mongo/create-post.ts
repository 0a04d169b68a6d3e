import type { ClientSession, Connection } from 'mongoose';
import type { AuditEntry } from '../../core/audit.js';
import type { Delivery, Post } from '../../core/post.js';
import { type CreatePostOptions, SlotTakenError } from '../ports/post-store.js';
import { isDuplicateKey, isWriteConflict } from './errors.js';
import { slotIsHeld } from './post-slots.js';
import { fromDelivery, fromPost, keySlot } from './mapping.js';
import type { Models } from './schemas.js';

/**
 * createPost in one multi-document transaction: the post and its deliveries are committed
 * together or not at all, so no reader (getPost, the scheduler, a worker) ever sees a post
 * without its deliveries or a delivery without its post, and a crash leaves nothing to repair.
 * MongoDB runs transactions on a replica set (a single-node one is enough), not on a standalone
 * server.
 *
 * The unique (workspaceId, keySlot) index decides between two calls with one idempotency key:
 * the loser's insert of the post is refused (E11000, or a write conflict while the winner's
 * transaction is open), its transaction is rolled back, and it returns the winner's post id.
 */
export async function writePost(
  connection: Connection,
  models: Models,
  post: Post,
  deliveries: Delivery[],
  options: CreatePostOptions = {},
  addAudit?: (entry: AuditEntry, session: ClientSession) => Promise<void>,
): Promise<string | null> {
  const stray = deliveries.find((d) => d.postId !== post.id);
  if (stray) throw new Error(`createPost: delivery ${stray.id} belongs to post ${stray.postId}, not ${post.id}`);
  const docs = deliveries.map((d, i) => fromDelivery(d, i));
  try {
    await connection.transaction(async (session) => {
      if (options.slot && (await slotIsHeld(models, post.workspaceId, post.scheduledAt, session))) {
        throw new SlotTakenError(post.scheduledAt);
      }
      await models.posts.insertMany([fromPost(post)], { session });
      if (docs.length > 0) await models.deliveries.insertMany(docs, { session });
      if (options.audit && addAudit) await addAudit(options.audit, session);
    });
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

/**
 * Fails with what to do when the server cannot run transactions: a standalone mongod (MongoDB
 * runs them on a replica set or through mongos; DocumentDB answers as mongos).
 */
export async function requireTransactions(connection: Connection): Promise<void> {
  const hello = await connection.db!.admin().command({ hello: 1 });
  if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
  throw new Error(
    'The MongoDB server of HAYON_MONGODB_URL is a standalone server, and hayon writes each post with its ' +
      'deliveries in one transaction, which MongoDB runs on a replica set only. Start mongod with ' +
      '--replSet rs0, run rs.initiate() once (one node is enough), and add ?replicaSet=rs0 to the URL.',
  );
}
