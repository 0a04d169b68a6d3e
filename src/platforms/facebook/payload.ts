import type { ResolvedContent } from '../../core/content.js';
import { linkCardUrl } from '../meta/link.js';
import { isVideo } from './validate.js';

/** What one delivery becomes on Facebook. */
export type FacebookPlan =
  | { kind: 'feed'; params: Record<string, string> }
  | { kind: 'photos'; photos: Record<string, string>[]; message: string }
  | { kind: 'video'; params: Record<string, string> };

/**
 * The Graph API parameters for a delivery: a feed post (`message`, `link`), unpublished photos to
 * attach to a feed post, or a video by `file_url` with the text as its `description`.
 *
 * A text post's first link is also sent as `link`, so Facebook shows the card its composer would
 * show (Facebook reads the page itself); the URL stays in the message too, as written. Not when
 * the request said `linkPreview: false`; photo and video posts carry no link card.
 */
export function planPost(content: ResolvedContent): FacebookPlan {
  const { text, media } = content;
  const video = media.find(isVideo);
  if (video) {
    return { kind: 'video', params: { file_url: video.url, ...(text ? { description: text } : {}) } };
  }
  if (media.length > 0) {
    return {
      kind: 'photos',
      message: text,
      photos: media.map((item) => ({
        url: item.url,
        published: 'false',
        ...(item.alt ? { alt_text_custom: item.alt } : {}),
      })),
    };
  }
  const link = linkCardUrl(content);
  return { kind: 'feed', params: { message: text, ...(link ? { link } : {}) } };
}

/** The feed post that shows the photos already uploaded unpublished, in order. */
export function attachParams(message: string, photoIds: string[]): Record<string, string> {
  const params: Record<string, string> = message ? { message } : {};
  photoIds.forEach((id, i) => {
    params[`attached_media[${i}]`] = JSON.stringify({ media_fbid: id });
  });
  return params;
}
