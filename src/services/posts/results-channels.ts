import type { Account, Delivery, Origin, Post, ResultThreads } from '../../core/post.js';
import { StoreUnavailableError } from '../../core/store-unavailable.js';
import type { CreatePostResult } from '../../store/ports/post-store.js';
import type { PostsServiceDeps } from './deps.js';
import { measureTargets } from './measure-targets.js';

/** The results threads of a post, when it came from where they exist (the API, the CLI, a webhook). */
export function resultThreadsOf(origin: Origin): ResultThreads | undefined {
  return origin.kind === 'api' || origin.kind === 'cli' || origin.kind === 'webhook' ? origin.results : undefined;
}

/**
 * Stores a post with `write` after its message is in the results channels, so the threads exist
 * (their ids in `post.origin.results`) before any delivery can finish. A post that was not
 * stored (an error, or the idempotency key's earlier post) takes its messages away again.
 */
export async function storeWithResults<T extends { result: CreatePostResult }>(
  deps: Pick<PostsServiceDeps, 'store' | 'results' | 'platforms' | 'openCredentials' | 'validateTimeoutMs'>,
  post: Post,
  deliveries: Delivery[],
  accounts: readonly Account[],
  write: () => Promise<T>,
): Promise<T> {
  const threads = await openThreads(deps, post, deliveries, accounts);
  if (!threads || !deps.results) return write();
  const { results } = deps;
  const announcedAt = post.scheduledAt;
  let stored: T;
  try {
    stored = await write();
  } catch (e) {
    // Cut off on its way, the write may have been applied: its messages stay, marked, for the
    // request sent again to bring back (below), rather than leave a stored post without them.
    if (e instanceof StoreUnavailableError && e.maybeWritten) await results.unconfirmed(threads);
    else await results.withdraw(threads);
    throw e;
  }
  if (!stored.result.created) {
    await results.withdraw(threads);
    // The post stored by an earlier request with this key: its messages as it is now (they may
    // have been marked unconfirmed when that request's answer was lost).
    const earlier = resultThreadsOf(stored.result.value.post.origin);
    if (earlier) await results.refresh(earlier, stored.result.value, accounts);
  } else if (post.scheduledAt !== announcedAt) await results.refresh(threads, stored.result.value, accounts);
  return stored;
}

async function openThreads(
  deps: Pick<PostsServiceDeps, 'store' | 'results' | 'platforms' | 'openCredentials' | 'validateTimeoutMs'>,
  post: Post,
  deliveries: Delivery[],
  accounts: readonly Account[],
): Promise<ResultThreads | undefined> {
  const { origin } = post;
  if (!deps.results || (origin.kind !== 'api' && origin.kind !== 'cli' && origin.kind !== 'webhook')) return;
  const channels = (await deps.store.getWorkspace(post.workspaceId))?.settings?.resultChannels;
  if (!channels?.slack && !channels?.discord) return;
  const value = { post, deliveries };
  const measures = await measureTargets(deps, value, accounts);
  const threads = await deps.results.open(channels, value, accounts, measures);
  if (!threads.slack && !threads.discord) return;
  post.origin = { ...origin, results: threads };
  return threads;
}
