import type { Clock } from '../core/clock.js';
import type { ConnectState } from '../core/connect.js';
import type { PlatformId } from '../core/post.js';

/** One account a flow can connect: credentials as the platform adapter's `verify` takes them. */
export interface ConnectOption {
  /** Stable within the flow: a blog name, a page id. */
  id: string;
  /** What the person picks from: "alice.tumblr.com", "Acme (Facebook page)". */
  label: string;
  credentials: Record<string, unknown>;
}

/** What the start link does. */
export type ConnectStart = { kind: 'redirect'; url: string } | { kind: 'page'; title: string; body: string };

/** What the provider's answer gives. */
export type ConnectFinish =
  | { kind: 'connect'; credentials: Record<string, unknown> }
  /** Several accounts came with one login (Tumblr blogs, Facebook pages): the person picks. */
  | { kind: 'choose'; options: ConnectOption[] };

export interface ConnectContext {
  /** `{publicUrl}/connect/{platform}/callback`, the redirect URI registered with providers. */
  redirectUri: string;
  /** The flow's `state` as it travels (`<id>.<hmac>`). */
  token: string;
}

/**
 * How one platform connects an account. `start` runs when the person opens hayon's link (it may
 * keep data in the flow, such as a PKCE verifier); `finish` runs on the provider's callback
 * (query of a GET, or a POSTed form) with the flow already taken (used once).
 */
export interface ConnectProvider {
  readonly platform: PlatformId;
  start(
    state: ConnectState,
    ctx: ConnectContext,
    query: URLSearchParams,
    keep: (data: Record<string, unknown>) => Promise<void>,
  ): Promise<ConnectStart>;
  finish(state: ConnectState, ctx: ConnectContext, params: URLSearchParams): Promise<ConnectFinish>;
}

/** What a provider with an OAuth app of hayon's own (Tumblr, Meta, Threads) is built with. */
export interface OAuthAppDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  clock: Clock;
  /** The app's client id and secret (`HAYON_TUMBLR_CLIENT_*`, `HAYON_META_APP_*`, `HAYON_THREADS_APP_*`). */
  clientId: string;
  clientSecret: string;
  /** Where the person approves: `https://www.tumblr.com`, `https://www.facebook.com`, `https://threads.com`. */
  oauthUrl: string;
  /** Token exchange and the API (with its version for Meta's Graph). */
  apiUrl: string;
}
