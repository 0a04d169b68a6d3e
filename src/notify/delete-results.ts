import { platformNames } from '../core/platform-names.js';
import type { Account } from '../core/post.js';
import type { DeliveryDeleteResult } from '../services/posts/posts-service.js';
import { targetName } from './post-summary.js';

/**
 * A delete's outcome in plain sentences for a chat, one line per delivery: "Deleted from Bluesky
 * @me.bsky.social.", "Instagram @me: Instagram's API cannot delete a post: delete it in the
 * Instagram app (https://…).". Shared by Slack and Discord.
 */
export function deleteResultLines(results: readonly DeliveryDeleteResult[], accounts: readonly Account[]): string[] {
  return results.map((r) => {
    const name = targetName(r, accounts);
    switch (r.result) {
      case 'deleted':
        return `Deleted from ${name}.`;
      case 'cancelled':
        return `Cancelled on ${name}: it had not gone out.`;
      case 'not_allowed':
        return `${name}: ${r.reason ?? `${platformNames[r.platform]} cannot delete posts through its API.`}`;
      default:
        return `${name}: not deleted. ${r.reason ?? ''}`.trim();
    }
  });
}
