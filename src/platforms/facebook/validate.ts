import type { ResolvedContent, TextRules, ValidationIssue } from '../../core/content.js';
import { countCodePoints } from '../../core/text-length.js';
import { checkMetaMedia, type VideoRules } from '../meta/media-checks.js';

/**
 * Facebook's limits for a Page post. 63,206 characters is the long-standing limit of a post's
 * text (widely documented, no Graph API page states another). Photos take an accessible
 * description (`alt_text_custom` on `POST /{page}/photos`) with no documented length, so alt
 * text is not length-checked; the videos edge has no alt text parameter.
 */
export const facebookLimits = { text: 63_206, videos: 1 } as const;

/**
 * A Page video sent by `file_url` (Graph API "Uploading Videos"): Facebook reads most video
 * containers (3gp, avi, mkv, mov, mp4, webm, wmv, …), so any `video/*` passes; a non-resumable
 * upload is at most 1 GB and 20 minutes, its aspect ratio between 9:16 and 16:9.
 */
export const facebookVideo: VideoRules = {
  types: 'any',
  typesLabel: 'video files',
  maxBytes: 1024 ** 3,
  maxDurationMs: 20 * 60_000,
  aspect: { min: 9 / 16, max: 16 / 9, label: '9:16 (portrait) and 16:9 (landscape)' },
};

/** Text counted in characters (code points); Facebook has no reply chains for Page posts here. */
export const facebookRules: TextRules = {
  maxLength: facebookLimits.text,
  unit: 'characters',
  count: countCodePoints,
  threads: false,
};

/** Whether an attachment is a video: its MIME type when known, else a `.mp4`/`.mov` URL. */
export function isVideo(item: { url: string; mimeType?: string | undefined }): boolean {
  if (item.mimeType) return item.mimeType.startsWith('video/');
  return /\.(mp4|mov)([?#]|$)/i.test(item.url);
}

/** Checks a post against Facebook's limits; an empty list means it can be published. */
export function validateContent(content: ResolvedContent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { text, media } = content;
  if (text.trim() === '' && media.length === 0) {
    issues.push({ field: 'text', code: 'invalid_request', message: 'A Facebook post needs text, photos or a video.' });
  }
  const length = countCodePoints(text);
  if (length > facebookLimits.text) {
    issues.push({
      field: 'text',
      code: 'content_too_long',
      message: `Too long for Facebook by ${length - facebookLimits.text} characters (${length} of ${facebookLimits.text}).`,
    });
  }
  const videos = media.filter(isVideo).length;
  const photos = media.length - videos;
  if (videos > 0 && photos > 0) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `A Facebook post takes photos or one video, not both (${photos} ${photos === 1 ? 'photo' : 'photos'} and ${videos} ${videos === 1 ? 'video' : 'videos'} given).`,
    });
  } else if (videos > facebookLimits.videos) {
    issues.push({
      field: 'media',
      code: 'invalid_request',
      message: `A Facebook post takes one video (${videos} given).`,
    });
  }
  issues.push(...checkMetaMedia('Facebook', media, () => facebookVideo));
  return issues;
}
