/**
 * The domain records: Post, Delivery, Account, Workspace. Times are epoch milliseconds (UTC) in
 * the domain; ISO strings appear only at the edges (HTTP answers, CLI output).
 */

export const platformIds = ['bluesky', 'mastodon', 'tumblr', 'threads', 'instagram', 'facebook'] as const;
export type PlatformId = (typeof platformIds)[number];

export function isPlatformId(x: string): x is PlatformId {
  return (platformIds as readonly string[]).includes(x);
}

/**
 * One attachment of a post. Since the media store (issue #5) every attachment is in it before the
 * post is accepted (`key`); posts stored before that have only `url`, fetched when published.
 */
export interface MediaItem {
  /** The object in the media store: `posts/{workspace}/{postId}/{n}.{ext}`. */
  key?: string | undefined;
  /** Its type, read from its content (`image/jpeg`, `video/mp4`). */
  mimeType?: string | undefined;
  size?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** A video's length in milliseconds, read from its MP4 header (when it could be). */
  durationMs?: number | undefined;
  /** The URL it was fetched from, when it came by URL. */
  url?: string | undefined;
  alt?: string | undefined;
}

/** `auto`: a text longer than the platform's limit becomes a thread of replies; `off`: it is refused. */
export type ThreadMode = 'auto' | 'off';

export interface Content {
  text: string;
  media: MediaItem[];
  /** Default `off`. */
  thread?: ThreadMode | undefined;
  /** Whether thread parts end with " (1/3)"; default true. */
  threadCounter?: boolean | undefined;
  /** Whether a link without media becomes a link card; default true (absent). */
  linkPreview?: boolean | undefined;
}

/** Options only some platforms have (Mastodon); others ignore them. */
export interface PlatformOptions {
  visibility?: 'public' | 'unlisted' | 'private' | 'direct' | undefined;
  /** Mastodon's content warning (spoiler text). */
  contentWarning?: string | undefined;
  /** ISO 639-1 language of the text. */
  language?: string | undefined;
}

export interface ContentOverride {
  text?: string | undefined;
  media?: MediaItem[] | undefined;
  thread?: ThreadMode | undefined;
  options?: PlatformOptions | undefined;
}

/** Where the post came from, and so where hayon replies. */
export type Origin =
  | { kind: 'api'; tokenId?: string | undefined; results?: ResultThreads | undefined }
  | { kind: 'cli'; results?: ResultThreads | undefined }
  | { kind: 'slack'; teamId: string; channelId: string; messageTs?: string | undefined }
  | {
      kind: 'discord';
      guildId: string;
      channelId: string;
      /** hayon's reply message; results are edited into it. */
      messageId?: string | undefined;
      /** The thread started on that message, where each result is posted. */
      threadId?: string | undefined;
    }
  | { kind: 'webhook'; hookId: string; results?: ResultThreads | undefined }
  /** The web page (`/app`): results show on the post's page, no reply is sent. */
  | { kind: 'web' };

/**
 * For a post from the API, the CLI or a webhook: the message hayon posted for it in the
 * workspace's results channels (`WorkspaceSettings.resultChannels`), whose threads get each
 * outcome as a chat `/post` does.
 */
export interface ResultThreads {
  slack?: { channelId: string; messageTs: string } | undefined;
  /** A Discord thread started on a message has that message's id. */
  discord?: { channelId: string; messageId: string } | undefined;
}

export interface Author {
  id?: string | undefined;
  name?: string | undefined;
}

export const postStatuses = [
  'PENDING',
  'SCHEDULED',
  'PROCESSING',
  'COMPLETED',
  'PARTIAL_SUCCESS',
  'FAILED',
  'CANCELLED',
  'DELETED',
] as const;
export type PostStatus = (typeof postStatuses)[number];

export interface Post {
  id: string;
  workspaceId: string;
  author: Author;
  origin: Origin;
  content: Content;
  /** Per-platform text or media that replace the global content for that platform. */
  overrides: Partial<Record<PlatformId, ContentOverride>>;
  /** When the post is to go out (UTC ms). */
  scheduledAt: number;
  /** The author's IANA time zone, kept for display. */
  timezone: string;
  idempotencyKey?: string | undefined;
  /** A hash of the request that created the post, to refuse a reused idempotency key. */
  requestHash?: string | undefined;
  callbackUrl?: string | undefined;
  correlationId: string;
  createdAt: number;
}

export const deliveryStates = [
  'scheduled',
  'queued',
  'publishing',
  'published',
  'failed',
  'unknown',
  'cancelled',
  /** Published, then taken down again (`DELETE /v1/posts/:id`): its posts are gone from the platform. */
  'deleted',
] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export interface DeliveryError {
  kind: 'transient' | 'rate_limited' | 'auth' | 'invalid' | 'internal';
  message: string;
  status?: number | undefined;
  at: number;
}

export interface DeliveryResult {
  /** The platform's id of the created post (Bluesky: the at:// URI). */
  remoteId: string;
  /** A link a person can open. */
  url: string;
  /** What a reply to it needs besides the id (Bluesky: the record's CID). */
  cid?: string | undefined;
}

/** Adapter state saved mid-attempt (a Meta container id), for the post with this key. */
export interface DeliveryCheckpoint {
  key: string;
  data: Record<string, unknown>;
}

export interface Delivery {
  id: string;
  postId: string;
  workspaceId: string;
  accountId: string;
  platform: PlatformId;
  state: DeliveryState;
  /** When the next attempt may start (UTC ms): the schedule, then each retry's time. */
  dueAt: number;
  /** Attempts started so far (a claim counts one). */
  attempts: number;
  leaseOwner?: string | undefined;
  leaseExpiresAt?: number | undefined;
  lastError?: DeliveryError | undefined;
  /** For a thread: the text of each part, fixed when the post was accepted. */
  parts?: string[] | undefined;
  /** For a thread: the parts published so far, in order; a retry resumes after the last. */
  chain?: DeliveryResult[] | undefined;
  checkpoint?: DeliveryCheckpoint | undefined;
  /** The published post (for a thread: its first part). */
  result?: DeliveryResult | undefined;
  publishedAt?: number | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface PostWithDeliveries {
  post: Post;
  deliveries: Delivery[];
}

export type AccountHealth = 'active' | 'expired' | 'revoked' | 'error';

export interface Account {
  id: string;
  workspaceId: string;
  platform: PlatformId;
  /** The handle or name a person recognises: `me.bsky.social`, `@me@mastodon.social`. */
  handle: string;
  /** The platform's stable id for it (Bluesky DID, Mastodon account id). */
  remoteId: string;
  /** Credentials, encrypted (see accounts/credential-box.ts); never decrypted outside a publish. */
  credentials: string;
  health: AccountHealth;
  healthReason?: string | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface Workspace {
  id: string;
  name: string;
  createdAt: number;
  /** Absent until someone changes a setting; every setting has a default. */
  settings?: WorkspaceSettings | undefined;
}

/** Rules a workspace sets for itself (`hayon workspace set`). */
export interface WorkspaceSettings {
  /** Refuse posts with an image that has no alt text. Default false. */
  requireAltText?: boolean | undefined;
  /** Where a chat `/post` without targets goes; default every connected account. */
  defaultTargets?: string[] | undefined;
  /** Who may post from Slack, and from which channels. */
  slack?: ChatPermissions | undefined;
  /** Discord: the role that may post (default: members with Manage Guild). */
  discordPosterRole?: string | undefined;
  /** The workspace's (a Discord server's) default zone for chat posts; else `HAYON_DEFAULT_TIMEZONE`. */
  timezone?: string | undefined;
  /** Discord users' own time zones (`/hayon timezone`), by user id. */
  timezones?: Record<string, string> | undefined;
  /** Where hayon says that an account stopped working (with a reconnect link): a Slack and a Discord channel id. */
  alertChannels?: { slack?: string | undefined; discord?: string | undefined } | undefined;
  /** Where posts from the API, the CLI and webhooks are shown with their outcomes: a Slack and a Discord channel id. */
  resultChannels?: { slack?: string | undefined; discord?: string | undefined } | undefined;
  /** The queue's weekly slots in the workspace's `timezone` (`mon-fri 09:00,13:00; sat 10:00`, see core/slots.ts). */
  slots?: string | undefined;
}

/** Who may post from a chat: everyone (default), a user group, or listed users; optionally only in some channels. */
export interface ChatPermissions {
  posters?: { kind: 'everyone' } | { kind: 'group'; id: string } | { kind: 'users'; ids: string[] } | undefined;
  /** Channel ids; absent means any channel the bot is in. */
  channels?: string[] | undefined;
}

/** What an API token may do: `posts:write` (make, cancel, publish now, upload), `posts:read`, `accounts:manage`. */
export const apiScopes = ['posts:write', 'posts:read', 'accounts:manage'] as const;
export type ApiScope = (typeof apiScopes)[number];

export function isApiScope(x: string): x is ApiScope {
  return (apiScopes as readonly string[]).includes(x);
}

/**
 * A token's scopes as a store holds them. Absent (null, undefined) means the token was made
 * before scopes existed, and such tokens keep every scope; names this version does not know
 * are dropped.
 */
export function storedScopes(value: readonly string[] | null | undefined): ApiScope[] {
  return value ? value.filter(isApiScope) : [...apiScopes];
}

export interface ApiToken {
  id: string;
  workspaceId: string;
  name: string;
  /** SHA-256 of the token, hex; the token itself is shown once and never stored. */
  hash: string;
  /**
   * What it may do. Tokens stored before scopes existed have every scope (the stores read a
   * missing value as `apiScopes`), so no token made earlier stops working.
   */
  scopes: ApiScope[];
  createdAt: number;
  lastUsedAt?: number | undefined;
  /** Set by `hayon tokens revoke`: from then on the token is a 401. */
  revokedAt?: number | undefined;
}
