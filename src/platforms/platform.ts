import type { Account, PlatformId } from '../core/post.js';
import type { ResolvedContent, ResolvedMedia, TextRules, ValidationIssue } from '../core/content.js';

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

/** What an adapter gets to take down what one delivery published. */
export interface RemoveInput {
  deliveryId: string;
  /** The posts the delivery created, first to last: one, or every part of a thread (its chain). */
  posts: PublishResult[];
  account: Account;
  /** The account's decrypted credentials (an adapter-specific JSON object). */
  credentials: Record<string, unknown>;
  /** Stores credentials that changed (a refreshed session), encrypted by the caller. */
  saveCredentials(credentials: Record<string, unknown>): Promise<void>;
  signal: AbortSignal;
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
  /**
   * Deletes what a delivery published: every post of `input.posts`, the last first (a thread's
   * replies before its first part). A post that is already gone counts as deleted, so a delete
   * that failed half-way can simply be asked again. Throws PlatformError of the same kinds as
   * `publish`. Absent where the platform's API cannot delete a post (Instagram): a person
   * deletes it in the app.
   */
  remove?(input: RemoveInput): Promise<void>;
}

/** A link card as {@link PlatformDeps.linkPreview} answers it (made by `media/link-preview.ts`). */
export interface LinkCard {
  /** The link as the post has it. */
  url: string;
  title: string;
  description: string;
  /** The page's image URL (absolute), when it names one. */
  imageUrl?: string | undefined;
  /** The page's image, fitted within the limits asked for; absent when not asked for or unreadable. */
  image?: { bytes: Uint8Array; mimeType: string } | undefined;
}

/**
 * Reads the card of a page: its title, description and image (fetched and fitted only when
 * `image` limits are given). Null when the page cannot be read; never throws for the page.
 */
export type LinkPreviewFetcher = (
  url: string,
  options: { image?: { maxBytes: number; maxDimension?: number } | undefined; signal: AbortSignal },
) => Promise<LinkCard | null>;

export interface PlatformDeps {
  fetch: typeof fetch;
  /** Milliseconds for one upstream HTTP call. */
  timeoutMs: number;
  /**
   * Fetches the page of a post's first link for a link card (SSRF-safe, capped). Absent: no link
   * cards are made (as when a request says `linkPreview: false`).
   */
  linkPreview?: LinkPreviewFetcher | undefined;
  /**
   * Bluesky's video service (`HAYON_BLUESKY_VIDEO_URL`, e.g. `https://video.bsky.app`): videos go
   * through its processing job. Absent: a video is uploaded to the PDS as a plain blob.
   */
  blueskyVideoUrl?: string | undefined;
  /** Waits between polls (media processing, containers); tests pass a fast one. Default: real timers. */
  sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}

export type PlatformFactory = (deps: PlatformDeps) => Platform;
