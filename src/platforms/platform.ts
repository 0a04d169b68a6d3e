import type { Account, PlatformId } from '../core/post.js';

/** The content one delivery publishes: global content with the platform's override applied. */
export interface ResolvedContent {
  text: string;
  media: { url: string; alt?: string | undefined }[];
}

/** Media bytes as the adapter uploads them. */
export interface LoadedMedia {
  bytes: Uint8Array;
  mimeType: string;
  alt?: string | undefined;
}

/** Loads an attachment; the media layer (#5) decides where from and enforces size and type. */
export type MediaLoader = (
  item: { url: string; alt?: string | undefined },
  signal: AbortSignal,
) => Promise<LoadedMedia>;

/** A problem found before a post is accepted. */
export interface ValidationIssue {
  /** The request field it is about: `text`, `media`, `overrides.bluesky.text`. */
  field: string;
  code: 'content_too_long' | 'invalid_request';
  message: string;
}

/** What an adapter gets to publish one delivery. */
export interface PublishInput {
  deliveryId: string;
  content: ResolvedContent;
  account: Account;
  /** The account's decrypted credentials (an adapter-specific JSON object). */
  credentials: Record<string, unknown>;
  /** Stores credentials that changed (a refreshed session), encrypted by the caller. */
  saveCredentials(credentials: Record<string, unknown>): Promise<void>;
  loadMedia: MediaLoader;
  signal: AbortSignal;
}

export interface PublishResult {
  remoteId: string;
  url: string;
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
  /** Checks content before a post is accepted; an empty list means it can be published. */
  validate(content: ResolvedContent): ValidationIssue[];
  /** Logs in or checks the token; throws PlatformError(auth) for bad credentials. */
  verify(credentials: Record<string, unknown>, signal: AbortSignal): Promise<AccountProfile>;
  publish(input: PublishInput): Promise<PublishResult>;
  /**
   * After an attempt whose outcome is unknown (the worker died mid-call): finds the post that
   * attempt may have created. Null means it was not created and publishing again is safe.
   */
  reconcile(input: PublishInput): Promise<PublishResult | null>;
}

export interface PlatformDeps {
  fetch: typeof fetch;
  /** Milliseconds for one upstream HTTP call. */
  timeoutMs: number;
}

export type PlatformFactory = (deps: PlatformDeps) => Platform;
