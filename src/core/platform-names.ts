import type { PlatformId } from './post.js';

/** How each platform is written in messages to people. */
export const platformNames = {
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  tumblr: 'Tumblr',
  threads: 'Threads',
  instagram: 'Instagram',
  facebook: 'Facebook',
} as const satisfies Record<PlatformId, string>;
