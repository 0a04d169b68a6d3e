import type { AttachedMedia, MediaInput } from './media-intake.js';
import type { ContentOverride, MediaItem, PlatformId, Post } from './post.js';
import type { PostRequest } from './post-request.js';

/** A request's content with its attachments as stored, and each stored item with its request field. */
export interface StoredMedia {
  global: MediaItem[];
  overrides: Post['overrides'];
  fields: { field: string; item: MediaItem }[];
}

/** The request's attachments in one list, each with its field: the global ones, then each platform's. */
export function mediaInputs(request: Pick<PostRequest, 'media' | 'overrides'>): MediaInput[] {
  const inputs: MediaInput[] = request.media.map((ref, i) => ({ ref, field: `media[${i}]` }));
  for (const [platform, override] of Object.entries(request.overrides ?? {})) {
    for (const [i, ref] of (override?.media ?? []).entries()) {
      inputs.push({ ref, field: `overrides.${platform}.media[${i}]` });
    }
  }
  return inputs;
}

/** The request's content with each attachment replaced by what the media store holds, in `mediaInputs` order. */
export function withStoredMedia(
  request: Pick<PostRequest, 'media' | 'overrides'>,
  attached: AttachedMedia | null,
): StoredMedia {
  const stored = attached?.items ?? [];
  const fields: { field: string; item: MediaItem }[] = [];
  let n = 0;
  const take = (field: string): MediaItem => {
    const item = stored[n++];
    if (!item) throw new Error('the media layer returned fewer items than it was given');
    fields.push({ field, item });
    return item;
  };
  const global = request.media.map((_, i) => take(`media[${i}]`));
  const overrides: Post['overrides'] = {};
  for (const [platform, override] of Object.entries(request.overrides ?? {}) as [PlatformId, ContentOverride][]) {
    overrides[platform] = override.media
      ? { ...override, media: override.media.map((_, i) => take(`overrides.${platform}.media[${i}]`)) }
      : override;
  }
  return { global, overrides, fields };
}

/** The first stored image without alt text (for a workspace that requires it), with its field. */
export function imageWithoutAlt(media: StoredMedia): { field: string; item: MediaItem } | undefined {
  return media.fields.find(({ item }) => item.mimeType?.startsWith('image/') && !item.alt?.trim());
}
