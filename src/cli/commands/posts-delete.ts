import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import type { DeliveryDeleteResult } from '../../services/posts/posts-service.js';
import { cliActor } from '../actor.js';
import { type CommandContext, parseFlags, UsageError } from '../io.js';
import { printPost } from './post.js';

export const deleteUsage = 'hayon posts delete <id> [--workspace W] [--json]';

const words = {
  deleted: 'deleted',
  cancelled: 'cancelled',
  not_allowed: 'not allowed',
  failed: 'failed',
} as const satisfies Record<DeliveryDeleteResult['result'], string>;

/**
 * `hayon posts delete <id>`: the same `posts.delete()` as `DELETE /v1/posts/:id`: what waits is
 * cancelled, what was published deleted where the platform's API allows it. One line per
 * delivery with what happened and, where it did not, why. Exit 1 when a delete failed (asking
 * again retries it), 2 for a post already deleted or unknown.
 */
export async function postsDelete({ args, open, io }: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { workspace: { type: 'string' }, json: { type: 'boolean' } },
    deleteUsage,
  );
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UsageError(`give one post id\nusage: ${deleteUsage}`);
  const ctx = await open();
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  const { value, results } = await ctx.posts.delete(workspaceId, id, cliActor());
  const view = await ctx.postQueries.view(value, workspaceId);
  if (values.json) {
    io.out(JSON.stringify({ post: view, results }, null, 2));
  } else {
    printPost(io, view, false);
    for (const r of results) {
      const account = view.deliveries.find((d) => d.id === r.deliveryId)?.account;
      const where = account ? `${r.platform}:${account}` : r.platform;
      io.out(`  ${where.padEnd(32)} ${words[r.result]}${r.reason ? `: ${r.reason}` : ''}`);
    }
  }
  return results.some((r) => r.result === 'failed') ? 1 : 0;
}
