import { type Actor, systemActor } from '../../core/audit.js';
import { HayonError } from '../../core/errors.js';
import type { Account, Delivery, PostWithDeliveries } from '../../core/post.js';
import { platformNames } from '../../core/platform-names.js';
import type { PostsServiceDeps } from './deps.js';
import { findPost } from './find-post.js';

/** `Bluesky (me.bsky.social)`, or the platform alone when the account is gone. */
export function deliveryName(d: Pick<Delivery, 'platform' | 'accountId'>, accounts: readonly Account[]): string {
  const account = accounts.find((a) => a.id === d.accountId);
  return account ? `${platformNames[d.platform]} (${account.handle})` : platformNames[d.platform];
}

/**
 * "Retry": the post's failed deliveries are given a new life, due now, and the scheduler sends
 * them as it sends any due delivery (the worker's claim decides, so a retry can never publish
 * twice: the delivery keeps its id, and with it the idempotency key and record key the platforms
 * see, its thread chain and checkpoint). A post with nothing failed is a 409 that says what its
 * deliveries are doing and what to do instead.
 */
export async function retryPost(
  deps: PostsServiceDeps,
  workspaceId: string,
  id: string,
  actor: Actor = systemActor,
): Promise<PostWithDeliveries> {
  const found = await findPost(deps.store, workspaceId, id);
  const now = deps.clock();
  const retried: Delivery[] = [];
  for (const d of found.deliveries.filter((x) => x.state === 'failed')) {
    if (await deps.store.reviveDelivery(d.id, now, 'scheduled')) retried.push(d);
  }
  if (retried.length === 0) throw nothingFailed(found, await deps.store.listAccounts(workspaceId));
  const details = { deliveries: retried.length, platforms: retried.map((d) => d.platform).join(',') };
  await deps.audit?.record({ workspaceId, actor, action: 'post.retried', target: id, details });
  const after = await findPost(deps.store, workspaceId, id);
  const ids = new Set(retried.map((d) => d.id));
  if (deps.onDueNow) deps.onDueNow({ post: after.post, deliveries: after.deliveries.filter((d) => ids.has(d.id)) });
  else deps.onScheduled?.(now);
  return after;
}

function nothingFailed(found: PostWithDeliveries, accounts: readonly Account[]): HayonError {
  const states = found.deliveries.map((d) => `${deliveryName(d, accounts)} is ${d.state}`).join('; ');
  const has = (...s: Delivery['state'][]) => found.deliveries.some((d) => s.includes(d.state));
  const next = has('publishing', 'queued', 'unknown')
    ? 'It is being published: read it again in a moment, and retry only what fails.'
    : has('scheduled')
      ? 'It is still waiting for its time: publish it now instead, or wait.'
      : 'Nothing of it can be sent again; make a new post if you want it out once more.';
  const message = `Nothing to retry: no delivery of this post failed (${states}). ${next}`;
  return new HayonError('conflict', 'nothing failed', { field: 'id', userMessage: message });
}
