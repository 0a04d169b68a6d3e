import { PlatformError } from '../../core/errors.js';
import type { PublishResult } from '../platform.js';
import { routes } from './errors.js';
import type { AccountSession } from './session.js';

/** `at://did:plc:…/app.bsky.feed.post/3kabc…` → the parts `deleteRecord` takes. */
export function recordOf(uri: string): { repo: string; collection: string; rkey: string } {
  const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
  if (!m) throw new PlatformError('invalid', `Not a Bluesky record URI: ${uri}`, { platform: 'bluesky' });
  return { repo: m[1]!, collection: m[2]!, rkey: m[3]! };
}

/**
 * Deletes a delivery's records with `com.atproto.repo.deleteRecord`, the last part first. The
 * PDS answers a record that is no longer there as deleted too, so asking again is harmless.
 */
export async function removePosts(session: AccountSession, posts: readonly PublishResult[]): Promise<void> {
  for (const post of [...posts].reverse()) {
    const record = recordOf(post.remoteId);
    await session.call(routes.deleteRecord, (agent) => agent.com.atproto.repo.deleteRecord(record));
  }
}
