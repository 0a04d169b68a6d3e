import { z } from 'zod';
import { platformIds } from '../../core/post.js';
import { postViewSchema } from '../../core/post-view.js';

/** One delivery's part of `DELETE /v1/posts/{id}` (services/posts/delete-post.ts `DeliveryDeleteResult`). */
export const deleteResultSchema = z
  .object({
    deliveryId: z.string(),
    accountId: z.string(),
    platform: z.enum(platformIds),
    /**
     * deleted: taken down from the platform (a thread: every part); cancelled: it had not gone
     * out; not_allowed: the platform's API cannot delete (Instagram), `reason` and `url` say where
     * to delete it by hand; failed: `reason` says why, and asking again tries again.
     */
    result: z.enum(['deleted', 'cancelled', 'not_allowed', 'failed']),
    reason: z.string().optional(),
    /** The post on the platform. */
    url: z.string().optional(),
  })
  .meta({ id: 'DeleteResult' });

export const postDeletedSchema = z
  .object({ post: postViewSchema, results: z.array(deleteResultSchema) })
  .meta({ id: 'PostDeleted' });
