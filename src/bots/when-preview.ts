import { parseWhen, type ResolvedSchedule } from '../core/schedule.js';
import { isNextSlot } from '../core/slots.js';
import type { PostsService } from '../services/posts/posts-service.js';

/**
 * What a chat form checks and shows for a typed time: the instant it means, or for "next slot"
 * the slot the workspace's queue would give now (a refusal when it has no slots or all are held).
 * The post itself takes its slot when it is stored, so the echo after posting is the one that counts.
 */
export function whenPreview(
  deps: { posts: PostsService; workspaceId: string; defaultTimezone: string },
  typed: string | undefined,
  options: { timezone: string; now: number },
): Promise<ResolvedSchedule> {
  if (isNextSlot(typed)) return deps.posts.nextSlot(deps.workspaceId, deps.defaultTimezone, options.timezone);
  return Promise.resolve().then(() => parseWhen(typed, options));
}
