import { hostname } from 'node:os';
import { AccountsService } from '../services/accounts/accounts-service.js';
import { CredentialBox } from '../crypto/credential-box.js';
import type { Config } from '../config/config.js';
import type { Secrets } from '../config/secrets.js';
import { type Clock, systemClock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import { DiscordApi } from '../notify/discord/discord-api.js';
import { DiscordBot } from '../bots/discord/discord-bot.js';
import { DiscordNotifier } from '../notify/discord/discord-notifier.js';
import { SlackNotifier } from '../notify/slack/slack-notifier.js';
import { SlackBot } from '../bots/slack/slack-bot.js';
import { CallbackNotifier } from '../notify/callbacks/callback-notifier.js';
import { CallbackSender, type CallbackSenderOptions } from '../notify/callbacks/callback-sender.js';
import { checkCallbackUrl } from '../net/callback-url.js';
import { SigningSecrets } from '../services/signing-secrets.js';
import { HooksService } from '../services/hooks-service.js';
import { RateLimiter } from '../core/rate-limiter.js';
import { Metrics } from '../observability/metrics.js';
import { AccountHealthService } from '../services/accounts/account-health.js';
import { ChatAlerts } from '../notify/chat-alerts.js';
import { BlueskyConnect } from '../connect/bluesky.js';
import { ConnectService } from '../services/connect/connect-service.js';
import { ConnectStates } from '../services/connect/connect-states.js';
import { MastodonConnect } from '../connect/mastodon.js';
import { FacebookConnect, InstagramConnect, ThreadsConnect } from '../connect/meta.js';
import { TumblrConnect } from '../connect/tumblr.js';
import { LogNotifier } from '../notify/log-notifier.js';
import { AuditLog } from '../services/audit-log.js';
import { WorkspacesService } from '../services/workspaces-service.js';
import { TokensService } from '../services/accounts/tokens-service.js';
import { SecretsService } from '../services/accounts/secrets-service.js';
import { QueueService } from '../services/queue-service.js';
import { PostQueries } from '../services/post-queries.js';
import { Readiness } from '../services/readiness.js';
import { RoutingNotifier } from '../notify/routing-notifier.js';
import type { Notifier } from '../notify/notifier.js';
import type { PlatformId } from '../core/post.js';
import { PostsService } from '../services/posts-service.js';
import { defaultRetryPolicy, type RetryPolicy } from '../core/retry-policy.js';
import { createLogger, forPost, type Logger, subsystem } from '../logger.js';
import { MediaService } from '../media/media-service.js';
import type { MediaStore } from '../media/media-store.js';
import type { DownloadOptions, Downloaded } from '../net/safe-fetch.js';
import type { MediaLoader, Platform } from '../platforms/platform.js';
import { createPlatforms } from '../platforms/registry.js';
import type { Transport } from '../queue/transport.js';
import type { Store } from '../store/store.js';
import { Pacer } from '../worker/pacer.js';
import { createMediaStore, createStore, createTransport } from './adapters.js';
import { DeliveryWorker } from '../worker/delivery-worker.js';
import { deliveryMessage } from '../worker/messages.js';
import { Scheduler, type SchedulerOptions } from '../worker/scheduler.js';
import { Sweeper, type SweeperOptions } from '../worker/sweeper.js';

/** What tests (and later adapters) can replace; everything else comes from config. */
export interface AppOverrides {
  store?: Store;
  transport?: Transport;
  platforms?: Partial<Record<PlatformId, Platform>>;
  fetch?: typeof fetch;
  loadMedia?: MediaLoader;
  mediaStore?: MediaStore;
  /** Replaces the SSRF-safe attachment download (tests serve attachments without a network). */
  download?: (url: string, options: DownloadOptions) => Promise<Downloaded>;
  notifier?: Notifier;
  clock?: Clock;
  log?: Logger;
  retry?: RetryPolicy;
  scheduler?: Partial<SchedulerOptions>;
  sweeper?: Partial<SweeperOptions>;
  callbacks?: Partial<CallbackSenderOptions>;
}

/**
 * The one place that builds everything, from config tags and plain constructor arguments.
 * Roles (serve, worker) and the CLI take what they need from it; `dispose()` closes it all.
 */
export class AppContext {
  readonly accounts: AccountsService;
  readonly posts: PostsService;
  readonly scheduler: Scheduler;
  readonly sweeper: Sweeper;
  readonly worker: DeliveryWorker;
  readonly media: MediaService;
  readonly hooks: HooksService;
  /** Sends the callback outbox; runs where the worker runs. */
  readonly callbacks: CallbackSender;
  readonly signing: SigningSecrets;
  /** Who did what, per workspace (`hayon audit`). */
  readonly audit: AuditLog;
  readonly workspaces: WorkspacesService;
  /** API tokens: `hayon tokens`, and the bearer check of every API request. */
  readonly tokens: TokensService;
  /** `hayon secrets rotate`. */
  readonly secretRotation: SecretsService;
  /** `hayon queue status | replay-parked`. */
  readonly queue: QueueService;
  /** Posts as the API, the CLI and the chats show them. */
  readonly postQueries: PostQueries;
  /** `GET /readyz`. */
  readonly readiness: Readiness;
  private readonly callbackNotifier: CallbackNotifier;
  /** Request rates per API token and per hook (this process's count). */
  readonly limiter: RateLimiter;
  /** "Connect an account" flows (OAuth, app passwords). */
  readonly connect: ConnectService;
  /** Accounts that stop working: marked, announced once, checked. */
  readonly health: AccountHealthService;
  /** Prometheus metrics (`GET /metrics`). */
  readonly metrics: Metrics;
  /** `HAYON_METRICS_TOKEN`, if set. */
  readonly metricsToken: string | undefined;
  /** Present when Slack is configured (`HAYON_SLACK_BOT_TOKEN`). */
  readonly slack: SlackBot | undefined;
  /** Present when Discord is configured (`HAYON_DISCORD_TOKEN`, `HAYON_DISCORD_APP_ID`). */
  readonly discord: DiscordBot | undefined;
  readonly discordApi: DiscordApi | undefined;

  private constructor(
    readonly config: Config,
    readonly store: Store,
    readonly transport: Transport,
    readonly platforms: Partial<Record<PlatformId, Platform>>,
    readonly box: CredentialBox,
    secrets: Secrets,
    mediaStore: MediaStore,
    readonly log: Logger,
    readonly clock: Clock,
    overrides: AppOverrides,
  ) {
    this.metrics = new Metrics({
      store,
      now: clock,
      queues: transport.admin ? () => transport.admin?.counts() ?? Promise.resolve({}) : undefined,
    });
    this.metricsToken = secrets.metricsToken;
    this.media = new MediaService({
      store: mediaStore,
      maxBytes: config.mediaMaxBytes,
      fetchTimeoutMs: config.platformTimeoutMs,
      allowHosts: config.fetchAllowHosts,
      ...(overrides.download ? { download: overrides.download } : {}),
      now: clock,
    });
    this.scheduler = new Scheduler({ store, transport, clock, log: subsystem(log, 'scheduler') }, overrides.scheduler);
    const onScheduled = (at: number) => this.scheduler.wake(at);
    this.audit = new AuditLog({ store, clock, log: subsystem(log, 'audit') });
    const audit = this.audit;
    const ingressLog = subsystem(log, 'posts');
    this.posts = new PostsService({
      store,
      platforms,
      clock,
      audit,
      onScheduled,
      onDueNow: ({ post, deliveries }) =>
        this.scheduler.dispatch(deliveries.map((d) => deliveryMessage(d, post.correlationId))),
      openCredentials: (account) => box.open(account.id, account.credentials),
      media: this.media,
      checkCallbackUrl: (url) => checkCallbackUrl(url, { allowHosts: config.fetchAllowHosts }),
      onCancelled: (post) => this.callbackNotifier.afterCancel(post),
      onCreated: ({ post, deliveries }) => {
        this.metrics.postCreated(post.origin.kind);
        forPost(ingressLog, post).info(
          {
            source: post.origin.kind,
            workspaceId: post.workspaceId,
            deliveries: deliveries.length,
            scheduledAt: new Date(post.scheduledAt).toISOString(),
          },
          'post accepted',
        );
      },
    });
    this.signing = new SigningSecrets(box, secrets.secretKey, store, secrets.previousSecretKeys);
    this.callbackNotifier = new CallbackNotifier({ store, clock, onAdded: () => this.callbacks.wake() });
    this.limiter = new RateLimiter(clock);
    this.hooks = new HooksService({
      store,
      posts: this.posts,
      secrets: this.signing,
      limiter: this.limiter,
      clock,
      publicUrl: config.publicUrl,
      defaultTimezone: config.defaultTimezone,
      perHookPerMinute: config.rateLimits.perHookPerMinute,
      checkCallbackUrl: (url, field) => checkCallbackUrl(url, { allowHosts: config.fetchAllowHosts }, field),
      audit,
    });
    this.callbacks = new CallbackSender(
      {
        store,
        clock,
        log: subsystem(log, 'callbacks'),
        secrets: this.signing,
        allowHosts: config.fetchAllowHosts,
      },
      overrides.callbacks,
    );
    this.accounts = new AccountsService({
      store,
      box,
      platforms,
      clock,
      audit,
      onReconnected: (account) => this.health.working(account),
    });
    this.workspaces = new WorkspacesService({ store, clock });
    this.tokens = new TokensService({ store, workspaces: this.workspaces, clock, audit });
    this.secretRotation = new SecretsService({ store, box, signing: this.signing, clock, audit });
    this.queue = new QueueService({ store, clock, audit });
    this.postQueries = new PostQueries({ posts: this.posts, store, clock });
    this.readiness = new Readiness({ store });
    const http = {
      fetch: overrides.fetch ?? globalThis.fetch,
      publicUrl: config.publicUrl,
      timeoutMs: config.platformTimeoutMs,
    };
    const apps = config.connect;
    this.connect = new ConnectService({
      states: new ConnectStates(store, secrets.secretKey, clock),
      accounts: this.accounts,
      box,
      clock,
      publicUrl: config.publicUrl,
      providers: {
        mastodon: new MastodonConnect({ ...http, store, box, clock, allowHosts: config.fetchAllowHosts }),
        bluesky: new BlueskyConnect({ ...http, ...config.bluesky }),
        // OAuth 2 apps: each flow exists only when its app is configured (id and secret).
        ...(apps.tumblr && secrets.tumblrClientSecret
          ? { tumblr: new TumblrConnect({ ...http, clock, ...apps.tumblr, clientSecret: secrets.tumblrClientSecret }) }
          : {}),
        ...(apps.meta && secrets.metaAppSecret
          ? {
              facebook: new FacebookConnect({ ...http, clock, ...apps.meta, clientSecret: secrets.metaAppSecret }),
              instagram: new InstagramConnect({ ...http, clock, ...apps.meta, clientSecret: secrets.metaAppSecret }),
            }
          : {}),
        ...(apps.threads && secrets.threadsAppSecret
          ? { threads: new ThreadsConnect({ ...http, clock, ...apps.threads, clientSecret: secrets.threadsAppSecret }) }
          : {}),
      },
    });
    this.slack =
      config.slack && secrets.slack
        ? new SlackBot(
            {
              posts: this.posts,
              accounts: this.accounts,
              workspaces: this.workspaces,
              postQueries: this.postQueries,
              media: this.media,
              clock,
              log: subsystem(log, 'slack'),
              connect: this.connect,
              workspaceId: config.slack.workspaceId,
              defaultTimezone: config.defaultTimezone,
            },
            config.slack,
            secrets.slack,
          )
        : undefined;
    this.discordApi =
      config.discord && secrets.discordToken
        ? new DiscordApi(
            config.discord.applicationId,
            secrets.discordToken,
            config.discord.apiUrl,
            subsystem(log, 'discord'),
          )
        : undefined;
    this.discord =
      config.discord && secrets.discordToken && this.discordApi
        ? new DiscordBot(
            {
              posts: this.posts,
              accounts: this.accounts,
              workspaces: this.workspaces,
              postQueries: this.postQueries,
              media: this.media,
              api: this.discordApi,
              clock,
              connect: this.connect,
              log: subsystem(log, 'discord'),
              workspaceId: config.discord.workspaceId,
              defaultTimezone: config.defaultTimezone,
            },
            config.discord,
            secrets.discordToken,
          )
        : undefined;
    this.health = new AccountHealthService({
      store,
      platforms,
      box,
      clock,
      log: subsystem(log, 'accounts'),
      alerts: new ChatAlerts({ store, slack: this.slack?.client, discord: this.discordApi }),
      connect: this.connect,
      graceMs: config.accountHealth.graceMs,
      onWoken: onScheduled,
    });
    const notifier =
      overrides.notifier ??
      new RoutingNotifier(
        {
          ...(this.slack ? { slack: new SlackNotifier({ client: this.slack.client, store }) } : {}),
          ...(this.discordApi ? { discord: new DiscordNotifier({ api: this.discordApi, store }) } : {}),
        },
        [new LogNotifier(subsystem(log, 'notify')), this.callbackNotifier],
        subsystem(log, 'notify'),
      );
    this.sweeper = new Sweeper(
      { store, transport, clock, log: subsystem(log, 'sweeper') },
      {
        intervalMs: config.worker.sweepIntervalMs,
        strandedAfterMs: config.worker.strandedAfterMs,
        strandedWhileBusyAfterMs: config.worker.strandedWhileBusyAfterMs,
        ...overrides.sweeper,
      },
    );
    this.worker = new DeliveryWorker(
      {
        store,
        transport,
        platforms,
        box,
        notifier,
        loadMedia: overrides.loadMedia ?? this.media.load,
        media: this.media,
        clock,
        log: subsystem(log, 'worker'),
        onScheduled,
        health: this.health,
        metrics: this.metrics,
        pacer: new Pacer(store, config.pacing),
      },
      {
        owner: newId(`w-${hostname()}-${process.pid}`),
        concurrency: config.worker.concurrency,
        leaseMs: config.worker.leaseMs,
        retry: overrides.retry ?? { ...defaultRetryPolicy, maxAttempts: config.worker.maxAttempts },
      },
    );
  }

  static async fromConfig(config: Config, secrets: Secrets, overrides: AppOverrides = {}): Promise<AppContext> {
    const log = overrides.log ?? createLogger(config.logLevel);
    const store = overrides.store ?? createStore(config);
    await store.init();
    const transport = overrides.transport ?? createTransport(config, log);
    const platforms =
      overrides.platforms ??
      createPlatforms({ fetch: overrides.fetch ?? globalThis.fetch, timeoutMs: config.platformTimeoutMs });
    const clock = overrides.clock ?? systemClock;
    const mediaStore = overrides.mediaStore ?? createMediaStore(config, secrets, clock);
    await mediaStore.init();
    return new AppContext(
      config,
      store,
      transport,
      platforms,
      new CredentialBox(secrets.secretKey, secrets.previousSecretKeys),
      secrets,
      mediaStore,
      log,
      clock,
      overrides,
    );
  }

  async dispose(): Promise<void> {
    await this.slack?.stop();
    await this.discord?.stop();
    await this.scheduler.stop();
    await this.sweeper.stop();
    await this.worker.stop();
    await this.callbacks.stop();
    await this.transport.close();
    await this.store.close();
    this.media.store.close();
  }
}
