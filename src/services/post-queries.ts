import type { Clock } from '../core/clock.js';
import type { Callback } from '../core/hook.js';
import type { AttemptRecord } from '../core/history.js';
import type { Account, PostWithDeliveries } from '../core/post.js';
import { type PostView, toPostView } from '../core/post-view.js';
import type { AccountStore } from '../store/ports/account-store.js';
import type { CallbackStore } from '../store/ports/callback-store.js';
import type { HistoryStore } from '../store/ports/history-store.js';
import type { PostStore } from '../store/ports/post-store.js';
import type { PostsService } from './posts/posts-service.js';

export interface PostQueriesDeps {
  /** Reading a post of a workspace (a 404 for another's) and a workspace's list. */
  posts: Pick<PostsService, 'get' | 'list'>;
  store: Pick<AccountStore, 'listAccounts'> &
    Pick<PostStore, 'getPost' | 'listPostsScheduled' | 'listScheduledTimes'> &
    Pick<HistoryStore, 'listAttemptRecords'> &
    Pick<CallbackStore, 'listCallbacks'>;
  clock: Clock;
}

/** A post's history as `hayon posts show --log` prints it. */
export interface PostHistory {
  value: PostWithDeliveries;
  /** Every attempt of every delivery, oldest first. */
  attempts: AttemptRecord[];
  callbacks: Callback[];
  /** The workspace's accounts (for the deliveries' handles). */
  accounts: Account[];
}

/**
 * Posts as the API, the CLI and the chats show them: with the handles of the accounts they go to,
 * their history, and a post read again after the worker may have moved on.
 */
export class PostQueries {
  constructor(private readonly deps: PostQueriesDeps) {}

  /** The post as the API shows it, with its accounts' handles. */
  async view(value: PostWithDeliveries, workspaceId: string = value.post.workspaceId): Promise<PostView> {
    const now = this.deps.clock();
    return toPostView(value, now, await this.deps.store.listAccounts(workspaceId));
  }

  /** The workspace's post `id` as a view; a 404 when it has none. */
  async get(workspaceId: string, id: string): Promise<PostView> {
    return this.view(await this.deps.posts.get(workspaceId, id), workspaceId);
  }

  /** The workspace's posts, newest first, as views. */
  async list(workspaceId: string, options: { limit: number; before?: number }): Promise<PostView[]> {
    const posts = await this.deps.posts.list(workspaceId, options);
    const accounts = await this.deps.store.listAccounts(workspaceId);
    return posts.map((p) => toPostView(p, this.deps.clock(), accounts));
  }

  /**
   * The workspace's posts scheduled in `[from, to)` (UTC ms), soonest first, at most `limit`, with
   * the workspace's accounts and the time they were read at (a post's status depends on it).
   */
  async scheduled(
    workspaceId: string,
    range: { from: number; to: number; limit: number },
  ): Promise<{ posts: PostWithDeliveries[]; accounts: Account[]; now: number }> {
    const { store } = this.deps;
    const [posts, accounts] = await Promise.all([
      store.listPostsScheduled(workspaceId, range),
      store.listAccounts(workspaceId),
    ]);
    return { posts, accounts, now: this.deps.clock() };
  }

  /**
   * For each of `days` (consecutive spans of UTC ms, as a calendar month shows them): how many of
   * the workspace's posts are scheduled in it, and the first `perDay` of them. Reads the times of
   * all and the posts of only those shown, so a month of 10,000 posts costs a few hundred reads.
   */
  async byDay(
    workspaceId: string,
    days: readonly { from: number; to: number }[],
    perDay: number,
  ): Promise<{ days: { count: number; posts: PostWithDeliveries[] }[]; accounts: Account[]; now: number }> {
    const { store } = this.deps;
    const from = days[0]?.from ?? 0;
    const to = days.at(-1)?.to ?? 0;
    const [times, accounts] = await Promise.all([
      store.listScheduledTimes(workspaceId, { from, to }),
      store.listAccounts(workspaceId),
    ]);
    const counts = days.map(() => 0);
    let d = 0;
    for (const at of times) {
      while (d < days.length && at >= (days[d]?.to ?? 0)) d++;
      if (d < days.length) counts[d] = (counts[d] ?? 0) + 1;
    }
    const posts = await Promise.all(
      days.map((day, i) =>
        counts[i] ? store.listPostsScheduled(workspaceId, { from: day.from, to: day.to, limit: perDay }) : [],
      ),
    );
    return {
      days: days.map((_, i) => ({ count: counts[i] ?? 0, posts: posts[i] ?? [] })),
      accounts,
      now: this.deps.clock(),
    };
  }

  /** The workspace's post `id` with its attempts and callbacks; a 404 when it has none. */
  async history(workspaceId: string, id: string): Promise<PostHistory> {
    const value = await this.deps.posts.get(workspaceId, id);
    const { store } = this.deps;
    const [attempts, callbacks, accounts] = await Promise.all([
      store.listAttemptRecords(id),
      store.listCallbacks(id),
      store.listAccounts(workspaceId),
    ]);
    return { value, attempts, callbacks, accounts };
  }

  /** The post as stored now (a worker may have moved on since `value` was read); `value` if it is gone. */
  async latest(value: PostWithDeliveries): Promise<PostWithDeliveries> {
    return (await this.deps.store.getPost(value.post.id)) ?? value;
  }
}
