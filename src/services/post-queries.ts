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
    Pick<PostStore, 'getPost' | 'listPostsScheduled'> &
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
