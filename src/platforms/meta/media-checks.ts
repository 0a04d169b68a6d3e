import type { ResolvedMedia, ValidationIssue } from '../../core/content.js';

/** What one Meta platform takes as a video in one place (a post, a reel, a carousel item). */
export interface VideoRules {
  /** The video types it takes; `any` for every `video/*` (Facebook reads most containers). */
  types: readonly string[] | 'any';
  /** How the types are named to the user: "MP4 or QuickTime (.mov)". */
  typesLabel: string;
  maxBytes: number;
  maxDurationMs: number;
  minDurationMs?: number | undefined;
  /** Width ÷ height it takes, when the frame size is known, with how the bounds are named ("9:16"). */
  aspect?: { min: number; max: number; label: string } | undefined;
}

/** MP4 and QuickTime: what Threads and Instagram document for video containers. */
export const mp4OrMov = ['video/mp4', 'video/quicktime'] as const;

const megabytes = (n: number) => (n >= 1024 ** 3 ? `${n / 1024 ** 3} GB` : `${Math.ceil(n / (1024 * 1024))} MB`);
const duration = (ms: number) => {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const s = Math.round(ms / 1000);
  return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

/** An attachment's type: its MIME type, else a video by its `.mp4`/`.mov` URL, else an image (the media layer's rule). */
export function mediaType(item: Pick<ResolvedMedia, 'url' | 'mimeType'>): string {
  if (item.mimeType) return item.mimeType;
  if (/\.mov(\?|#|$)/i.test(item.url)) return 'video/quicktime';
  return /\.mp4(\?|#|$)/i.test(item.url) ? 'video/mp4' : 'image/*';
}

/**
 * Refuses, at the door, each attachment a Meta platform cannot take, naming `media[i]` and the
 * platform: anything neither image nor video (audio, PDF), a video of another type, a video over
 * the size or outside the length the platform documents (size and length when the media layer
 * read them). Images of any type pass: the media layer makes a version within `imageLimits`.
 * `rulesFor(i)` gives the video rules for attachment `i` (Instagram's differ in a carousel).
 */
export function checkMetaMedia(
  platform: string,
  media: readonly ResolvedMedia[],
  rulesFor: (i: number) => VideoRules,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  media.forEach((item, i) => {
    const at = `media[${i}]`;
    const refuse = (message: string) => issues.push({ field: at, code: 'invalid_request', message });
    const type = mediaType(item);
    if (type.startsWith('image/')) return;
    if (!type.startsWith('video/')) {
      refuse(
        `${at} is ${type}: ${platform} takes only images and videos. Remove it from the ${platform} post or attach an image or video.`,
      );
      return;
    }
    const rules = rulesFor(i);
    if (rules.types !== 'any' && !rules.types.includes(type)) {
      refuse(`${at} is ${type}: ${platform} takes videos as ${rules.typesLabel}. Convert it to MP4.`);
      return;
    }
    if (item.size !== undefined && item.size > rules.maxBytes) {
      refuse(
        `${at} is a ${megabytes(item.size)} video: ${platform} takes videos up to ${megabytes(rules.maxBytes)}. Shorten or compress it.`,
      );
    }
    if (item.durationMs !== undefined && item.durationMs > rules.maxDurationMs) {
      refuse(
        `${at} is a ${duration(item.durationMs)} video: ${platform} takes videos up to ${duration(rules.maxDurationMs)} here. Shorten it.`,
      );
    }
    if (item.durationMs !== undefined && rules.minDurationMs !== undefined && item.durationMs < rules.minDurationMs) {
      refuse(
        `${at} is a ${duration(item.durationMs)} video: ${platform} takes videos of at least ${duration(rules.minDurationMs)}. Use a longer clip.`,
      );
    }
    const ratio = item.width && item.height ? item.width / item.height : undefined;
    if (ratio !== undefined && rules.aspect && (ratio < rules.aspect.min || ratio > rules.aspect.max)) {
      refuse(
        `${at} is a ${item.width}×${item.height} video: ${platform} takes videos with a shape between ${rules.aspect.label}. Crop it.`,
      );
    }
  });
  return issues;
}
