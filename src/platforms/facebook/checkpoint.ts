/**
 * What the adapter saves with a delivery (`PublishInput.saveCheckpoint`), so that a later attempt
 * or `reconcile` for the same key knows how far an earlier one got:
 * - `photoIds`: unpublished photos already uploaded, by media index (reused, never uploaded again);
 * - `feedStartedAt`: set (ms) just before the call that creates the post; from then on the post
 *   may exist, and the next attempt looks for it before creating anything;
 * - `postId`: the created post's id, saved as soon as Facebook answers.
 */
export interface FacebookCheckpoint {
  photoIds?: string[];
  feedStartedAt?: number;
  postId?: string;
}

/** Reads a checkpoint leniently: anything malformed counts as absent. */
export function readCheckpoint(raw: Record<string, unknown> | undefined): FacebookCheckpoint {
  const cp: FacebookCheckpoint = {};
  if (!raw) return cp;
  if (Array.isArray(raw.photoIds) && raw.photoIds.every((id) => typeof id === 'string')) {
    cp.photoIds = raw.photoIds as string[];
  }
  if (typeof raw.feedStartedAt === 'number' && Number.isFinite(raw.feedStartedAt)) cp.feedStartedAt = raw.feedStartedAt;
  if (typeof raw.postId === 'string' && raw.postId !== '') cp.postId = raw.postId;
  return cp;
}

/** A checkpoint as the plain object `saveCheckpoint` stores. */
export function toRecord(cp: FacebookCheckpoint): Record<string, unknown> {
  return { ...cp };
}
