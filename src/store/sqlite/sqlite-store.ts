import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
import type { CreatePostOptions, EditPostResult, PostEdit } from '../ports/post-store.js';
import { GroupCommit } from './group-commit.js';
import { SqlitePosts } from './posts.js';
import { SqliteDeliveries } from './deliveries.js';
import type { Store } from '../store.js';
import type { Callback, CallbackOutcome, Hook, HookPatch } from '../../core/hook.js';
import { SqliteAccounts } from './accounts.js';
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

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. The parent directory is created if missing. */
  path: string;
  /** How long a write waits for another connection's lock before failing. Default 5000. */
  busyTimeoutMs?: number;
}

/**
 * The Store over one SQLite file (better-sqlite3): opens and migrates the file, and maps each port
 * method to the sibling file of its aggregate. better-sqlite3 is synchronous, so the methods are
 * async only to fit the port; each state change is one conditional UPDATE, which also keeps
 * several processes sharing the file (WAL) safe.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  /** The writes of concurrent callers share a commit (see group-commit.ts). */
  private readonly commits: GroupCommit;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly hooks: SqliteHooksCallbacks;
  private readonly chat: SqliteChatOutbox;
  private readonly accounts: SqliteAccounts;
  private readonly connect: SqliteConnect;
  private readonly tokensAudit: SqliteTokensAudit;
  private readonly history: SqliteHistoryPacing;
  private readonly web: SqliteWebSessions;
  private readonly posts: SqlitePosts;
  private readonly deliveries: SqliteDeliveries;
  private readonly path: string;

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
    this.commits = new GroupCommit(this.db);
    this.posts = new SqlitePosts(
      this.db,
      (source) => this.sql(source),
      (entry) => this.tokensAudit.addAudit(entry),
      this.commits,
    );
    this.deliveries = new SqliteDeliveries((source) => this.sql(source));
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

  // Posts: see posts.ts (and post-edits.ts for an edit of a post that has not started).
  readonly createPost = async (post: Post, deliveries: Delivery[], options?: CreatePostOptions) =>
    this.posts.createPost(post, deliveries, options);
  readonly getPost = async (id: string): Promise<PostWithDeliveries | null> => this.posts.getPost(id);
  readonly getPostAndAccount = async (postId: string, accountId: string) => {
    const post = this.posts.getPostAlone(postId);
    return { post, account: post ? this.accounts.getAccount(accountId) : null };
  };
  readonly correlationIds = async (postIds: readonly string[]): Promise<Map<string, string>> =>
    this.posts.correlationIds(postIds);
  readonly findPostByIdempotencyKey = async (workspaceId: string, key: string) =>
    this.posts.findPostByIdempotencyKey(workspaceId, key);
  readonly listPosts = async (workspaceId: string, options: { limit: number; before?: number }) =>
    this.posts.listPosts(workspaceId, options);
  readonly listPostsScheduled = async (workspaceId: string, range: { from: number; to: number; limit: number }) =>
    this.posts.listPostsScheduled(workspaceId, range);
  readonly listScheduledTimes = async (workspaceId: string, range: { from: number; to: number }) =>
    this.posts.listScheduledTimes(workspaceId, range);
  readonly heldTimes = async (workspaceId: string, range: { from: number; to: number }) =>
    this.posts.heldTimes(workspaceId, range);
  readonly cancelPost = async (postId: string, at: number): Promise<number> => this.posts.cancelPost(postId, at);
  readonly editPost = async (e: PostEdit): Promise<EditPostResult> => this.posts.editPost(e);
  readonly bringForward = async (postId: string, now: number): Promise<number> => this.posts.bringForward(postId, now);

  // The delivery lifecycle: see deliveries.ts.
  readonly reviveDelivery = async (id: string, now: number, to?: 'queued' | 'scheduled') =>
    this.deliveries.reviveDelivery(id, now, to);
  readonly getDelivery = async (id: string): Promise<Delivery | null> => this.deliveries.getDelivery(id);
  readonly takeDue = async (now: number, limit: number): Promise<Delivery[]> => this.deliveries.takeDue(now, limit);
  readonly takeDueByIds = async (ids: readonly string[], now: number): Promise<Delivery[]> =>
    this.deliveries.takeDueByIds(ids, now);
  readonly nextDueAt = async (): Promise<number | null> => this.deliveries.nextDueAt();
  // A worker's claims, outcomes and pacing writes share commits with each other's (group-commit.ts).
  readonly claim = (id: string, owner: string, now: number, leaseUntil: number): Promise<Claim | null> =>
    this.commits.submit(() => this.deliveries.claim(id, owner, now, leaseUntil));
  readonly renewLease = async (id: string, owner: string, leaseUntil: number): Promise<boolean> =>
    this.deliveries.renewLease(id, owner, leaseUntil);
  readonly saveProgress = async (id: string, owner: string, progress: DeliveryProgress, at: number) =>
    this.deliveries.saveProgress(id, owner, progress, at);
  /** The outcome and the history record in one transaction, its commit shared with the other writes of the moment. */
  readonly finishAttempt = async (
    id: string,
    owner: string,
    outcome: AttemptOutcome,
    at: number,
    record?: AttemptRecord,
  ): Promise<boolean> =>
    this.commits.submit(() => {
      const finished = this.deliveries.finishAttempt(id, owner, outcome, at);
      if (finished && record) this.history.addAttemptRecord(record);
      return finished;
    });
  readonly expireLeases = async (now: number, limit: number): Promise<Delivery[]> =>
    this.deliveries.expireLeases(now, limit);
  readonly takeStranded = async (state: 'queued' | 'unknown', olderThan: number, now: number, limit: number) =>
    this.deliveries.takeStranded(state, olderThan, now, limit);

  // Counts, history, breakdown and pacing: see history-pacing.ts.
  readonly countDeliveries = async (): Promise<Record<string, number>> => this.history.countDeliveries();
  readonly deliveryBreakdown = async (): Promise<DeliveryBreakdownRow[]> => this.history.deliveryBreakdown();
  readonly listAttemptRecords = async (postId: string): Promise<AttemptRecord[]> =>
    this.history.listAttemptRecords(postId);
  readonly getPacing = async (accountId: string): Promise<PaceLedger | null> => this.history.getPacing(accountId);
  readonly putPacing = (ledger: PaceLedger): Promise<boolean> =>
    this.commits.submit(() => this.history.putPacing(ledger));

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
