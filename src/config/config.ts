import path from 'node:path';
import type { PaceLimit } from '../core/pacing.js';
import type { PlatformId } from '../core/post.js';
import { type DiscordConfig, discordConfig, type SlackConfig, slackConfig } from './chat-apps.js';
import { type ConnectAppsConfig, connectApps } from './connect-apps.js';
import type { HayonEnv } from './env.js';
import { type MediaStoreConfig, mediaStoreConfig } from './media-store.js';
import { pacingConfig } from './pacing.js';
import { ConfigError, int, timeZone, url } from './values.js';
import { type WebSessionsConfig, webSessionsConfig } from './web-sessions.js';
import { type WorkerConfig, workerConfig } from './worker.js';

export { ConfigError };
export type { DiscordConfig, SlackConfig } from './chat-apps.js';
export type { ConnectAppsConfig, OAuthAppConfig } from './connect-apps.js';
export type { MediaStoreConfig } from './media-store.js';
export type { WebSessionsConfig } from './web-sessions.js';
export type { WorkerConfig } from './worker.js';

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'mongo'; url: string };
export type TransportConfig = { kind: 'local' } | { kind: 'rabbitmq'; url: string };

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
  /** How a worker publishes deliveries and sweeps for lost ones: see worker.ts. */
  worker: WorkerConfig;
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
  /** Signed-in browsers of the web page (`/app`): see web-sessions.ts. */
  webSessions: WebSessionsConfig;
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

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
    worker: workerConfig(env),
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
    webSessions: webSessionsConfig(env),
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
