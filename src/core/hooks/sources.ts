import type { HookSourceId } from '../hook.js';
import { genericSource } from './sources/generic.js';
import { ghostSource } from './sources/ghost.js';
import { githubSource } from './sources/github.js';
import type { HookSource } from './sources/source.js';
import { wordpressSource } from './sources/wordpress.js';

/**
 * The kinds of incoming webhook, by id: each says how its requests are signed and how its
 * payload becomes the fields of a post (see sources/source.ts for the port).
 */

export { type HookSourceId, hookSourceIds } from '../hook.js';
export {
  type HookEvent,
  type HookMedia,
  HookPayloadError,
  type HookRequest,
  type HookSource,
} from './sources/source.js';

export const hookSources: Readonly<Record<HookSourceId, HookSource>> = {
  generic: genericSource,
  github: githubSource,
  ghost: ghostSource,
  wordpress: wordpressSource,
};
