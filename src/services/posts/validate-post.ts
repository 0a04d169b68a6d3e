import { HayonError, zodToHayonError } from '../../core/errors.js';
import type { AttachedMedia } from '../../core/media-intake.js';
import type { Account, Post } from '../../core/post.js';
import { type PostRequest, postRequestSchema } from '../../core/post-request.js';
import { imageWithoutAlt, mediaInputs, type StoredMedia } from '../../core/post-media.js';
import { resolveTargets } from '../../core/targets.js';
import type { PostsServiceDeps } from './deps.js';

/** The request as the schema reads it; a 400 naming the field otherwise. */
export function parsePostRequest(input: unknown): PostRequest {
  const parsed = postRequestSchema.safeParse(input);
  if (!parsed.success) throw zodToHayonError(parsed.error);
  return parsed.data;
}

/** A post says something: text or at least one media item. */
export function checkHasContent(content: { text: string; media: readonly unknown[] }): void {
  if (!content.text.trim() && content.media.length === 0) {
    throw new HayonError('invalid_request', 'a post needs text or media', {
      field: 'text',
      userMessage: 'A post needs text or at least one media item.',
    });
  }
}

/** The accounts the targets name, each one working; a 400 naming `targets[i]` otherwise. */
export async function activeTargets(
  deps: Pick<PostsServiceDeps, 'store'>,
  targets: readonly string[],
  workspaceId: string,
): Promise<Account[]> {
  const accounts = resolveTargets([...targets], await deps.store.listAccounts(workspaceId));
  accounts.forEach((account, i) => {
    if (account.health !== 'active') {
      throw new HayonError('invalid_request', 'account needs reconnecting', {
        field: `targets[${i}]`,
        userMessage: `The ${account.platform} account ${account.handle} needs reconnecting (${account.health}).`,
        nextStep: { kind: 'reconnect', platform: account.platform },
      });
    }
  });
  return accounts;
}

/**
 * Every attachment of the request (global and per platform) into the media store, under `folder`
 * (the post's id; an edit's own folder beside it); null when there are none.
 */
export async function attachMedia(
  deps: Pick<PostsServiceDeps, 'media'>,
  request: Pick<PostRequest, 'media' | 'overrides'>,
  workspaceId: string,
  folder: string,
): Promise<AttachedMedia | null> {
  const inputs = mediaInputs(request);
  return inputs.length ? deps.media.attach(workspaceId, folder, inputs) : null;
}

/** A stored post's attachments with the request field each stands for (what checkAltText names). */
export function storedMediaOf(post: Pick<Post, 'content' | 'overrides'>): StoredMedia {
  const fields = post.content.media.map((item, i) => ({ field: `media[${i}]`, item }));
  for (const [platform, override] of Object.entries(post.overrides)) {
    for (const [i, item] of (override?.media ?? []).entries())
      fields.push({ field: `overrides.${platform}.media[${i}]`, item });
  }
  return { global: post.content.media, overrides: post.overrides, fields };
}

/** The workspace's rule "refuse posts with images without alt text", when it has set it. */
export async function checkAltText(
  deps: Pick<PostsServiceDeps, 'store'>,
  workspaceId: string,
  media: StoredMedia,
): Promise<void> {
  const missing = imageWithoutAlt(media);
  if (!missing) return;
  const workspace = await deps.store.getWorkspace(workspaceId);
  if (!workspace?.settings?.requireAltText) return;
  const message = `${missing.field}.alt: this workspace requires alt text on every image; describe the image for people who cannot see it.`;
  throw new HayonError('invalid_request', message, { field: `${missing.field}.alt`, userMessage: message });
}
