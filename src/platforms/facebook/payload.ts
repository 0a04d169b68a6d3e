import type { ResolvedContent } from '../../core/content.js';
import { isVideo } from './validate.js';

/** What one delivery becomes on Facebook. */
export type FacebookPlan =
  | { kind: 'feed'; params: Record<string, string> }
  | { kind: 'photos'; photos: Record<string, string>[]; message: string }
  | { kind: 'video'; params: Record<string, string> };

const urlPattern = /https?:\/\/[^\s<>"]+/gi;

/**
 * The link a text post previews: the URL when the text holds exactly one, else none. The URL
 * stays in the message too (people expect their text as written); `link` makes Facebook show
 * the preview card the composer would show. With two or more URLs no single card would be
 * right, and photo or video posts cannot carry a link card at all.
 */
export function singleLink(text: string): string | undefined {
  const found = [...new Set((text.match(urlPattern) ?? []).map((u) => u.replace(/[.,;:!?)\]]+$/, '')))];
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The Graph API parameters for a delivery: a feed post (`message`, `link`), unpublished photos to
 * attach to a feed post, or a video by `file_url` with the text as its `description`.
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
  const link = singleLink(text);
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
