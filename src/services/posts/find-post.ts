import { HayonError } from '../../core/errors.js';
import type { PostWithDeliveries } from '../../core/post.js';
import type { PostStore } from '../../store/ports/post-store.js';

/** The workspace's post `id` with its deliveries; a 404 naming the id when it has none. */
export async function findPost(
  store: Pick<PostStore, 'getPost'>,
  workspaceId: string,
  id: string,
): Promise<PostWithDeliveries> {
  const found = await store.getPost(id);
  if (!found || found.post.workspaceId !== workspaceId) {
    throw new HayonError('not_found', `no post ${id}`, { field: 'id', userMessage: `No post with id ${id}.` });
  }
  return found;
}
