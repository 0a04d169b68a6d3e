/**
 * Incoming webhooks (a CMS or CI posts to `POST /v1/hooks/{id}`) and the callbacks hayon sends
 * back. Times are epoch ms.
 */

export const hookSourceIds = ['generic', 'github', 'ghost', 'wordpress'] as const;
export type HookSourceId = (typeof hookSourceIds)[number];

/** A webhook a workspace set up with `hayon hooks create`. */
export interface Hook {
  /** `hk_…`, the last part of its URL. */
  id: string;
  workspaceId: string;
  source: HookSourceId;
  /** A name for people: "blog", "releases". */
  name: string;
  /** The post's text: a logic-less template over the event's fields (`{{title}} {{url}}`). */
  template: string;
  /** For generic hooks: a template giving an image URL to attach (`{{image?}}`); empty means none. */
  mediaTemplate?: string | undefined;
  targets: string[];
  /** When the post goes out, in plain words, from the event's arrival; default now. */
  when?: string | undefined;
  timezone?: string | undefined;
  /** `auto`: a text too long for a platform becomes a thread there. */
  thread?: 'auto' | 'off' | undefined;
  /** Where each delivery's outcome and the summary are POSTed, signed with the hook's secret. */
  callbackUrl?: string | undefined;
  /** The signing secret, sealed with the credential box (never stored or logged in clear). */
  secret: string;
  enabled: boolean;
  /** Accepted events per minute; default the server's (`HAYON_HOOK_RATE_LIMIT`). */
  rateLimitPerMinute?: number | undefined;
  createdAt: number;
  updatedAt: number;
  lastUsedAt?: number | undefined;
}

/** What `updateHook` can change. */
export type HookPatch = Partial<Pick<Hook, 'enabled' | 'secret' | 'lastUsedAt'>>;

export type CallbackState = 'pending' | 'sending' | 'sent' | 'failed';

/** Which secret signs a callback: the hook's (posts from a webhook) or the workspace's (API posts). */
export type CallbackSigner = { kind: 'hook'; hookId: string } | { kind: 'workspace' };

/**
 * One event to POST to a callback URL: kept in the store until the receiver answers 2xx, so a
 * restart loses none. The body is fixed when the event happens, so every retry sends the same
 * bytes (with a fresh signature).
 */
export interface Callback {
  /** The event id (`X-Hayon-Event-Id`), deterministic so one event is stored once. */
  id: string;
  postId: string;
  workspaceId: string;
  url: string;
  body: string;
  signer: CallbackSigner;
  state: CallbackState;
  attempts: number;
  /** When the next attempt may start. */
  dueAt: number;
  /** While `sending`: until when the sender that took it owns it. */
  leaseUntil?: number | undefined;
  lastError?: string | undefined;
  createdAt: number;
  updatedAt: number;
}

export type CallbackOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; dueAt: number; error: string }
  | { kind: 'failed'; error: string };
