import { HayonError, zodToHayonError } from '../../core/errors.js';
import type { AttachedMedia } from '../../core/media-intake.js';
import type { Account } from '../../core/post.js';
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
export function checkHasContent(request: PostRequest): void {
  if (!request.text.trim() && request.media.length === 0) {
    throw new HayonError('invalid_request', 'a post needs text or media', {
      field: 'text',
      userMessage: 'A post needs text or at least one media item.',
    });
  }
}

/** The accounts the request's targets name, each one working; a 400 naming `targets[i]` otherwise. */
export async function activeTargets(
  deps: Pick<PostsServiceDeps, 'store'>,
  request: PostRequest,
  workspaceId: string,
): Promise<Account[]> {
  const accounts = resolveTargets(request.targets, await deps.store.listAccounts(workspaceId));
  accounts.forEach((account, i) => {
    if (account.health !== 'active') {
      throw new HayonError('invalid_request', 'account needs reconnecting', {
        field: `targets[${i}]`,
        userMessage: `The ${account.platform} account ${account.handle} needs reconnecting (${account.health}).`,
      });
    }
  });
  return accounts;
}

/** Every attachment of the request (global and per platform) into the media store; null when there are none. */
export async function attachMedia(
  deps: Pick<PostsServiceDeps, 'media'>,
  request: PostRequest,
  workspaceId: string,
  postId: string,
): Promise<AttachedMedia | null> {
  const inputs = mediaInputs(request);
  return inputs.length ? deps.media.attach(workspaceId, postId, inputs) : null;
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
