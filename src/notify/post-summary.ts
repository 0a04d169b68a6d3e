import type { Account, Delivery, PostWithDeliveries } from '../core/post.js';
import { platformNames } from '../core/platform-names.js';

/**
 * The one line a chat message shows for a post as its deliveries progress, shared by Slack and
 * Discord: "Scheduled", "Publishing…", "2/3 published, Tumblr failed", "Published", "Cancelled".
 */
export function summaryLine(value: PostWithDeliveries, accounts: readonly Account[] = []): string {
  const { deliveries } = value;
  const total = deliveries.length;
  const count = (state: Delivery['state']) => deliveries.filter((d) => d.state === state).length;
  const names = (state: Delivery['state']) =>
    deliveries.filter((d) => d.state === state).map((d) => targetName(d, accounts));
  const published = count('published');
  const failed = names('failed');
  const cancelled = count('cancelled');
  const deleted = count('deleted');
  if (cancelled === total) return 'Cancelled';
  if (deleted > 0 && deleted + cancelled + failed.length === total) return 'Deleted';
  if (published === total) return total === 1 ? 'Published' : `Published to all ${total}`;
  const waiting = count('scheduled');
  if (waiting === total) return 'Scheduled';
  const parts: string[] = [];
  if (published > 0 || failed.length > 0) parts.push(`${published}/${total} published`);
  if (failed.length) parts.push(`${failed.join(', ')} failed`);
  const inFlight = total - published - failed.length - cancelled - deleted;
  if (inFlight > 0 && published + failed.length > 0) parts.push(`${inFlight} still going`);
  if (cancelled > 0 && cancelled < total) parts.push(`${cancelled} cancelled`);
  if (deleted > 0) parts.push(`${deleted} deleted`);
  return parts.length ? parts.join(', ') : 'Publishing…';
}

/** `Bluesky @me.bsky.social`, or the platform alone when the account is unknown. */
export function targetName(delivery: Pick<Delivery, 'platform' | 'accountId'>, accounts: readonly Account[]): string {
  const account = accounts.find((a) => a.id === delivery.accountId);
  return account ? `${platformNames[delivery.platform]} ${account.handle}` : platformNames[delivery.platform];
}

/** Whether the post still has something to cancel or to publish now (the buttons are shown). */
export function stillScheduled(value: PostWithDeliveries): boolean {
  return value.deliveries.some((d) => d.state === 'scheduled');
}

/** Whether something of the post is out (or half out: a thread that failed part-way), so a Delete button is shown. */
export function somethingPublished(value: PostWithDeliveries): boolean {
  return value.deliveries.some((d) => d.state === 'published' || (d.state === 'failed' && (d.chain?.length ?? 0) > 0));
}

/** What to do after a delivery failed for good, by the kind of failure. */
export function whatToDo(delivery: Delivery): string {
  switch (delivery.lastError?.kind) {
    case 'auth':
      return `Reconnect the ${platformNames[delivery.platform]} account (\`hayon accounts add ${delivery.platform} …\`), then press Retry.`;
    case 'invalid':
      return 'Change what the platform refused and post again.';
    default:
      return `It was tried several times; press Retry when the platform is back (or \`hayon posts retry ${delivery.postId}\`).`;
  }
}
