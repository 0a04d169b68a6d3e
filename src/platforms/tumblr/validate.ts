import type { ResolvedContent, TextRules, ValidationIssue } from '../../core/content.js';
import { countCodePoints } from '../../core/text-length.js';
import { findLinks, isVideo, paragraphsOf } from './npf.js';

/**
 * Tumblr's per-post limits (tumblr/docs npf-spec.md, "Post Content Limits"). Text counts in
 * Unicode code points.
 */
export const tumblrLimits = {
  /** One text block, and hayon puts one paragraph in each. */
  paragraphCodePoints: 4096,
  /**
   * The whole text. NPF caps blocks, not posts: up to 1,000 text blocks within a stored post of
   * 1 MB (JSON included; "in practice closer to 900,000 characters"). 200,000 code points stay
   * under that even when every one takes 4 UTF-8 bytes, so a post hayon accepts is never refused
   * for its size.
   */
  textCodePoints: 200_000,
  textBlocks: 1000,
  images: 30,
  /** Native (uploaded) video blocks per post. */
  videos: 1,
  altCodePoints: 4096,
  inlineLinks: 100,
  /**
   * An uploaded video: MP4 (what Tumblr's help asks for) or QuickTime, at most 100 MB. Neither
   * npf-spec.md nor api.md states a size; 100 MB is Tumblr's long-standing help-page limit, and
   * the daily caps (20 videos, 60 minutes) are answered by Tumblr as 403.8011.
   */
  videoTypes: ['video/mp4', 'video/quicktime'],
  videoBytes: 100 * 1024 * 1024,
} as const;

const mb = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;

/**
 * Why Tumblr cannot take attachment `i` of this type and size (bytes, when known), or null. Images
 * of any type are made to fit by the media layer (`imageLimits`); anything neither image nor
 * video, or a video of another type or too big, is refused rather than sent as something else.
 */
export function checkUpload(i: number, mimeType: string | undefined, bytes: number | undefined): string | null {
  if (!mimeType || mimeType.startsWith('image/')) return null;
  const at = `media[${i}]`;
  if (!mimeType.startsWith('video/')) {
    return `${at} is ${mimeType}: Tumblr takes only images and videos. Remove it from the Tumblr post or attach an image or video.`;
  }
  if (!(tumblrLimits.videoTypes as readonly string[]).includes(mimeType)) {
    return `${at} is ${mimeType}: Tumblr takes videos as MP4 or QuickTime (.mov). Convert it to MP4.`;
  }
  if (bytes !== undefined && bytes > tumblrLimits.videoBytes) {
    return `${at} is a ${mb(bytes)} video: Tumblr takes videos up to ${mb(tumblrLimits.videoBytes)}. Shorten or compress it.`;
  }
  return null;
}

/**
 * Counted in code points; one post per delivery (Tumblr has no replies to chain a thread with),
 * so a long text becomes several paragraphs of one post, each paragraph at most 4,096.
 */
export const tumblrRules: TextRules = {
  maxLength: tumblrLimits.textCodePoints,
  unit: 'characters',
  count: countCodePoints,
  threads: false,
};

/** Checks a post against Tumblr's limits; an empty list means it can be published. */
export function validateContent(content: ResolvedContent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  const L = tumblrLimits;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Tumblr post needs text or an image.' });
  }
  const length = countCodePoints(text);
  if (length > L.textCodePoints) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Tumblr by ${length - L.textCodePoints} characters (${length} of ${L.textCodePoints}).`,
    });
  } else {
    const paragraphs = paragraphsOf(text);
    paragraphs.forEach((p, i) => {
      const n = countCodePoints(p);
      if (n > L.paragraphCodePoints) {
        issues.push({
          field: 'text',
          code: 'content_too_long',
          message: `Paragraph ${i + 1} is too long for Tumblr by ${n - L.paragraphCodePoints} characters (${n} of ${L.paragraphCodePoints}); split it with a blank line.`,
        });
      }
    });
    if (paragraphs.length > L.textBlocks) {
      issues.push({
        field: 'text',
        code: 'content_too_long',
        message: `Tumblr takes at most ${L.textBlocks} paragraphs per post (${paragraphs.length} given).`,
      });
    }
    const links = findLinks(text).length;
    if (links > L.inlineLinks) {
      issues.push({
        field: 'text',
        code: 'invalid_request',
        message: `Tumblr takes at most ${L.inlineLinks} links per post (${links} given).`,
      });
    }
  }
  const videos = media.filter(isVideo).length;
  const images = media.length - videos;
  if (images > L.images) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Tumblr takes at most ${L.images} images per post (${images} given).`,
    });
  }
  if (videos > L.videos) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `Tumblr takes at most ${L.videos} uploaded video per post (${videos} given).`,
    });
  }
  media.forEach((item, i) => {
    const type = item.mimeType ?? (isVideo(item) ? 'video/mp4' : undefined);
    const refused = checkUpload(i, type, item.size);
    if (refused) issues.push({ field: `media[${i}]`, code: 'invalid_request', message: refused });
    const alt = item.alt ? countCodePoints(item.alt) : 0;
    if (alt > L.altCodePoints) {
      issues.push({
        field: `media[${i}].alt`,
        code: 'content_too_long',
        message: `Alt text of attachment ${i + 1} is too long for Tumblr (${alt} of ${L.altCodePoints} characters).`,
      });
    }
  });
  return issues;
}
