import type { AccountStore } from './ports/account-store.js';
import type { AuditStore } from './ports/audit-store.js';
import type { CallbackStore } from './ports/callback-store.js';
import type { ChatOutboxStore } from './ports/chat-outbox-store.js';
import type { ConnectStore } from './ports/connect-store.js';
import type { DeliveryStore } from './ports/delivery-store.js';
import type { HistoryStore } from './ports/history-store.js';
import type { HookStore } from './ports/hook-store.js';
import type { PacingStore } from './ports/pacing-store.js';
import type { PostStore } from './ports/post-store.js';
import type { StoreLifecycle } from './ports/store-lifecycle.js';
import type { TokenStore } from './ports/token-store.js';
import type { WebSessionStore } from './ports/web-session-store.js';
import type { WorkspaceStore } from './ports/workspace-store.js';

/**
 * The whole store: the truth about posts, deliveries, accounts, tokens, hooks, callbacks, connect
 * flows, pacing, the audit log and the web page's sign-in links and sessions, as one adapter
 * (SQLite, MongoDB) implements it and the wiring
 * holds it. It is the intersection of the small ports in `./ports/`; a service, a worker or a
 * notifier takes only the ports it uses, never this.
 *
 * Every state change of a delivery is one atomic conditional update (a compare-and-set on its
 * state and, while publishing, its lease owner), so that any number of workers and schedulers
 * can share a store without a post going out twice. No method needs a multi-document
 * transaction except `createPost`, which must write a post and its deliveries all or nothing
 * (both adapters use one transaction).
 */
export interface Store
  extends StoreLifecycle,
    WorkspaceStore,
    TokenStore,
    AccountStore,
    PostStore,
    DeliveryStore,
    HistoryStore,
    PacingStore,
    HookStore,
    CallbackStore,
    ChatOutboxStore,
    ConnectStore,
    AuditStore,
    WebSessionStore {}
