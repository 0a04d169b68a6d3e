import { type AppBskyFeedPost, XRPCError } from '@atproto/api';
import { PlatformError } from '../../core/errors.js';
import type { PlatformDeps, PublishInput, PublishResult } from '../platform.js';
import { isSessionError, routes } from './errors.js';
import { linkCard } from './external.js';
import { buildFacets, type Facet, firstLink } from './rich-text.js';
import { isVideo } from './validate.js';
import { uploadVideo } from './video.js';
import { uploadImages } from './images.js';
import type { AccountSession } from './session.js';
import { tidForDelivery } from './tid.js';

const collection = 'app.bsky.feed.post';

/**
 * Creates the post of one delivery at the record key derived from the delivery id. When the
 * create fails in a way that may hide an earlier success (the key is taken: this PDS answers 500
 * for that; a timeout after the PDS committed), the record at that key is read back: if it is
 * there, it is the earlier attempt and its result is returned instead of posting twice.
 */
export async function publishPost(
  session: AccountSession,
  input: PublishInput,
  deps: PlatformDeps,
): Promise<PublishResult> {
  const rkey = tidForDelivery(input.key);
  const { text } = input.content;
  const facets = await buildFacets(text, (handle) => resolveHandle(session, handle));
  const embed = await buildEmbed(session, input, facets, deps);
  const record: AppBskyFeedPost.Record = {
    $type: collection,
    text,
    createdAt: new Date().toISOString(),
    ...(facets.length > 0 ? { facets } : {}),
    ...(embed ? { embed } : {}),
    ...(input.replyTo
      ? { reply: { root: strongRef(input.replyTo.root), parent: strongRef(input.replyTo.parent) } }
      : {}),
  };
  try {
    const { data } = await session.call(routes.createRecord, (agent) =>
      agent.com.atproto.repo.createRecord({ repo: session.account.did, collection, rkey, record }),
    );
    return resultFor(session, rkey, data.cid);
  } catch (e) {
    // Auth and rate limits say nothing was written; anything else may be a taken key.
    if (!(e instanceof PlatformError) || e.kind === 'auth' || e.kind === 'rate_limited') throw e;
    const earlier = await findPost(session, input.key).catch(() => null);
    if (!earlier) throw e;
    return earlier;
  }
}

/**
 * What the post shows below its text: its images, or its video, or, for a post with a link and
 * no media, a card of its first link (unless the request turned cards off).
 */
async function buildEmbed(
  session: AccountSession,
  input: PublishInput,
  facets: Facet[],
  deps: PlatformDeps,
): Promise<AppBskyFeedPost.Record['embed']> {
  const { media, linkPreview } = input.content;
  const video = media.find(isVideo);
  if (video) return uploadVideo(session, video, input.loadMedia, input.signal, deps);
  if (media.length > 0) return uploadImages(session, media, input.loadMedia, input.signal);
  const uri = firstLink(facets);
  if (!uri || linkPreview === false || !deps.linkPreview) return undefined;
  return linkCard(session, uri, deps.linkPreview, input.signal);
}

/** A reply points at its thread's root and parent by URI and CID. */
function strongRef(post: PublishResult): { uri: string; cid: string } {
  if (!post.cid) throw new PlatformError('invalid', 'Bluesky reply target has no CID.', { platform: 'bluesky' });
  return { uri: post.remoteId, cid: post.cid };
}

/** The post created for `key` (a delivery or thread part), or null when there is none at its record key. */
export async function findPost(session: AccountSession, key: string): Promise<PublishResult | null> {
  const rkey = tidForDelivery(key);
  const found = await session.call(routes.getRecord, async (agent) => {
    try {
      return await agent.com.atproto.repo.getRecord({ repo: session.account.did, collection, rkey });
    } catch (e) {
      if (e instanceof XRPCError && e.error === 'RecordNotFound') return null;
      throw e;
    }
  });
  return found ? resultFor(session, rkey, found.data.cid) : null;
}

/** The DID of a handle, or null when the PDS cannot resolve it (the mention stays plain text). */
async function resolveHandle(session: AccountSession, handle: string): Promise<string | null> {
  return session.call(routes.resolveHandle, async (agent) => {
    try {
      const { data } = await agent.com.atproto.identity.resolveHandle({ handle });
      return data.did;
    } catch (e) {
      // A stale token is a 400 too (InvalidToken): that one must reach the session's refresh.
      if (e instanceof XRPCError && e.status === 400 && !isSessionError(e)) return null;
      throw e;
    }
  });
}

function resultFor(session: AccountSession, rkey: string, cid: string | undefined): PublishResult {
  const { did, handle } = session.account;
  // An account whose handle no longer verifies has the handle `handle.invalid`: link by DID.
  const profile = handle === 'handle.invalid' ? did : handle;
  return {
    remoteId: `at://${did}/${collection}/${rkey}`,
    url: `https://bsky.app/profile/${profile}/post/${rkey}`,
    ...(cid ? { cid } : {}),
  };
}
