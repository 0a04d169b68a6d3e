import { type Actor, systemActor } from '../../core/audit.js';
import { cancellableStates, deletableStates } from '../../core/delivery-state.js';
import { HayonError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import type { Account, Delivery, DeliveryResult, PlatformId, PostWithDeliveries } from '../../core/post.js';
import type { PostsServiceDeps } from './deps.js';
import { findPost } from './find-post.js';
import { deliveryName } from './retry-post.js';

/** What a delete did to one delivery. */
export type DeleteResultKind = 'deleted' | 'cancelled' | 'not_allowed' | 'failed';

/** One delivery's part of a delete, as the API, the CLI and the chats report it. */
export interface DeliveryDeleteResult {
  deliveryId: string;
  accountId: string;
  platform: PlatformId;
  result: DeleteResultKind;
  /** For `not_allowed` and `failed`: a sentence that says why and what to do. */
  reason?: string | undefined;
  /** The post on the platform (for `not_allowed`: where a person deletes it by hand). */
  url?: string | undefined;
}

export interface DeletePostOutcome {
  value: PostWithDeliveries;
  /** One per delivery the delete acted on, in the post's order. */
  results: DeliveryDeleteResult[];
}

/** How long taking down one delivery's posts may take in all (each call has its own timeout too). */
const removeTimeoutMs = 60_000;

/** What a delivery published: every part of a thread, else its one post. */
export function publishedPosts(d: Pick<Delivery, 'chain' | 'result'>): DeliveryResult[] {
  if (d.chain && d.chain.length > 0) return d.chain;
  return d.result ? [d.result] : [];
}

/**
 * "Delete": cancels what waits and takes down what was published, on every platform whose API
 * can (a thread: every part), each delivery reported as deleted, cancelled, not allowed (the
 * platform's API cannot delete: Instagram; the link says where to do it by hand) or failed with
 * the platform's reason (the delivery stays `published`, so asking again tries again). A post
 * with nothing left to take down is a 409 that says why, and nothing changes; an unknown id a 404.
 */
export async function deletePost(
  deps: PostsServiceDeps,
  workspaceId: string,
  id: string,
  actor: Actor = systemActor,
): Promise<DeletePostOutcome> {
  const found = await findPost(deps.store, workspaceId, id);
  const accounts = await deps.store.listAccounts(workspaceId);
  const waiting = found.deliveries.filter((d) => cancellableStates.includes(d.state));
  const up = found.deliveries.filter((d) => deletableStates.includes(d.state) && publishedPosts(d).length > 0);
  const publishing = found.deliveries.filter((d) => d.state === 'publishing');
  const removable = up.filter((d) => deps.platforms[d.platform]?.remove);
  const deletedBefore = found.deliveries.some((d) => d.state === 'deleted');
  // Only what no API can delete is left, after an earlier delete: that one said so already.
  if (waiting.length === 0 && removable.length === 0 && (up.length === 0 || deletedBefore)) {
    throw nothingToDelete(found, accounts, up);
  }

  const now = deps.clock();
  const cancelled = waiting.length > 0 ? await deps.store.cancelPost(id, now) : 0;
  const removed = await Promise.all(up.map((d) => removeDelivery(deps, d, accounts)));
  const after = await findPost(deps.store, workspaceId, id);
  const stateOf = (d: Delivery) => after.deliveries.find((x) => x.id === d.id)?.state;
  const results: DeliveryDeleteResult[] = [];
  for (const d of found.deliveries) {
    const base = { deliveryId: d.id, accountId: d.accountId, platform: d.platform };
    const own = removed.find((r) => r.deliveryId === d.id);
    if (own) results.push(own);
    else if (waiting.includes(d) && stateOf(d) === 'cancelled') results.push({ ...base, result: 'cancelled' });
    else if (waiting.includes(d) || publishing.includes(d)) {
      const reason = `${deliveryName(d, accounts)} is being published right now; delete the post again once it is out.`;
      results.push({ ...base, result: 'failed', reason });
    }
  }
  const count = (k: DeleteResultKind) => results.filter((r) => r.result === k).length;
  const details = {
    deleted: count('deleted'),
    cancelled: count('cancelled'),
    notAllowed: count('not_allowed'),
    failed: count('failed'),
  };
  await deps.audit?.record({ workspaceId, actor, action: 'post.deleted', target: id, details });
  if (cancelled > 0) await deps.onCancelled?.(found.post).catch(() => undefined);
  return { value: after, results };
}

/** Takes down one delivery's posts through its platform, or says why it cannot. */
async function removeDelivery(
  deps: PostsServiceDeps,
  d: Delivery,
  accounts: readonly Account[],
): Promise<DeliveryDeleteResult> {
  const posts = publishedPosts(d);
  const url = posts[0]?.url;
  const base = { deliveryId: d.id, accountId: d.accountId, platform: d.platform, ...(url ? { url } : {}) };
  const name = platformNames[d.platform];
  const platform = deps.platforms[d.platform];
  if (!platform?.remove) {
    const reason = `${name}'s API cannot delete a post: delete it in the ${name} app${url ? ` (${url})` : ''}.`;
    return { ...base, result: 'not_allowed', reason };
  }
  const account = accounts.find((a) => a.id === d.accountId);
  if (!account) {
    const reason = `The ${name} account this went out on was removed from hayon: delete the post on ${name} by hand${url ? ` (${url})` : ''}.`;
    return { ...base, result: 'failed', reason };
  }
  try {
    await platform.remove({
      deliveryId: d.id,
      posts,
      account,
      credentials: deps.openCredentials(account),
      saveCredentials: (c) => deps.saveCredentials?.(account, c) ?? Promise.resolve(),
      signal: AbortSignal.timeout(removeTimeoutMs),
    });
  } catch (e) {
    const said = HayonError.from(e);
    const why = said.userMessage ?? `${name} did not answer as expected.`;
    return { ...base, result: 'failed', reason: `${why} Nothing was marked deleted: delete the post again to retry.` };
  }
  await deps.store.markDeliveryDeleted(d.id, deps.clock());
  return { ...base, result: 'deleted' };
}

/** The 409: the post was deleted already, is being published, or never got out. */
function nothingToDelete(found: PostWithDeliveries, accounts: readonly Account[], stillUp: Delivery[]): HayonError {
  const has = (s: Delivery['state']) => found.deliveries.some((d) => d.state === s);
  const byHand = stillUp
    .map(
      (d) =>
        `${deliveryName(d, accounts)} cannot be deleted through its API: delete it in the app (${publishedPosts(d)[0]?.url}).`,
    )
    .join(' ');
  const message = has('deleted')
    ? `This post was already deleted: nothing changed.${byHand ? ` ${byHand}` : ''}`
    : has('publishing')
      ? `Nothing to delete yet: ${found.deliveries
          .filter((d) => d.state === 'publishing')
          .map((d) => deliveryName(d, accounts))
          .join(', ')} is being published right now. Delete it again once it is out.`
      : 'Nothing to delete: no delivery of this post was published or is waiting (each was cancelled, or failed before anything went out).';
  return new HayonError('conflict', has('deleted') ? 'already deleted' : 'nothing to delete', {
    field: 'id',
    userMessage: message,
  });
}
