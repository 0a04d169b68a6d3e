import type { PaceCost, PaceLimit } from '../core/pacing.js';
import type { PlatformId } from '../core/post.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * Each platform's documented write limits per account (see PLATFORMS.md for the sources), which
 * hayon keeps under by itself instead of learning them from a refusal:
 * - Bluesky: 5,000 write points an hour and 35,000 a day; creating a record costs 3.
 * - Mastodon: 300 requests per 5 minutes; media uploads 30 per 30 minutes.
 * - Tumblr: 250 posts a day and 250 images a day.
 * - Threads: 250 posts and 1,000 replies per rolling 24 hours (the adapter also reads the live
 *   quota, `threads_publishing_limit`, before it publishes).
 * - Instagram: the quota differs by account and version (25 to 100 a day); the adapter reads the
 *   live one (`content_publishing_limit`), so the store keeps only the highest documented, 100.
 * - Facebook Pages: no fixed number (Meta's limits scale with the page's audience); none here.
 */
export const defaultPaceLimits: Record<PlatformId, PaceLimit[]> = {
  bluesky: [
    { unit: 'points', max: 5_000, windowMs: hour },
    { unit: 'points', max: 35_000, windowMs: day },
  ],
  mastodon: [
    { unit: 'requests', max: 300, windowMs: 5 * minute },
    { unit: 'images', max: 30, windowMs: 30 * minute },
  ],
  tumblr: [
    { unit: 'posts', max: 250, windowMs: day },
    { unit: 'images', max: 250, windowMs: day },
  ],
  threads: [
    { unit: 'posts', max: 250, windowMs: day },
    { unit: 'replies', max: 1_000, windowMs: day },
  ],
  instagram: [{ unit: 'posts', max: 100, windowMs: day }],
  facebook: [],
};

/**
 * What publishing `parts` (1, or a thread's parts still to go, `first` when the first part is
 * among them) with `media` attachments costs under those limits. Mastodon counts requests: one
 * per status and one per upload (its processing poll is not counted: the limit has room for it).
 */
export function paceCost(platform: PlatformId, parts: number, media: number, first = true): PaceCost {
  const posts = first ? 1 : 0;
  switch (platform) {
    case 'bluesky':
      return { points: 3 * parts };
    case 'mastodon':
      return { requests: parts + media, images: media };
    case 'tumblr':
      return { posts: parts, images: media };
    case 'threads':
      return { posts, replies: parts - posts };
    case 'instagram':
      return { posts };
    case 'facebook':
      return {};
  }
}
