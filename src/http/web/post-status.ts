import { derivePostStatus } from '../../core/delivery-state.js';
import type { DeliveryState, PostStatus, PostWithDeliveries } from '../../core/post.js';

/** How a status reads on the page: words first, and a class for its colour (never colour alone). */
export interface StatusLabel {
  text: string;
  /** `st-ok`, `st-wait`, `st-bad`, `st-off`, `st-busy` (see styles.ts). */
  css: string;
}

const post: Record<PostStatus, StatusLabel> = {
  PENDING: { text: 'Pending', css: 'st-wait' },
  SCHEDULED: { text: 'Scheduled', css: 'st-wait' },
  PROCESSING: { text: 'Publishing', css: 'st-busy' },
  COMPLETED: { text: 'Published', css: 'st-ok' },
  PARTIAL_SUCCESS: { text: 'Partly published', css: 'st-bad' },
  FAILED: { text: 'Failed', css: 'st-bad' },
  CANCELLED: { text: 'Cancelled', css: 'st-off' },
  DELETED: { text: 'Deleted', css: 'st-off' },
};

const delivery: Record<DeliveryState, StatusLabel> = {
  scheduled: { text: 'scheduled', css: 'st-wait' },
  queued: { text: 'queued', css: 'st-busy' },
  publishing: { text: 'publishing', css: 'st-busy' },
  published: { text: 'published', css: 'st-ok' },
  failed: { text: 'failed', css: 'st-bad' },
  unknown: { text: 'checking', css: 'st-busy' },
  cancelled: { text: 'cancelled', css: 'st-off' },
  deleted: { text: 'deleted', css: 'st-off' },
};

export const postStatusLabel = (status: PostStatus): StatusLabel => post[status];
export const deliveryStateLabel = (state: DeliveryState): StatusLabel => delivery[state];

export function statusOf(value: PostWithDeliveries, now: number): PostStatus {
  return derivePostStatus(value.deliveries, now);
}

/**
 * What the page was showing, in a few characters: each delivery's id, state and last change.
 * Forms carry it; an action on a post whose fingerprint moved since is refused with what changed.
 */
export function fingerprint(value: PostWithDeliveries): string {
  return value.deliveries.map((d) => `${d.id}:${d.state}:${d.updatedAt}`).join(',');
}
