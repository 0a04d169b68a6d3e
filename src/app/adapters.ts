import type { Config } from '../config/config.js';
import type { Secrets } from '../config/secrets.js';
import type { webApi } from '@slack/bolt';
import { type Clock, systemClock } from '../core/clock.js';
import type { PlatformId } from '../core/post.js';
import { CredentialBox } from '../crypto/credential-box.js';
import { createLogger, type Logger, subsystem } from '../logger.js';
import { DiskMediaStore } from '../media/disk/disk-media-store.js';
import { fetchLinkPreview } from '../media/link-preview.js';
import type { MediaStore } from '../media/media-store.js';
import { S3MediaStore } from '../media/s3/s3-media-store.js';
import { UrlSigner } from '../media/url-signer.js';
import { DiscordApi } from '../notify/discord/discord-api.js';
import { createSlackClient } from '../notify/slack/slack-client.js';
import type { Platform } from '../platforms/platform.js';
import { createPlatforms } from '../platforms/registry.js';
import { LocalTransport } from '../queue/local/local-transport.js';
import { RabbitTransport } from '../queue/rabbitmq/rabbit-transport.js';
import type { Transport } from '../queue/transport.js';
import { MongoStore } from '../store/mongo/mongo-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { withReadCache } from '../store/read-cache.js';
import { SigningSecrets } from '../services/signing-secrets.js';
import type { AppOverrides } from './overrides.js';

/**
 * The first step of the wiring: what talks to the outside (store, transport, media store,
 * platforms, Slack's and Discord's REST clients), the clock and the log, and the keys made from
 * `HAYON_SECRET_KEY` (the credential box, the signing secrets). Every role opens these.
 */
export interface Adapters {
  config: Config;
  log: Logger;
  clock: Clock;
  store: Store;
  transport: Transport;
  platforms: Partial<Record<PlatformId, Platform>>;
  mediaStore: MediaStore;
  /** `fetch` for the connect flows' calls (tests replace it). */
  fetch: typeof fetch;
  box: CredentialBox;
  signing: SigningSecrets;
  /** Slack's Web API client, when Slack is configured (`HAYON_SLACK_BOT_TOKEN`). */
  slackClient: webApi.WebClient | undefined;
  /** Discord's REST client, when Discord is configured (`HAYON_DISCORD_TOKEN`, `HAYON_DISCORD_APP_ID`). */
  discordApi: DiscordApi | undefined;
}

/** Opens the adapters (the store and the media store are initialised here) in this order. */
export async function openAdapters(config: Config, secrets: Secrets, overrides: AppOverrides): Promise<Adapters> {
  const log = overrides.log ?? createLogger(config.logLevel);
  // Tokens, accounts and workspaces are read from memory for 2 s at most (see read-cache.ts).
  const store = withReadCache(overrides.store ?? createStore(config, log));
  await store.init();
  const transport = overrides.transport ?? createTransport(config, log);
  const fetch = overrides.fetch ?? globalThis.fetch;
  const platforms =
    overrides.platforms ??
    createPlatforms({
      fetch,
      timeoutMs: config.platformTimeoutMs,
      // Link cards read pages as attachments are read: SSRF-safe, private hosts only when allowed.
      linkPreview: (url, options) =>
        fetchLinkPreview(url, {
          ...options,
          allowHosts: config.fetchAllowHosts,
          ...(overrides.download ? { download: overrides.download } : {}),
        }),
      blueskyVideoUrl: config.bluesky.videoUrl,
    });
  const clock = overrides.clock ?? systemClock;
  const mediaStore = overrides.mediaStore ?? createMediaStore(config, secrets, clock);
  await mediaStore.init();
  const box = new CredentialBox(secrets.secretKey, secrets.previousSecretKeys);
  const signing = new SigningSecrets(box, secrets.secretKey, store, secrets.previousSecretKeys);
  return {
    config,
    log,
    clock,
    store,
    transport,
    platforms,
    mediaStore,
    fetch,
    box,
    signing,
    ...chatClients(config, secrets, log),
  };
}

/** The REST clients of the chat apps that are configured: replies in threads, alerts, `hayon discord register`. */
export function chatClients(
  config: Config,
  secrets: Secrets,
  log: Logger,
): Pick<Adapters, 'slackClient' | 'discordApi'> {
  return {
    slackClient:
      config.slack && secrets.slack
        ? createSlackClient(secrets.slack.botToken, config.slack.apiUrl, subsystem(log, 'slack'))
        : undefined,
    discordApi:
      config.discord && secrets.discordToken
        ? new DiscordApi(
            config.discord.applicationId,
            secrets.discordToken,
            config.discord.apiUrl,
            subsystem(log, 'discord'),
          )
        : undefined,
  };
}

export function createStore(config: Config, log?: Logger): Store {
  switch (config.store.kind) {
    case 'sqlite':
      return new SqliteStore({ path: config.store.path, busyTimeoutMs: config.storeTimeoutMs });
    case 'mongo':
      return new MongoStore({
        url: config.store.url,
        serverSelectionTimeoutMs: config.storeTimeoutMs,
        onReopened: (what) => log?.warn({ store: 'mongo' }, `MongoDB connection opened anew: ${what}`),
        onReopenFailed: (err) => log?.warn({ store: 'mongo', err }, 'MongoDB connection could not be opened anew'),
      });
  }
}

export function createTransport(config: Config, log: Logger): Transport {
  switch (config.transport.kind) {
    case 'local':
      return new LocalTransport();
    case 'rabbitmq':
      return new RabbitTransport({ url: config.transport.url, log: subsystem(log, 'rabbitmq') });
  }
}

export function createMediaStore(config: Config, secrets: Secrets, clock: Clock): MediaStore {
  const media = config.mediaStore;
  switch (media.kind) {
    case 'disk':
      return new DiskMediaStore({
        root: media.root,
        publicUrl: config.publicUrl,
        signer: new UrlSigner(secrets.secretKey),
        now: clock,
      });
    case 's3':
      return new S3MediaStore({
        bucket: media.bucket,
        region: media.region,
        endpoint: media.endpoint,
        publicEndpoint: media.publicEndpoint,
        forcePathStyle: media.forcePathStyle,
        credentials: secrets.s3Credentials,
        now: clock,
      });
  }
}
