import type { Platform, PlatformDeps, PublishInput } from '../platform.js';
import { parseCredentials } from './credentials.js';
import { rethrow, routes } from './errors.js';
import { findPost, publishPost } from './posts.js';
import { removePosts } from './remove.js';
import { AccountSession, createAgent } from './session.js';
import { blueskyRules, validateContent } from './validate.js';

/**
 * The Bluesky adapter. Credentials: `{ service, identifier, appPassword, session? }`; the session
 * is kept and refreshed (saved through `saveCredentials`), so it logs in only when needed.
 * Posts get a record key derived from the delivery id, so a retry can never post twice. Text gets
 * RichText facets; below it go images, or one video (through `deps.blueskyVideoUrl`'s video
 * service, else as a blob), or for a post with a link and no media a card of the first link
 * (`deps.linkPreview`).
 *
 * @example
 * const bluesky = createBlueskyPlatform({ fetch, timeoutMs: 15_000 });
 * await bluesky.publish({ deliveryId, content, credentials, saveCredentials, loadMedia, … });
 */
export function createBlueskyPlatform(deps: PlatformDeps): Platform {
  const open = (input: Pick<PublishInput, 'credentials' | 'signal' | 'saveCredentials'>) =>
    new AccountSession(
      deps,
      input.credentials,
      parseCredentials(input.credentials),
      input.signal,
      input.saveCredentials,
    );

  return {
    id: 'bluesky',
    rules: async () => blueskyRules,
    // The PDS does not state its blob limit anywhere a client can read; 1,000,000 bytes is what
    // the lexicon said before it allowed 2,000,000 and what older servers still enforce, so
    // every server takes it. The Bluesky app itself resizes to 2,000 px.
    imageLimits: async () => ({ maxBytes: 1_000_000, maxDimension: 2000 }),
    validate: async (content) => validateContent(content),

    async verify(credentials, signal) {
      const creds = parseCredentials(credentials);
      const agent = createAgent(deps, creds.service, signal);
      try {
        const { data } = await agent.login({ identifier: creds.identifier, password: creds.appPassword });
        const { did, handle, accessJwt, refreshJwt } = data;
        return {
          handle,
          remoteId: did,
          credentials: { ...credentials, session: { did, handle, accessJwt, refreshJwt } },
        };
      } catch (e) {
        rethrow(e, routes.createSession);
      }
    },

    // async, so that malformed credentials reject the promise rather than throw synchronously
    publish: async (input) => publishPost(open(input), input, deps),
    reconcile: async (input) => findPost(open(input), input.key),
    remove: async (input) => removePosts(open(input), input.posts),
  };
}
