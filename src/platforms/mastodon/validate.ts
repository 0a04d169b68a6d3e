import type { ResolvedContent, ValidationIssue } from '../../core/content.js';
import { countCodePoints } from '../../core/text-length.js';
import { countCharacters, type InstanceLimits } from './instance.js';
import { isVideo, mediaTypeOf, refusedType } from './media-types.js';

/**
 * Checks one status against its instance's limits: text length, attachments (count, type, a video
 * only alone, as Mastodon refuses a video next to other media), alt text.
 */
export function validateContent(content: ResolvedContent, limits: InstanceLimits): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Mastodon post needs text or media.' });
  }
  const length = countCharacters(text, limits);
  const max = limits.maxCharacters;
  if (length > max) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Mastodon by ${length - max} characters (${length} of ${max}; links count ${limits.charactersReservedPerUrl}).`,
    });
  }
  if (media.length > limits.maxMediaAttachments) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `This Mastodon instance takes at most ${limits.maxMediaAttachments} attachments per post (${media.length} given).`,
    });
  }
  media.forEach((item, i) => {
    const type = mediaTypeOf(item);
    const refused = refusedType(type, limits);
    if (refused) issues.push({ field: `media[${i}]`, code: 'invalid_request', message: refused });
    else if (isVideo(type) && media.length > 1) {
      issues.push({
        field: `media[${i}]`,
        code: 'invalid_request',
        message: `Mastodon takes a video only on its own, and this post has ${media.length} attachments: post the video separately.`,
      });
    }
    const alt = item.alt ? countCodePoints(item.alt) : 0;
    if (alt > limits.descriptionLimit) {
      issues.push({
        field: `media[${i}].alt`,
        code: 'content_too_long',
        message: `Alt text of attachment ${i + 1} is too long for Mastodon by ${alt - limits.descriptionLimit} characters (${alt} of ${limits.descriptionLimit}).`,
      });
    }
  });
  return issues;
}
