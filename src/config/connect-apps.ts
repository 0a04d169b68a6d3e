import { defaultApiUrl as facebookGraphUrl } from '../platforms/facebook/credentials.js';
import { defaultThreadsApiUrl } from '../platforms/threads/credentials.js';
import type { HayonEnv } from './env.js';
import { ConfigError, url } from './values.js';

/** The OAuth 2 apps hayon connects accounts through; each present only when its id is set. */
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

/** Tumblr, Meta and Threads from their `HAYON_*` variables. */
export function connectApps(env: HayonEnv): ConnectAppsConfig {
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
