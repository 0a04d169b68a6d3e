import type { PlatformId } from './post.js';

/** Who did something, and from which way in (for connect links and the audit log). */
export interface Actor {
  kind: 'api' | 'cli' | 'slack' | 'discord' | 'webhook' | 'web' | 'system';
  id?: string | undefined;
  name?: string | undefined;
}

/**
 * One "Connect an account" flow in progress: made when a user allowed to manage accounts asks
 * for a link, used once by the provider's callback, and gone after its expiry. What the flow
 * keeps between its steps (a PKCE verifier, the instance) is in `data`, server side only.
 */
export interface ConnectState {
  /** Random; the `state` a provider sends back carries it with an HMAC (see connect-state.ts). */
  id: string;
  workspaceId: string;
  platform: PlatformId;
  actor: Actor;
  data: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
}

/** An OAuth client hayon registered with a server (a Mastodon instance), kept for reuse. */
export interface OAuthApp {
  /** `mastodon:https://mastodon.social` */
  key: string;
  clientId: string;
  /** Sealed with the credential box. */
  clientSecret: string;
  redirectUri: string;
  createdAt: number;
}
