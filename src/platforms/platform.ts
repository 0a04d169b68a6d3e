import type { Account, PlatformId, PlatformOptions } from '../core/post.js';

/** The content one delivery publishes: global content with the platform's override applied. */
export interface ResolvedContent {
  text: string;
  /**
   * Attachments. `url` is where the platform or `loadMedia` can fetch it (for Graph API platforms
   * a public, signed URL once #5 lands). `mimeType`, when known, says image or video; when absent,
   * a `.mp4`/`.mov` URL is a video and anything else an image.
   */
  media: ResolvedMedia[];
  /** Options only some platforms have (Mastodon's visibility, content warning, language). */
  options?: PlatformOptions | undefined;
}

/** One attachment as an adapter sees it. */
export interface ResolvedMedia {
  /**
   * Where the platform (Graph API platforms fetch by URL) can GET it: a signed URL of the media
   * store's version that fits this platform. Before the media layer has prepared it: the URL the
   * author gave.
   */
  url: string;
  /** The object in hayon's media store; `loadMedia` reads it from there. */
  key?: string | undefined;
  alt?: string | undefined;
  /** When known. When absent, a `.mp4`/`.mov` URL is a video and anything else an image. */
  mimeType?: string | undefined;
}

/** What a platform takes for images; the media layer makes a version within it, once, and keeps it. */
export interface ImageLimits {
  /** Largest file in bytes. */
  maxBytes: number;
  /** Longest side in pixels. */
  maxDimension?: number | undefined;
  /** Most pixels, width × height. */
  maxPixels?: number | undefined;
  /** The image types it takes; others are converted to JPEG. Default: JPEG, PNG, WebP, GIF. */
  types?: readonly string[] | undefined;
}

/** Media bytes as the adapter uploads them. */
export interface LoadedMedia {
  bytes: Uint8Array;
  mimeType: string;
  alt?: string | undefined;
}

/** Loads an attachment; the media layer (#5) decides where from and enforces size and type. */
export type MediaLoader = (
  item: Pick<ResolvedMedia, 'url' | 'key' | 'alt'>,
  signal: AbortSignal,
) => Promise<LoadedMedia>;

/** A problem found before a post is accepted. */
export interface ValidationIssue {
  /** The request field it is about: `text`, `media`, `overrides.bluesky.text`. */
  field: string;
  code: 'content_too_long' | 'invalid_request';
  message: string;
}

/**
 * How a platform counts text, for validation and for splitting a long text into a thread.
 * Mastodon's come from the account's instance (cached); the others are constants.
 */
export interface TextRules {
  /** The most one post may hold, in `unit`s. */
  maxLength: number;
  unit: 'graphemes' | 'characters';
  /** Counts text the way the platform does (Mastodon: each URL counts as the instance's reserved length). */
  count(text: string): number;
  /** Whether posts can be chained as replies (Bluesky, Mastodon, Threads); if not, `thread: "auto"` does not apply. */
  threads: boolean;
}

/** The account a check or a publish is for. */
export interface AccountContext {
  account: Account;
  /** The account's decrypted credentials (an adapter-specific JSON object). */
  credentials: Record<string, unknown>;
  signal: AbortSignal;
}

/** A post already published that the next one replies to (a thread's earlier parts). */
export interface ReplyTarget {
  /** The thread's first post. */
  root: PublishResult;
  /** The post just before. */
  parent: PublishResult;
}

/** What an adapter gets to publish one delivery, or one part of a delivery's thread. */
export interface PublishInput {
  deliveryId: string;
  /**
   * Unique per post the platform creates: the delivery id for a single post and a thread's first
   * part, `${deliveryId}.${n}` for part n ≥ 1. Every idempotency key, record key or marker the
   * adapter sends is derived from it, the same on every attempt, so a retry never posts twice.
   */
  key: string;
  content: ResolvedContent;
  /** Set for a thread's later parts. */
  replyTo?: ReplyTarget | undefined;
  account: Account;
  /** The account's decrypted credentials (an adapter-specific JSON object). */
  credentials: Record<string, unknown>;
  /** Stores credentials that changed (a refreshed session), encrypted by the caller. */
  saveCredentials(credentials: Record<string, unknown>): Promise<void>;
  /** What an earlier attempt for this `key` saved with `saveCheckpoint`, if anything. */
  checkpoint?: Record<string, unknown> | undefined;
  /**
   * Saves adapter state before a step whose outcome could be lost (a Meta container created but
   * not yet published). Stored with the delivery; the next attempt and `reconcile` for the same
   * key get it back as `checkpoint`. Not for secrets.
   */
  saveCheckpoint(data: Record<string, unknown>): Promise<void>;
  loadMedia: MediaLoader;
  signal: AbortSignal;
}

export interface PublishResult {
  remoteId: string;
  url: string;
  /** What else a reply to this post needs (Bluesky: the record's CID). */
  cid?: string | undefined;
}

/** A verified identity, returned when an account is connected. */
export interface AccountProfile {
  handle: string;
  remoteId: string;
  /** Credentials to store, possibly enriched (a session, the resolved service URL). */
  credentials: Record<string, unknown>;
}

/**
 * The Platform port. Adapters never log; they return results or throw `PlatformError` with a
 * kind (transient, rate_limited, auth, invalid) that decides retries.
 */
export interface Platform {
  readonly id: PlatformId;
  /** The account's text rules. May call the platform once (Mastodon's instance), then cached. */
  rules(ctx: AccountContext): Promise<TextRules>;
  /**
   * Checks one post's content (or one part of a thread) before it is accepted; an empty list
   * means it can be published. Issues name the field (`text`, `media`, `media[1].alt`).
   */
  validate(content: ResolvedContent, ctx: AccountContext): Promise<ValidationIssue[]>;
  /** The account's image limits (Mastodon's come from its instance, cached). */
  imageLimits(ctx: AccountContext): Promise<ImageLimits>;
  /** Logs in or checks the token; throws PlatformError(auth) for bad credentials. */
  verify(credentials: Record<string, unknown>, signal: AbortSignal): Promise<AccountProfile>;
  publish(input: PublishInput): Promise<PublishResult>;
  /**
   * For platforms whose tokens expire (Tumblr OAuth 2, Threads long-lived tokens): renews the
   * token when it expires within `aheadMs`, and returns the new credentials; null when nothing is
   * due. Throws PlatformError(auth) when the platform refuses: the account must be reconnected.
   */
  refreshAhead?(
    credentials: Record<string, unknown>,
    aheadMs: number,
    signal: AbortSignal,
  ): Promise<Record<string, unknown> | null>;
  /**
   * After an attempt whose outcome is unknown (the worker died mid-call): finds the post that
   * attempt may have created for `input.key`. Null means it was not created and publishing
   * again is safe.
   */
  reconcile(input: PublishInput): Promise<PublishResult | null>;
}

export interface PlatformDeps {
  fetch: typeof fetch;
  /** Milliseconds for one upstream HTTP call. */
  timeoutMs: number;
  /** Waits between polls (media processing, containers); tests pass a fast one. Default: real timers. */
  sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}

export type PlatformFactory = (deps: PlatformDeps) => Platform;
