import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { cancellableStates } from '../../core/delivery-state.js';
import type {
  Account,
  AccountHealth,
  ApiToken,
  Delivery,
  Post,
  PostWithDeliveries,
  Workspace,
  WorkspaceSettings,
} from '../../core/post.js';
import type { AttemptOutcome, Claim, DeliveryProgress } from '../ports/delivery-store.js';
import type { CreatePostOptions, CreatePostResult, EditPostResult, PostEdit } from '../ports/post-store.js';
import { SlotTakenError } from '../ports/post-store.js';
import { heldTimes, isHeld } from './post-slots.js';
import { PostWriter } from './post-writer.js';
import type { Store } from '../store.js';
import type { Callback, CallbackOutcome, Hook, HookPatch } from '../../core/hook.js';
import { SqliteAccounts } from './accounts.js';
import { editPost } from './post-edits.js';
import { SqliteHooksCallbacks } from './hooks-callbacks.js';
import { SqliteChatOutbox } from './chat-outbox.js';
import type { ChatMessage, ChatMessageOutcome } from '../../core/chat-message.js';
import { SqliteConnect } from './connect.js';
import { SqliteWebSessions } from './web-sessions.js';
import type { WebSessionStore as Web } from '../ports/web-session-store.js';
import { SqliteTokensAudit } from './tokens-audit.js';
import { SqliteHistoryPacing } from './history-pacing.js';
import type { AttemptRecord, DeliveryBreakdownRow } from '../../core/history.js';
import type { PaceLedger } from '../../core/pacing.js';
import type { AuditEntry } from '../../core/audit.js';
import type { ConnectState, OAuthApp } from '../../core/connect.js';
import { migrations } from './migrations.js';
import { sqliteAwayReason } from './errors.js';
import { probeWritable } from './probe.js';
import { translateStoreErrors } from '../unavailable.js';
import { type DeliveryRow, fromDelivery, fromPost, insertSql, json, type PostRow, toDelivery, toPost } from './rows.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. The parent directory is created if missing. */
  path: string;
  /** How long a write waits for another connection's lock before failing. Default 5000. */
  busyTimeoutMs?: number;
}

interface PostToWrite {
  post: Post;
  deliveries: Delivery[];
  options: CreatePostOptions;
}

const clearLease = 'lease_owner = NULL, lease_expires_at = NULL';
const cancellable = cancellableStates.map((s) => `'${s}'`).join(', ');

/**
 * The Store over one SQLite file (better-sqlite3). better-sqlite3 is synchronous, so the methods
 * are async only to fit the port; each state change is one conditional UPDATE, which also keeps
 * several processes sharing the file (WAL) safe.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly hooks: SqliteHooksCallbacks;
  private readonly chat: SqliteChatOutbox;
  private readonly accounts: SqliteAccounts;
  private readonly connect: SqliteConnect;
  private readonly tokensAudit: SqliteTokensAudit;
  private readonly history: SqliteHistoryPacing;
  private readonly web: SqliteWebSessions;
  private readonly path: string;
  private readonly postWriter: PostWriter<PostToWrite, string | null>;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:' && options.path !== '') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints rather than at every commit: a commit survives a
    // crash of the process, and the database stays consistent on a power loss (the last commits
    // may be lost then). FULL would cost an fsync per post.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    this.db.pragma('foreign_keys = ON');
    this.hooks = new SqliteHooksCallbacks(this.db, (source) => this.sql(source));
    this.chat = new SqliteChatOutbox((source) => this.sql(source));
    this.accounts = new SqliteAccounts((source) => this.sql(source));
    this.connect = new SqliteConnect((source) => this.sql(source));
    this.tokensAudit = new SqliteTokensAudit((source) => this.sql(source));
    this.history = new SqliteHistoryPacing((source) => this.sql(source));
    this.web = new SqliteWebSessions((source) => this.sql(source));
    this.path = options.path;
    this.postWriter = new PostWriter(this.db, (post) => this.insertPost(post));
    // Locked, full or unwritable: one StoreUnavailableError for the edges (see ../unavailable.ts).
    // biome-ignore lint/correctness/noConstructorReturn: every method's errors pass through it
    return translateStoreErrors(this, sqliteAwayReason);
  }

  private sql(source: string): Database.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  async init(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    // IMMEDIATE takes the write lock first, so two processes starting together do not both migrate.
    this.db
      .transaction(() => {
        const rows = this.db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[];
        const applied = new Set(rows.map((r) => r.id));
        for (const m of migrations) {
          if (applied.has(m.id)) continue;
          this.db.exec(m.sql);
          this.db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, Date.now());
        }
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  async ping(): Promise<void> {
    probeWritable(this.db, this.path, 200);
  }

  // Workspaces and API tokens: see tokens-audit.ts.
  readonly ensureWorkspace = async (workspace: Workspace): Promise<Workspace> =>
    this.tokensAudit.ensureWorkspace(workspace);
  readonly getWorkspace = async (id: string): Promise<Workspace | null> => this.tokensAudit.getWorkspace(id);
  readonly updateWorkspaceSettings = async (id: string, settings: WorkspaceSettings): Promise<Workspace | null> =>
    this.tokensAudit.updateWorkspaceSettings(id, settings);
  readonly createApiToken = async (token: ApiToken): Promise<void> => this.tokensAudit.createApiToken(token);
  readonly findApiTokenByHash = async (hash: string): Promise<ApiToken | null> =>
    this.tokensAudit.findApiTokenByHash(hash);
  readonly touchApiToken = async (id: string, at: number): Promise<void> => this.tokensAudit.touchApiToken(id, at);

  // Accounts: see accounts.ts.
  readonly createAccount = async (account: Account): Promise<void> => this.accounts.createAccount(account);
  readonly getAccount = async (id: string): Promise<Account | null> => this.accounts.getAccount(id);
  readonly listAccounts = async (workspaceId: string): Promise<Account[]> => this.accounts.listAccounts(workspaceId);
  readonly updateAccountCredentials = async (id: string, credentials: string, at: number, ifCurrent?: string) =>
    this.accounts.updateAccountCredentials(id, credentials, at, ifCurrent);
  readonly setAccountHealth = async (id: string, health: AccountHealth, reason: string | undefined, at: number) =>
    this.accounts.setAccountHealth(id, health, reason, at);
  readonly markAccountUnhealthy = async (
    id: string,
    health: Exclude<AccountHealth, 'active'>,
    reason: string,
    at: number,
  ) => this.accounts.markAccountUnhealthy(id, health, reason, at);
  readonly wakeWaitingDeliveries = async (accountId: string, now: number) =>
    this.accounts.wakeWaitingDeliveries(accountId, now);
  readonly waitingDeliveriesOf = async (accountId: string) => this.accounts.waitingDeliveriesOf(accountId);
  readonly cancelDeliveriesOf = async (accountId: string, at: number) =>
    this.accounts.cancelDeliveriesOf(accountId, at);
  readonly removeAccount = async (id: string) => this.accounts.removeAccount(id);
  readonly markDeliveryDeleted = async (id: string, at: number) => this.accounts.markDeliveryDeleted(id, at);

  async createPost(post: Post, deliveries: Delivery[], options: CreatePostOptions = {}): Promise<CreatePostResult> {
    // The key check and the inserts share one IMMEDIATE transaction, so a concurrent request with
    // the same key (from any process) waits and then finds this post instead of failing. Posts
    // asked for at once share a commit, each in its own savepoint (post-writer.ts).
    const existingId = await this.postWriter.submit({ post, deliveries, options });
    if (existingId) return { created: false, value: (await this.getPost(existingId))! };
    // What was written is exactly what a read would return: no need to read it back.
    return { created: true, value: { post, deliveries } };
  }

  /** Inside createPost's transaction: the id of the post the key already names, else null once written. */
  private insertPost({ post, deliveries, options }: PostToWrite): string | null {
    if (post.idempotencyKey !== undefined) {
      const found = this.findPostIdByKey(post.workspaceId, post.idempotencyKey);
      if (found) return found;
    }
    if (options.slot && isHeld((s) => this.sql(s), post.workspaceId, post.scheduledAt)) {
      throw new SlotTakenError(post.scheduledAt);
    }
    const postRow = fromPost(post);
    this.sql(insertSql('posts', Object.keys(postRow))).run(postRow);
    for (const d of deliveries) {
      const row = fromDelivery(d);
      this.sql(insertSql('deliveries', Object.keys(row))).run(row);
    }
    if (options.audit) this.tokensAudit.addAudit(options.audit);
    return null;
  }

  private findPostIdByKey(workspaceId: string, key: string): string | null {
    const row = this.sql('SELECT id FROM posts WHERE workspace_id = ? AND idempotency_key = ?').get(workspaceId, key) as
      | { id: string }
      | undefined;
    return row?.id ?? null;
  }

  async getPost(id: string): Promise<PostWithDeliveries | null> {
    const row = this.postRow(id);
    return row ? (this.withDeliveries([row])[0] ?? null) : null;
  }

  async getPostAlone(id: string): Promise<Post | null> {
    const row = this.postRow(id);
    return row ? toPost(row) : null;
  }

  private postRow(id: string): PostRow | undefined {
    return this.sql('SELECT * FROM posts WHERE id = ?').get(id) as PostRow | undefined;
  }

  async correlationIds(postIds: readonly string[]): Promise<Map<string, string>> {
    // Callers pass a batch (500 at most), far below SQLite's 32,766 bound parameters.
    const unique = [...new Set(postIds)];
    const rows = this.sql(`SELECT id, correlation_id FROM posts WHERE id IN (${unique.map(() => '?').join(',')})`).all(
      ...unique,
    ) as { id: string; correlation_id: string }[];
    return new Map(rows.map((r) => [r.id, r.correlation_id]));
  }

  async findPostByIdempotencyKey(workspaceId: string, key: string): Promise<PostWithDeliveries | null> {
    const id = this.findPostIdByKey(workspaceId, key);
    return id ? this.getPost(id) : null;
  }

  async listPosts(workspaceId: string, options: { limit: number; before?: number }): Promise<PostWithDeliveries[]> {
    const rows = this.sql(
      `SELECT * FROM posts WHERE workspace_id = ? AND created_at < ?
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ).all(workspaceId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit) as PostRow[];
    return this.withDeliveries(rows);
  }

  async listPostsScheduled(
    workspaceId: string,
    range: { from: number; to: number; limit: number },
  ): Promise<PostWithDeliveries[]> {
    const rows = this.sql(
      `SELECT * FROM posts WHERE workspace_id = ? AND scheduled_at >= ? AND scheduled_at < ?
       ORDER BY scheduled_at, id LIMIT ?`,
    ).all(workspaceId, range.from, range.to, range.limit) as PostRow[];
    return this.withDeliveries(rows);
  }

  async listScheduledTimes(workspaceId: string, range: { from: number; to: number }): Promise<number[]> {
    return this.sql(
      'SELECT scheduled_at FROM posts WHERE workspace_id = ? AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at',
    )
      .pluck()
      .all(workspaceId, range.from, range.to) as number[];
  }

  /** Attaches deliveries to posts with one query, in the order they were given to createPost. */
  private withDeliveries(posts: PostRow[]): PostWithDeliveries[] {
    if (posts.length === 0) return [];
    const rows = this.sql(
      'SELECT * FROM deliveries WHERE post_id IN (SELECT value FROM json_each(?)) ORDER BY rowid',
    ).all(JSON.stringify(posts.map((p) => p.id))) as DeliveryRow[];
    const byPost = new Map<string, Delivery[]>();
    for (const row of rows) {
      const list = byPost.get(row.post_id) ?? [];
      list.push(toDelivery(row));
      byPost.set(row.post_id, list);
    }
    return posts.map((p) => ({ post: toPost(p), deliveries: byPost.get(p.id) ?? [] }));
  }

  async heldTimes(workspaceId: string, range: { from: number; to: number }): Promise<number[]> {
    return heldTimes((s) => this.sql(s), workspaceId, range);
  }

  async cancelPost(postId: string, at: number): Promise<number> {
    return this.sql(
      `UPDATE deliveries SET state = 'cancelled', ${clearLease}, updated_at = ?
       WHERE post_id = ? AND state IN (${cancellable})`,
    ).run(at, postId).changes;
  }

  // An edit of a post that has not started: see post-edits.ts.
  readonly editPost = async (e: PostEdit): Promise<EditPostResult> => editPost(this.db, (s) => this.sql(s), e);

  async bringForward(postId: string, now: number): Promise<number> {
    return this.sql(
      `UPDATE deliveries SET due_at = ?, updated_at = ? WHERE post_id = ? AND state = 'scheduled' AND due_at > ?`,
    ).run(now, now, postId, now).changes;
  }

  async reviveDelivery(id: string, now: number, to: 'queued' | 'scheduled' = 'queued'): Promise<boolean> {
    return (
      this.sql(
        `UPDATE deliveries SET state = ?, attempts = 0, due_at = ?, updated_at = ? WHERE id = ? AND state = 'failed'`,
      ).run(to, now, now, id).changes === 1
    );
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const row = this.sql('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
    return row ? toDelivery(row) : null;
  }

  async takeDue(now: number, limit: number): Promise<Delivery[]> {
    const rows = this.sql(
      `UPDATE deliveries SET state = 'queued', updated_at = @now
       WHERE state = 'scheduled' AND due_at <= @now AND id IN (
         SELECT id FROM deliveries WHERE state = 'scheduled' AND due_at <= @now ORDER BY due_at, id LIMIT @limit)
       RETURNING *`,
    ).all({ now, limit }) as DeliveryRow[];
    return sortByDue(rows).map(toDelivery);
  }

  async takeDueByIds(ids: readonly string[], now: number): Promise<Delivery[]> {
    if (ids.length === 0) return [];
    const rows = this.sql(
      `UPDATE deliveries SET state = 'queued', updated_at = @now
       WHERE state = 'scheduled' AND due_at <= @now AND id IN (SELECT value FROM json_each(@ids))
       RETURNING *`,
    ).all({ now, ids: JSON.stringify(ids) }) as DeliveryRow[];
    return sortByDue(rows).map(toDelivery);
  }

  async nextDueAt(): Promise<number | null> {
    const row = this.sql(`SELECT MIN(due_at) AS due FROM deliveries WHERE state = 'scheduled'`).get() as {
      due: number | null;
    };
    return row.due;
  }

  async claim(id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null> {
    // Two compare-and-sets rather than one, so that we know which state the claim came from.
    const set = `UPDATE deliveries SET state = 'publishing', attempts = attempts + 1,
      lease_owner = @owner, lease_expires_at = @leaseUntil, updated_at = @now`;
    const params = { id, owner, now, leaseUntil };
    const queued = this.sql(`${set} WHERE id = @id AND state = 'queued' AND due_at <= @now RETURNING *`).get(params);
    if (queued) return { delivery: toDelivery(queued as DeliveryRow), from: 'queued' };
    const unknown = this.sql(`${set} WHERE id = @id AND state = 'unknown' RETURNING *`).get(params);
    if (unknown) return { delivery: toDelivery(unknown as DeliveryRow), from: 'unknown' };
    return null;
  }

  async renewLease(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    return (
      this.sql(
        `UPDATE deliveries SET lease_expires_at = ? WHERE id = ? AND state = 'publishing' AND lease_owner = ?`,
      ).run(leaseUntil, id, owner).changes === 1
    );
  }

  async saveProgress(id: string, owner: string, progress: DeliveryProgress, at: number): Promise<boolean> {
    const sets = ['updated_at = @at'];
    if (progress.chain) sets.push('chain = @chain');
    if (progress.checkpoint !== undefined) sets.push('checkpoint = @checkpoint');
    const changes = this.sql(
      `UPDATE deliveries SET ${sets.join(', ')} WHERE id = @id AND state = 'publishing' AND lease_owner = @owner`,
    ).run({
      id,
      owner,
      at,
      chain: json(progress.chain),
      checkpoint: progress.checkpoint ? JSON.stringify(progress.checkpoint) : null,
    }).changes;
    return changes === 1;
  }

  async finishAttempt(id: string, owner: string, outcome: AttemptOutcome, at: number): Promise<boolean> {
    const where = `WHERE id = @id AND state = 'publishing' AND lease_owner = @owner`;
    const base = { id, owner, at };
    let changes: number;
    if (outcome.kind === 'published') {
      changes = this.sql(
        `UPDATE deliveries SET state = 'published', result = @result, published_at = @publishedAt,
         ${clearLease}, updated_at = @at ${where}`,
      ).run({ ...base, result: JSON.stringify(outcome.result), publishedAt: outcome.at }).changes;
    } else if (outcome.kind === 'retry') {
      changes = this.sql(
        `UPDATE deliveries SET state = @state, due_at = @dueAt, last_error = @error, attempts = attempts - @refund,
         ${clearLease}, updated_at = @at ${where}`,
      ).run({
        ...base,
        state: outcome.state,
        dueAt: outcome.dueAt,
        error: JSON.stringify(outcome.error),
        refund: outcome.refundAttempt ? 1 : 0,
      }).changes;
    } else {
      changes = this.sql(
        `UPDATE deliveries SET state = 'failed', last_error = @error, ${clearLease}, updated_at = @at ${where}`,
      ).run({ ...base, error: JSON.stringify(outcome.error) }).changes;
    }
    return changes === 1;
  }

  async expireLeases(now: number, limit: number): Promise<Delivery[]> {
    const rows = this.sql(
      `UPDATE deliveries SET state = 'unknown', ${clearLease}, due_at = @now, updated_at = @now
       WHERE state = 'publishing' AND lease_expires_at < @now AND id IN (
         SELECT id FROM deliveries WHERE state = 'publishing' AND lease_expires_at < @now
         ORDER BY lease_expires_at, id LIMIT @limit)
       RETURNING *`,
    ).all({ now, limit }) as DeliveryRow[];
    return sortByDue(rows).map(toDelivery);
  }

  async takeStranded(state: 'queued' | 'unknown', olderThan: number, now: number, limit: number): Promise<Delivery[]> {
    const rows = this.sql(
      `UPDATE deliveries SET due_at = @now, updated_at = @now
       WHERE state = @state AND due_at < @olderThan AND id IN (
         SELECT id FROM deliveries WHERE state = @state AND due_at < @olderThan
         ORDER BY due_at, id LIMIT @limit)
       RETURNING *`,
    ).all({ state, olderThan, now, limit }) as DeliveryRow[];
    return rows.map(toDelivery).sort((a, b) => a.id.localeCompare(b.id));
  }

  // Counts, history, breakdown and pacing: see history-pacing.ts.
  readonly countDeliveries = async (): Promise<Record<string, number>> => this.history.countDeliveries();
  readonly deliveryBreakdown = async (): Promise<DeliveryBreakdownRow[]> => this.history.deliveryBreakdown();
  readonly addAttemptRecord = async (r: AttemptRecord): Promise<void> => this.history.addAttemptRecord(r);
  readonly listAttemptRecords = async (postId: string): Promise<AttemptRecord[]> =>
    this.history.listAttemptRecords(postId);
  readonly getPacing = async (accountId: string): Promise<PaceLedger | null> => this.history.getPacing(accountId);
  readonly putPacing = async (ledger: PaceLedger): Promise<boolean> => this.history.putPacing(ledger);

  // Hooks and callbacks: see hooks-callbacks.ts.
  readonly createHook = async (hook: Hook): Promise<void> => this.hooks.createHook(hook);
  readonly getHook = async (id: string): Promise<Hook | null> => this.hooks.getHook(id);
  readonly listHooks = async (workspaceId: string): Promise<Hook[]> => this.hooks.listHooks(workspaceId);
  readonly updateHook = async (id: string, patch: HookPatch, at: number): Promise<Hook | null> =>
    this.hooks.updateHook(id, patch, at);
  readonly deleteHook = async (id: string): Promise<boolean> => this.hooks.deleteHook(id);
  readonly addCallback = async (callback: Callback): Promise<boolean> => this.hooks.addCallback(callback);
  readonly takeDueCallbacks = async (now: number, leaseUntil: number, limit: number): Promise<Callback[]> =>
    this.hooks.takeDueCallbacks(now, leaseUntil, limit);
  readonly finishCallback = async (id: string, outcome: CallbackOutcome, at: number): Promise<void> =>
    this.hooks.finishCallback(id, outcome, at);
  readonly listCallbacks = async (postId: string): Promise<Callback[]> => this.hooks.listCallbacks(postId);
  readonly nextCallbackDueAt = async (): Promise<number | null> => this.hooks.nextCallbackDueAt();

  // The chat outbox: see chat-outbox.ts.
  readonly addChatMessage = async (m: ChatMessage): Promise<boolean> => this.chat.addChatMessage(m);
  readonly takeDueChatMessages = async (now: number, leaseUntil: number, limit: number): Promise<ChatMessage[]> =>
    this.chat.takeDueChatMessages(now, leaseUntil, limit);
  readonly finishChatMessage = async (id: string, outcome: ChatMessageOutcome, at: number): Promise<void> =>
    this.chat.finishChatMessage(id, outcome, at);
  readonly listChatMessages = async (thread: string): Promise<ChatMessage[]> => this.chat.listChatMessages(thread);
  readonly nextChatMessageDueAt = async (): Promise<number | null> => this.chat.nextChatMessageDueAt();

  // Connect flows and OAuth clients: see connect.ts.
  readonly putConnectState = async (state: ConnectState): Promise<void> => this.connect.putConnectState(state);
  readonly getConnectState = async (id: string): Promise<ConnectState | null> => this.connect.getConnectState(id);
  readonly updateConnectState = async (id: string, data: Record<string, unknown>): Promise<boolean> =>
    this.connect.updateConnectState(id, data);
  readonly takeConnectState = async (id: string): Promise<ConnectState | null> => this.connect.takeConnectState(id);
  readonly getOAuthApp = async (key: string): Promise<OAuthApp | null> => this.connect.getOAuthApp(key);
  readonly putOAuthApp = async (app: OAuthApp): Promise<OAuthApp> => this.connect.putOAuthApp(app);
  readonly listOAuthApps = async (): Promise<OAuthApp[]> => this.connect.listOAuthApps();
  readonly resealOAuthApp = async (key: string, clientSecret: string, ifCurrent: string): Promise<boolean> =>
    this.connect.resealOAuthApp(key, clientSecret, ifCurrent);

  // The web page's sign-in links and sessions: see web-sessions.ts.
  readonly putWebLogin: Web['putWebLogin'] = (link) => this.web.putWebLogin(link);
  readonly useWebLogin: Web['useWebLogin'] = (hash, at) => this.web.useWebLogin(hash, at);
  readonly putWebSession: Web['putWebSession'] = (session) => this.web.putWebSession(session);
  readonly getWebSession: Web['getWebSession'] = (hash) => this.web.getWebSession(hash);
  readonly touchWebSession: Web['touchWebSession'] = (hash, at) => this.web.touchWebSession(hash, at);
  readonly deleteWebSession: Web['deleteWebSession'] = (hash) => this.web.deleteWebSession(hash);

  // Token listing and revocation, workspaces, the audit log: see tokens-audit.ts.
  readonly listApiTokens = async (workspaceId: string): Promise<ApiToken[]> =>
    this.tokensAudit.listApiTokens(workspaceId);
  readonly revokeApiToken = async (id: string, at: number): Promise<boolean> => this.tokensAudit.revokeApiToken(id, at);
  readonly listWorkspaces = async (): Promise<Workspace[]> => this.tokensAudit.listWorkspaces();
  readonly addAudit = async (entry: AuditEntry): Promise<void> => this.tokensAudit.addAudit(entry);
  readonly listAudit = async (
    workspaceId: string,
    options: { limit: number; before?: number },
  ): Promise<AuditEntry[]> => this.tokensAudit.listAudit(workspaceId, options);
}

/** RETURNING gives rows in no promised order. */
function sortByDue(rows: DeliveryRow[]): DeliveryRow[] {
  return rows.sort((a, b) => a.due_at - b.due_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
