import type { PlatformId } from '../core/post.js';
import { createBlueskyPlatform } from './bluesky/bluesky-platform.js';
import { createFacebookPlatform } from './facebook/facebook-platform.js';
import { createInstagramPlatform } from './instagram/instagram-platform.js';
import { createMastodonPlatform } from './mastodon/mastodon-platform.js';
import type { Platform, PlatformDeps, PlatformFactory } from './platform.js';
import { createThreadsPlatform } from './threads/threads-platform.js';
import { createTumblrPlatform } from './tumblr/tumblr-platform.js';

/** The adapters hayon has; a platform not listed here cannot be targeted yet. */
export const platformFactories = {
  bluesky: createBlueskyPlatform,
  mastodon: (deps) => createMastodonPlatform(deps),
  threads: (deps) => createThreadsPlatform(deps),
  instagram: (deps) => createInstagramPlatform(deps),
  facebook: (deps) => createFacebookPlatform(deps),
  tumblr: (deps) => createTumblrPlatform(deps),
} satisfies Record<PlatformId, PlatformFactory>;

export function createPlatforms(deps: PlatformDeps): Partial<Record<PlatformId, Platform>> {
  return Object.fromEntries(Object.entries(platformFactories).map(([id, make]) => [id, make(deps)]));
}
