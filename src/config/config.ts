import path from 'node:path';
import { defaultApiUrl as facebookGraphUrl } from '../platforms/facebook/credentials.js';
import { defaultThreadsApiUrl } from '../platforms/threads/credentials.js';
import { type PaceLimit, parsePaceLimits } from '../core/pacing.js';
import { type PlatformId, platformIds } from '../core/post.js';
import { defaultPaceLimits } from '../platforms/pacing-limits.js';
import type { HayonEnv } from './env.js';
import { ConfigError, flag, int, timeZone, url } from './values.js';

export { ConfigError };

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'mongo'; url: string };
export type TransportConfig = { kind: 'local' } | { kind: 'rabbitmq'; url: string };
export type MediaStoreConfig =
  | { kind: 'disk'; root: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint?: string | undefined;
      /**
       * The S3 endpoint as clients and platforms reach it, for presigned URLs (upload and
       * download); `HAYON_S3_PUBLIC_URL`, default the endpoint hayon itself uses. Set it when
       * hayon reaches the store at an inside address (`http://minio:9000` in docker-compose)
       * that Threads, Instagram, Facebook and API clients cannot.
       */
      publicEndpoint?: string | undefined;
      forcePathStyle: boolean;
    };

/** Step 2 of 3: the validated, typed configuration. Holds no secrets (see secrets.ts). */
export interface Config {
  /** Where the embedded store, media and the generated key live. `HAYON_DATA_DIR`, default `./data`. */
  dataDir: string;
  /** HTTP port. `HAYON_PORT`, default 8787. */
  port: number;
  /** Interface to listen on. `HAYON_HOST`, default `0.0.0.0`. */
  host: string;
  /** The address people and platforms reach hayon at. `HAYON_PUBLIC_URL`, default `http://localhost:{port}`. */
  publicUrl: string;
  /**
   * A listener of its own for `GET /metrics`, in every process (`hayon worker` too):
   * `HAYON_METRICS_PORT` (default none; 0 picks a free port, logged) on `HAYON_METRICS_HOST`
   * (default `127.0.0.1`).
   */
  metricsListener?: { port: number; host: string } | undefined;
  /** pino level. `HAYON_LOG_LEVEL`, default `info`. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `HAYON_MONGODB_URL` selects MongoDB; default SQLite at `{dataDir}/hayon.db`. */
  store: StoreConfig;
  /** `HAYON_AMQP_URL` selects RabbitMQ; default the in-process transport. */
  transport: TransportConfig;
  worker: {
    /** Deliveries published at once per worker. `HAYON_WORKER_CONCURRENCY`, default 16. */
    concurrency: number;
    /** Attempts per delivery before it is parked. `HAYON_MAX_ATTEMPTS`, default 6. */
    maxAttempts: number;
    /** How long a claim holds before the delivery counts as `unknown`. `HAYON_LEASE_SECONDS`, default 120. */
    leaseMs: number;
    /** How often the sweeper looks for expired leases and lost messages. `HAYON_SWEEP_INTERVAL_MS`, default 10000. */
    sweepIntervalMs: number;
    /** A queued delivery this long past due is sent again. `HAYON_STRANDED_AFTER_MS`, default 60000. */
    strandedAfterMs: number;
    /**
     * The same while the broker has messages waiting (they are probably in that queue).
     * `HAYON_STRANDED_WHILE_BUSY_AFTER_MS`, default 600000.
     */
    strandedWhileBusyAfterMs: number;
  };
  /** Zone used when a request names none. `HAYON_DEFAULT_TIMEZONE`, default `UTC`. */
  defaultTimezone: string;
  /** One upstream platform call. `HAYON_PLATFORM_TIMEOUT_MS`, default 30000. */
  platformTimeoutMs: number;
  /**
   * How long a store call waits for the store before it answers 503 store_unavailable: MongoDB's
   * server selection (and mongoose's buffering while disconnected), SQLite's busy_timeout.
   * `HAYON_STORE_TIMEOUT_MS`, default 3000.
   */
  storeTimeoutMs: number;
  /** Largest attachment fetched. `HAYON_MEDIA_MAX_BYTES`, default 50 MB. */
  mediaMaxBytes: number;
  /**
   * `HAYON_S3_BUCKET` selects S3 (with `HAYON_S3_ENDPOINT`, `HAYON_S3_REGION` default `us-east-1`,
   * `HAYON_S3_FORCE_PATH_STYLE` for MinIO and the like, `HAYON_S3_PUBLIC_URL` for the endpoint
   * in presigned URLs, default `HAYON_S3_ENDPOINT`); default files under `{dataDir}/media`.
   */
  mediaStore: MediaStoreConfig;
  /**
   * Hosts that attachment and callback URLs may reach although they are on a private network
   * (a CMS on the LAN): `HAYON_FETCH_ALLOW_HOSTS`, comma-separated `host` or `host:port`.
   * Default none.
   */
  fetchAllowHosts: string[];
  /**
   * Requests per minute: per API token on `/v1/*` (`HAYON_RATE_LIMIT_PER_TOKEN`, default 600),
   * and accepted events per incoming webhook (`HAYON_HOOK_RATE_LIMIT`, default 60; a hook can
   * set its own). Over it: 429 with `Retry-After`. Counted per process.
   */
  rateLimits: { perTokenPerMinute: number; perHookPerMinute: number };
  /**
   * Where a Bluesky handle is resolved when an account is connected, and the PLC directory for
   * its DID document: `HAYON_BLUESKY_RESOLVER_URL` (default `https://public.api.bsky.app`),
   * `HAYON_BLUESKY_PLC_URL` (default `https://plc.directory`).
   */
  bluesky: {
    resolverUrl: string;
    plcUrl: string;
    /**
     * Bluesky's video service, where videos are uploaded and processed before they are posted, as
     * Bluesky's own app does it: `HAYON_BLUESKY_VIDEO_URL` (`https://video.bsky.app` for accounts
     * on Bluesky's servers). Default none: a video goes to the account's PDS as a plain blob,
     * which every PDS takes (Bluesky then processes it after the post appears).
     */
    videoUrl: string | undefined;
  };
  /**
   * Accounts that stop working: deliveries to one wait this long past their time for it to be
   * reconnected (`HAYON_RECONNECT_GRACE_HOURS`, default 24), `hayon serve` checks every
   * account this often (`HAYON_ACCOUNT_CHECK_HOURS`, default 6; 0: never), and renews tokens
   * that expire before its next look this often (`HAYON_TOKEN_REFRESH_MINUTES`, default 15).
   */
  accountHealth: { graceMs: number; checkEveryMs: number; refreshEveryMs: number };
  /**
   * Signed-in browsers of the web page (`/app`): a session ends after this long without a request
   * (`HAYON_WEB_IDLE_HOURS`, default 12) and this long after signing in whatever the use
   * (`HAYON_WEB_SESSION_DAYS`, default 7).
   */
  webSessions: { idleMs: number; absoluteMs: number };
  /**
   * Per-account pacing under each platform's write limits (`HAYON_PACING`, default true), with
   * the documented limits (platforms/pacing-limits.ts) or, per platform named in
   * `HAYON_PACE_LIMITS` (`mastodon:requests=300/5m,bluesky:points=5000/1h`), those given.
   * Off: an empty table.
   */
  pacing: Record<PlatformId, PaceLimit[]>;
  /**
   * Slack, when `HAYON_SLACK_BOT_TOKEN` is set: Socket Mode when `HAYON_SLACK_APP_TOKEN` is set
   * too, else HTTP (`POST /slack/events`, needs `HAYON_SLACK_SIGNING_SECRET`).
   */
  slack?: SlackConfig | undefined;
  /**
   * Discord, when `HAYON_DISCORD_TOKEN` and `HAYON_DISCORD_APP_ID` are set: an HTTP interactions
   * endpoint when `HAYON_DISCORD_PUBLIC_KEY` is set too, else the gateway.
   */
  discord?: DiscordConfig | undefined;
  /**
   * The OAuth 2 apps hayon connects accounts through, each present only when its id is set (its
   * secret is in Secrets): Tumblr (`HAYON_TUMBLR_CLIENT_ID`), Facebook Pages and Instagram through
   * Facebook Login (`HAYON_META_APP_ID`), Threads (`HAYON_THREADS_APP_ID`). Default none.
   */
  connect: ConnectAppsConfig;
}

export interface ConnectAppsConfig {
  tumblr?: OAuthAppConfig | undefined;
  /** Facebook Login: Facebook Pages, and Instagram professional accounts through their Page. */
  meta?: OAuthAppConfig | undefined;
  threads?: OAuthAppConfig | undefined;
}

/** One OAuth 2 app hayon is registered as. */
export interface OAuthAppConfig {
  /** The app's public id: Tumblr's OAuth consumer key, a Meta or Threads app id. */
  clientId: string;
  /**
   * Where the person approves, an origin: `HAYON_TUMBLR_OAUTH_URL` (default
   * `https://www.tumblr.com`), `HAYON_META_OAUTH_URL` (`https://www.facebook.com`),
   * `HAYON_THREADS_OAUTH_URL` (`https://threads.com`). Tests point them at fakes.
   */
  oauthUrl: string;
  /**
   * Where the code is exchanged and the accounts to choose from are listed:
   * `HAYON_TUMBLR_API_URL` (`https://api.tumblr.com`), `HAYON_META_GRAPH_URL`
   * (`https://graph.facebook.com/v26.0`, the Facebook adapter's), `HAYON_THREADS_GRAPH_URL`
   * (`https://graph.threads.net/v1.0`, the Threads adapter's). Meta's carry the Graph API version;
   * an account connected while one is not its default keeps it as the account's `apiUrl`.
   */
  apiUrl: string;
}

export interface DiscordConfig {
  mode: 'http' | 'gateway';
  applicationId: string;
  /** Ed25519 public key (hex) that signs interactions; HTTP mode. */
  publicKey?: string | undefined;
  /** `HAYON_DISCORD_API_URL`, default `https://discord.com/api`; tests point it at a fake. */
  apiUrl: string;
  /** The hayon workspace the guild maps to. `HAYON_DISCORD_WORKSPACE`, default `default`. */
  workspaceId: string;
}

export interface SlackConfig {
  mode: 'http' | 'socket';
  /** `HAYON_SLACK_API_URL`, default `https://slack.com/api/`; tests point it at a fake. */
  apiUrl: string;
  /** The hayon workspace the Slack team maps to. `HAYON_SLACK_WORKSPACE`, default `default`. */
  workspaceId: string;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function pacingConfig(env: HayonEnv): Record<PlatformId, PaceLimit[]> {
  const none = Object.fromEntries(platformIds.map((p) => [p, []])) as unknown as Record<PlatformId, PaceLimit[]>;
  if (env.pacing && !flag('HAYON_PACING', env.pacing)) return none;
  try {
    return { ...defaultPaceLimits, ...(parsePaceLimits(env.paceLimits ?? '', platformIds) as Partial<typeof none>) };
  } catch (e) {
    throw new ConfigError(`HAYON_PACE_LIMITS: ${(e as Error).message}.`);
  }
}

function mediaStoreConfig(env: HayonEnv, dataDir: string): MediaStoreConfig {
  if (!env.s3Bucket) {
    if (env.s3Endpoint) throw new ConfigError('HAYON_S3_ENDPOINT is set but HAYON_S3_BUCKET is not.');
    if (env.s3PublicUrl) throw new ConfigError('HAYON_S3_PUBLIC_URL is set but HAYON_S3_BUCKET is not.');
    return { kind: 'disk', root: path.join(dataDir, 'media') };
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(env.s3Bucket)) {
    throw new ConfigError(`HAYON_S3_BUCKET is not a valid bucket name: "${env.s3Bucket}".`);
  }
  return {
    kind: 's3',
    bucket: env.s3Bucket,
    region: env.s3Region || 'us-east-1',
    ...(env.s3Endpoint ? { endpoint: url('HAYON_S3_ENDPOINT', env.s3Endpoint, ['http:', 'https:']) } : {}),
    ...(env.s3PublicUrl
      ? { publicEndpoint: url('HAYON_S3_PUBLIC_URL', env.s3PublicUrl, ['http:', 'https:']).replace(/\/+$/, '') }
      : {}),
    forcePathStyle: flag('HAYON_S3_FORCE_PATH_STYLE', env.s3ForcePathStyle),
  };
}

function discordConfig(env: HayonEnv): DiscordConfig | undefined {
  if (!env.discordToken) {
    if (env.discordAppId || env.discordPublicKey) {
      throw new ConfigError('HAYON_DISCORD_TOKEN must be set with HAYON_DISCORD_APP_ID and HAYON_DISCORD_PUBLIC_KEY.');
    }
    return undefined;
  }
  if (!env.discordAppId || !/^\d{15,22}$/.test(env.discordAppId)) {
    throw new ConfigError(
      'HAYON_DISCORD_APP_ID must be the application id (a number) from the Discord developer portal.',
    );
  }
  if (env.discordPublicKey && !/^[0-9a-f]{64}$/i.test(env.discordPublicKey)) {
    throw new ConfigError("HAYON_DISCORD_PUBLIC_KEY must be the 64 hex characters of the application's public key.");
  }
  return {
    mode: env.discordPublicKey ? 'http' : 'gateway',
    applicationId: env.discordAppId,
    ...(env.discordPublicKey ? { publicKey: env.discordPublicKey.toLowerCase() } : {}),
    apiUrl: url('HAYON_DISCORD_API_URL', env.discordApiUrl || 'https://discord.com/api', ['http:', 'https:']).replace(
      /\/+$/,
      '',
    ),
    workspaceId: env.discordWorkspace || 'default',
  };
}

/** An OAuth 2 app from its four variables (named for the messages), or undefined without its id. */
function oauthApp(
  names: { id: string; secret: string; oauthUrl: string; apiUrl: string },
  values: {
    id?: string | undefined;
    secret?: string | undefined;
    oauthUrl?: string | undefined;
    apiUrl?: string | undefined;
  },
  defaults: { oauthUrl: string; apiUrl: string },
  numericId: boolean,
): OAuthAppConfig | undefined {
  if (!values.id) {
    if (values.secret) throw new ConfigError(`${names.secret} is set but ${names.id} is not.`);
    return undefined;
  }
  if (numericId && !/^\d+$/.test(values.id)) {
    throw new ConfigError(`${names.id} must be the app id (a number) from Meta's app dashboard.`);
  }
  if (!values.secret) throw new ConfigError(`${names.secret} must be set with ${names.id}.`);
  const base = (name: string, raw: string) => url(name, raw, ['http:', 'https:']).replace(/\/+$/, '');
  return {
    clientId: values.id,
    oauthUrl: base(names.oauthUrl, values.oauthUrl || defaults.oauthUrl),
    apiUrl: base(names.apiUrl, values.apiUrl || defaults.apiUrl),
  };
}

function connectApps(env: HayonEnv): ConnectAppsConfig {
  const names = (p: string, id: string, api: string) => ({
    id: `${p}_${id}`,
    secret: `${p}_${id === 'CLIENT_ID' ? 'CLIENT_SECRET' : 'APP_SECRET'}`,
    oauthUrl: `${p}_OAUTH_URL`,
    apiUrl: `${p}_${api}`,
  });
  const tumblr = oauthApp(
    names('HAYON_TUMBLR', 'CLIENT_ID', 'API_URL'),
    { id: env.tumblrClientId, secret: env.tumblrClientSecret, oauthUrl: env.tumblrOauthUrl, apiUrl: env.tumblrApiUrl },
    // The Tumblr adapter's own API base.
    { oauthUrl: 'https://www.tumblr.com', apiUrl: 'https://api.tumblr.com' },
    false,
  );
  const meta = oauthApp(
    names('HAYON_META', 'APP_ID', 'GRAPH_URL'),
    { id: env.metaAppId, secret: env.metaAppSecret, oauthUrl: env.metaOauthUrl, apiUrl: env.metaGraphUrl },
    { oauthUrl: 'https://www.facebook.com', apiUrl: facebookGraphUrl },
    true,
  );
  const threads = oauthApp(
    names('HAYON_THREADS', 'APP_ID', 'GRAPH_URL'),
    { id: env.threadsAppId, secret: env.threadsAppSecret, oauthUrl: env.threadsOauthUrl, apiUrl: env.threadsGraphUrl },
    // Meta's Threads documentation (2026) sends people to threads.com (threads.net redirects there).
    { oauthUrl: 'https://threads.com', apiUrl: defaultThreadsApiUrl },
    true,
  );
  return { ...(tumblr ? { tumblr } : {}), ...(meta ? { meta } : {}), ...(threads ? { threads } : {}) };
}

function slackConfig(env: HayonEnv): SlackConfig | undefined {
  if (!env.slackBotToken) {
    if (env.slackSigningSecret || env.slackAppToken) {
      throw new ConfigError(
        'HAYON_SLACK_BOT_TOKEN must be set with HAYON_SLACK_SIGNING_SECRET or HAYON_SLACK_APP_TOKEN.',
      );
    }
    return undefined;
  }
  if (!env.slackBotToken.startsWith('xoxb-'))
    throw new ConfigError('HAYON_SLACK_BOT_TOKEN must be a bot token (xoxb-…).');
  if (env.slackAppToken && !env.slackAppToken.startsWith('xapp-')) {
    throw new ConfigError('HAYON_SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write.');
  }
  const mode = env.slackAppToken ? 'socket' : 'http';
  if (mode === 'http' && !env.slackSigningSecret) {
    throw new ConfigError(
      'HAYON_SLACK_SIGNING_SECRET must be set for Slack over HTTP (or set HAYON_SLACK_APP_TOKEN for Socket Mode).',
    );
  }
  const apiUrl = url('HAYON_SLACK_API_URL', env.slackApiUrl || 'https://slack.com/api/', ['http:', 'https:']);
  return {
    mode,
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    workspaceId: env.slackWorkspace || 'default',
  };
}

/** Applies defaults and checks; throws ConfigError with a sentence naming the variable. */
export function envToConfig(env: HayonEnv, cwd: string = process.cwd()): Config {
  const dataDir = path.resolve(cwd, env.dataDir || 'data');
  const port = int('HAYON_PORT', env.port, 8787, 0, 65535);
  const logLevel = (env.logLevel || 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(`HAYON_LOG_LEVEL must be one of ${logLevels.join(', ')}.`);
  }
  const publicUrl = url('HAYON_PUBLIC_URL', env.publicUrl || `http://localhost:${port}`, ['http:', 'https:']);
  return {
    dataDir,
    port,
    host: env.host || '0.0.0.0',
    publicUrl: publicUrl.replace(/\/+$/, ''),
    ...(env.metricsPort
      ? {
          metricsListener: {
            port: int('HAYON_METRICS_PORT', env.metricsPort, 0, 0, 65535),
            host: env.metricsHost || '127.0.0.1',
          },
        }
      : {}),
    logLevel,
    store: env.mongodbUrl
      ? { kind: 'mongo', url: url('HAYON_MONGODB_URL', env.mongodbUrl, ['mongodb:', 'mongodb+srv:']) }
      : { kind: 'sqlite', path: path.join(dataDir, 'hayon.db') },
    transport: env.amqpUrl
      ? { kind: 'rabbitmq', url: url('HAYON_AMQP_URL', env.amqpUrl, ['amqp:', 'amqps:']) }
      : { kind: 'local' },
    worker: {
      concurrency: int('HAYON_WORKER_CONCURRENCY', env.workerConcurrency, 16, 1, 1000),
      maxAttempts: int('HAYON_MAX_ATTEMPTS', env.maxAttempts, 6, 1, 50),
      leaseMs: int('HAYON_LEASE_SECONDS', env.leaseSeconds, 120, 1, 3600) * 1000,
      sweepIntervalMs: int('HAYON_SWEEP_INTERVAL_MS', env.sweepIntervalMs, 10_000, 50, 3_600_000),
      strandedAfterMs: int('HAYON_STRANDED_AFTER_MS', env.strandedAfterMs, 60_000, 100, 86_400_000),
      strandedWhileBusyAfterMs: int(
        'HAYON_STRANDED_WHILE_BUSY_AFTER_MS',
        env.strandedWhileBusyAfterMs,
        600_000,
        100,
        86_400_000,
      ),
    },
    defaultTimezone: timeZone('HAYON_DEFAULT_TIMEZONE', env.defaultTimezone),
    platformTimeoutMs: int('HAYON_PLATFORM_TIMEOUT_MS', env.platformTimeoutMs, 30_000, 100, 600_000),
    storeTimeoutMs: int('HAYON_STORE_TIMEOUT_MS', env.storeTimeoutMs, 3000, 100, 120_000),
    mediaMaxBytes: int('HAYON_MEDIA_MAX_BYTES', env.mediaMaxBytes, 50 * 1024 * 1024, 1024, 1024 ** 3),
    mediaStore: mediaStoreConfig(env, dataDir),
    slack: slackConfig(env),
    discord: discordConfig(env),
    connect: connectApps(env),
    fetchAllowHosts: (env.fetchAllowHosts ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    rateLimits: {
      perTokenPerMinute: int('HAYON_RATE_LIMIT_PER_TOKEN', env.rateLimitPerToken, 600, 1, 1_000_000),
      perHookPerMinute: int('HAYON_HOOK_RATE_LIMIT', env.hookRateLimit, 60, 1, 1_000_000),
    },
    pacing: pacingConfig(env),
    accountHealth: {
      graceMs: int('HAYON_RECONNECT_GRACE_HOURS', env.reconnectGraceHours, 24, 0, 24 * 30) * 3_600_000,
      checkEveryMs: int('HAYON_ACCOUNT_CHECK_HOURS', env.accountCheckHours, 6, 0, 24 * 7) * 3_600_000,
      refreshEveryMs: int('HAYON_TOKEN_REFRESH_MINUTES', env.tokenRefreshMinutes, 15, 1, 24 * 60) * 60_000,
    },
    webSessions: {
      idleMs: int('HAYON_WEB_IDLE_HOURS', env.webIdleHours, 12, 1, 24 * 30) * 3_600_000,
      absoluteMs: int('HAYON_WEB_SESSION_DAYS', env.webSessionDays, 7, 1, 365) * 86_400_000,
    },
    bluesky: {
      resolverUrl: url('HAYON_BLUESKY_RESOLVER_URL', env.blueskyResolverUrl || 'https://public.api.bsky.app', [
        'http:',
        'https:',
      ]).replace(/\/+$/, ''),
      plcUrl: url('HAYON_BLUESKY_PLC_URL', env.blueskyPlcUrl || 'https://plc.directory', ['http:', 'https:']).replace(
        /\/+$/,
        '',
      ),
      videoUrl: env.blueskyVideoUrl
        ? url('HAYON_BLUESKY_VIDEO_URL', env.blueskyVideoUrl, ['http:', 'https:']).replace(/\/+$/, '')
        : undefined,
    },
  };
}
