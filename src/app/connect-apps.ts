import type { Config, OAuthAppConfig } from '../config/config.js';
import type { Secrets } from '../config/secrets.js';
import { BlueskyConnect } from '../connect/bluesky.js';
import { MastodonConnect } from '../connect/mastodon.js';
import { FacebookConnect, InstagramConnect, ThreadsConnect } from '../connect/meta.js';
import type { ConnectProvider } from '../connect/provider.js';
import { TumblrConnect } from '../connect/tumblr.js';
import type { PlatformId } from '../core/post.js';
import type { Adapters } from './adapters.js';

type OAuthApp = OAuthAppConfig & { clientSecret: string };

/** The OAuth 2 apps hayon is registered as: each exists only when its id and its secret are configured. */
export interface ConnectApps {
  tumblr?: OAuthApp;
  meta?: OAuthApp;
  threads?: OAuthApp;
}

export function connectApps(config: Config, secrets: Secrets): ConnectApps {
  const app = (given: OAuthAppConfig | undefined, clientSecret: string | undefined) =>
    given && clientSecret ? { ...given, clientSecret } : undefined;
  const tumblr = app(config.connect.tumblr, secrets.tumblrClientSecret);
  const meta = app(config.connect.meta, secrets.metaAppSecret);
  const threads = app(config.connect.threads, secrets.threadsAppSecret);
  return { ...(tumblr ? { tumblr } : {}), ...(meta ? { meta } : {}), ...(threads ? { threads } : {}) };
}

/**
 * The platforms with a connect flow, in the order `hayon` names them: Mastodon and Bluesky
 * always, the OAuth 2 ones when their app is configured. A worker and the CLI make links to
 * these without building the flows.
 */
export function connectPlatforms(apps: ConnectApps): PlatformId[] {
  return [
    'mastodon',
    'bluesky',
    ...(apps.tumblr ? (['tumblr'] as const) : []),
    ...(apps.meta ? (['facebook', 'instagram'] as const) : []),
    ...(apps.threads ? (['threads'] as const) : []),
  ];
}

/** The connect flows themselves (`/connect/…` in `hayon serve`), one per platform of `connectPlatforms`. */
export function createConnectProviders(a: Adapters, apps: ConnectApps): Partial<Record<PlatformId, ConnectProvider>> {
  const { config, clock } = a;
  const http = { fetch: a.fetch, publicUrl: config.publicUrl, timeoutMs: config.platformTimeoutMs };
  return {
    mastodon: new MastodonConnect({ ...http, store: a.store, box: a.box, clock, allowHosts: config.fetchAllowHosts }),
    bluesky: new BlueskyConnect({ ...http, ...config.bluesky }),
    ...(apps.tumblr ? { tumblr: new TumblrConnect({ ...http, clock, ...apps.tumblr }) } : {}),
    ...(apps.meta
      ? {
          facebook: new FacebookConnect({ ...http, clock, ...apps.meta }),
          instagram: new InstagramConnect({ ...http, clock, ...apps.meta }),
        }
      : {}),
    ...(apps.threads ? { threads: new ThreadsConnect({ ...http, clock, ...apps.threads }) } : {}),
  };
}
