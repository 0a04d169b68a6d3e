import type { Secrets } from '../config/secrets.js';
import { RateLimiter } from '../core/rate-limiter.js';
import { subsystem } from '../logger.js';
import { MediaService } from '../media/media-service.js';
import { checkCallbackUrl } from '../net/callback-url.js';
import { Metrics } from '../observability/metrics.js';
import { observePostAccepted } from '../observability/post-accepted.js';
import { AccountHealthService } from '../services/accounts/account-health.js';
import { AccountsService } from '../services/accounts/accounts-service.js';
import { SecretsService } from '../services/accounts/secrets-service.js';
import { TokensService } from '../services/accounts/tokens-service.js';
import { AuditLog } from '../services/audit-log.js';
import { ConnectLinks } from '../services/connect/connect-links.js';
import { ConnectStates } from '../services/connect/connect-states.js';
import { HooksService } from '../services/hooks-service.js';
import { PostQueries } from '../services/post-queries.js';
import { PostsService, type PostsServiceDeps } from '../services/posts/posts-service.js';
import { QueueService } from '../services/queue-service.js';
import { Readiness } from '../services/readiness.js';
import { WorkspacesService } from '../services/workspaces-service.js';
import { WebSessions } from '../services/web-sessions.js';
import type { Scheduler } from '../worker/scheduler.js';
import { deliveryMessage } from '../worker/messages.js';
import type { Adapters } from './adapters.js';
import { connectApps, connectPlatforms } from './connect-apps.js';
import type { Notify } from './notify.js';
import type { AppOverrides } from './overrides.js';

/** The application layer every role has: the use cases, on the adapters. */
export interface Services {
  /** Prometheus metrics (`GET /metrics`). */
  metrics: Metrics;
  media: MediaService;
  /** Who did what, per workspace (`hayon audit`). */
  audit: AuditLog;
  posts: PostsService;
  /** Request rates per API token and per hook (this process's count). */
  limiter: RateLimiter;
  hooks: HooksService;
  /** Connect links (the CLI, chat commands, alerts); the flows themselves are ingress. */
  connectLinks: ConnectLinks;
  /** Accounts that stop working: marked, announced once, checked. */
  health: AccountHealthService;
  accounts: AccountsService;
  workspaces: WorkspacesService;
  /** API tokens: `hayon tokens`, and the bearer check of every API request. */
  tokens: TokensService;
  /** `hayon secrets rotate`. */
  secretRotation: SecretsService;
  /** `hayon queue status | replay-parked`. */
  queue: QueueService;
  /** Posts as the API, the CLI and the chats show them. */
  postQueries: PostQueries;
  /** `GET /readyz`. */
  readiness: Readiness;
  /** Signing in to the web page: one-time links (`hayon web login`, `/hayon web`) and sessions. */
  webSessions: WebSessions;
}

/**
 * The services step, after the adapters and the notify step. `scheduler` is there when this
 * process runs one (`hayon serve`): told of new due work, it looks at once; without it, the
 * running scheduler's poll finds it.
 */
export function createServices(
  a: Adapters,
  secrets: Secrets,
  notify: Notify,
  scheduler: Scheduler | undefined,
  overrides: AppOverrides,
): Services {
  const metrics = new Metrics({
    store: a.store,
    now: a.clock,
    queues: a.transport.admin ? () => a.transport.admin?.counts() ?? Promise.resolve({}) : undefined,
  });
  const media = createMediaService(a, overrides);
  const audit = new AuditLog({ store: a.store, clock: a.clock, log: subsystem(a.log, 'audit') });
  const posts = createPostsService(a, { media, audit, metrics, notify, scheduler });
  const limiter = new RateLimiter(a.clock);
  const hooks = createHooksService(a, { posts, audit, limiter });
  const connectLinks = new ConnectLinks({
    states: new ConnectStates(a.store, secrets.secretKey, a.clock),
    publicUrl: a.config.publicUrl,
    platforms: connectPlatforms(connectApps(a.config, secrets)),
  });
  const health = new AccountHealthService({
    store: a.store,
    platforms: a.platforms,
    box: a.box,
    clock: a.clock,
    log: subsystem(a.log, 'accounts'),
    alerts: notify.alerts,
    connect: connectLinks,
    graceMs: a.config.accountHealth.graceMs,
    ...(scheduler ? { onWoken: (at: number) => scheduler.wake(at) } : {}),
  });
  const accounts = new AccountsService({
    store: a.store,
    box: a.box,
    platforms: a.platforms,
    clock: a.clock,
    audit,
    onReconnected: (account) => health.working(account),
  });
  return {
    metrics,
    media,
    audit,
    posts,
    limiter,
    hooks,
    connectLinks,
    health,
    accounts,
    ...createAdminServices(a, { posts, audit }),
  };
}

/** Workspaces, tokens, key rotation, the queue, post views, readiness, web sign-in: each on the adapters and the audit log. */
function createAdminServices(
  a: Adapters,
  deps: Pick<Services, 'posts' | 'audit'>,
): Pick<Services, 'workspaces' | 'tokens' | 'secretRotation' | 'queue' | 'postQueries' | 'readiness' | 'webSessions'> {
  const { store, clock } = a;
  const { audit } = deps;
  const workspaces = new WorkspacesService({ store, clock });
  return {
    workspaces,
    tokens: new TokensService({ store, workspaces, clock, audit }),
    secretRotation: new SecretsService({ store, box: a.box, signing: a.signing, clock, audit }),
    queue: new QueueService({ store, clock, audit }),
    postQueries: new PostQueries({ posts: deps.posts, store, clock }),
    readiness: new Readiness({ store }),
    webSessions: new WebSessions({ store, clock, audit, publicUrl: a.config.publicUrl, ...a.config.webSessions }),
  };
}

function createMediaService(a: Adapters, overrides: AppOverrides): MediaService {
  return new MediaService({
    store: a.mediaStore,
    maxBytes: a.config.mediaMaxBytes,
    fetchTimeoutMs: a.config.platformTimeoutMs,
    allowHosts: a.config.fetchAllowHosts,
    ...(overrides.download ? { download: overrides.download } : {}),
    now: a.clock,
  });
}

function createPostsService(
  a: Adapters,
  deps: Pick<Services, 'media' | 'audit' | 'metrics'> & { notify: Notify; scheduler: Scheduler | undefined },
): PostsService {
  const { scheduler } = deps;
  return new PostsService({
    store: a.store,
    platforms: a.platforms,
    clock: a.clock,
    audit: deps.audit,
    ...(scheduler ? toldOfDueWork(scheduler) : {}),
    openCredentials: (account) => a.box.open(account.id, account.credentials),
    saveCredentials: (account, c) => a.store.updateAccountCredentials(account.id, a.box.seal(account.id, c), a.clock()),
    media: deps.media,
    checkCallbackUrl: (url) => checkCallbackUrl(url, { allowHosts: a.config.fetchAllowHosts }),
    removeMedia: (keys) => deps.media.store.delete(keys),
    defaultTimezone: a.config.defaultTimezone,
    onCancelled: (post) => deps.notify.callbackNotifier.afterCancel(post),
    results: deps.notify.results,
    onCreated: observePostAccepted(deps.metrics, subsystem(a.log, 'posts')),
  });
}

/**
 * How the posts service tells the scheduler of a post just stored: deliveries due now are sent
 * at once (no search of the store), later ones set its timer.
 */
export function toldOfDueWork(scheduler: Scheduler): Pick<PostsServiceDeps, 'onScheduled' | 'onDueNow'> {
  return {
    onScheduled: (at) => scheduler.wake(at),
    onDueNow: ({ post, deliveries }) =>
      scheduler.dispatch(deliveries.map((d) => deliveryMessage(d, post.correlationId))),
  };
}

function createHooksService(a: Adapters, deps: Pick<Services, 'posts' | 'audit' | 'limiter'>): HooksService {
  const { config } = a;
  return new HooksService({
    store: a.store,
    posts: deps.posts,
    secrets: a.signing,
    limiter: deps.limiter,
    clock: a.clock,
    publicUrl: config.publicUrl,
    defaultTimezone: config.defaultTimezone,
    perHookPerMinute: config.rateLimits.perHookPerMinute,
    checkCallbackUrl: (url, field) => checkCallbackUrl(url, { allowHosts: config.fetchAllowHosts }, field),
    audit: deps.audit,
  });
}
