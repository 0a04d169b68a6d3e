import type { MediaItem } from './post.js';
import type { MediaRef } from './post-request.js';

/** One attachment of a request and the request field it came from (`media[0]`, `overrides.bluesky.media[1]`). */
export interface MediaInput {
  ref: MediaRef;
  field: string;
}

/** What `attach` stored, and how to finish or undo it once the post is (or is not) stored. */
export interface AttachedMedia {
  /** In the order of the inputs. */
  items: MediaItem[];
  /** The post is stored: the uploads it consumed can go. */
  commit(): Promise<void>;
  /** The post was not stored: removes what `attach` wrote (uploads stay usable for a retry). */
  discard(): Promise<void>;
}

/**
 * The media layer as `posts.create()` sees it: every attachment, from whichever way in, goes
 * into the media store before the post is accepted.
 */
export interface MediaIntake {
  /**
   * Fetches each URL (SSRF-checked, size-capped) or reads each upload, checks the type by content,
   * strips metadata, and stores it under `posts/{workspace}/{postId}/{n}.{ext}`. All or nothing:
   * on any failure what was stored is removed and a HayonError naming the input's field is thrown.
   */
  attach(workspaceId: string, postId: string, inputs: readonly MediaInput[]): Promise<AttachedMedia>;
}
