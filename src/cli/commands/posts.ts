import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { cliActor } from '../actor.js';
import { type Command, parseFlags, UsageError } from '../io.js';
import { printPost } from './post.js';
import { printPostLog } from './post-log.js';
import { editUsage, postsEdit, postsRetry, retryUsage } from './posts-change.js';
import { deleteUsage, postsDelete } from './posts-delete.js';

export const usage = `hayon posts show <id> [--log] | posts list [--limit N] | posts cancel <id>  [--workspace W] [--json]
  ${retryUsage}
  ${editUsage}
  ${deleteUsage}`;

/** `hayon posts show [--log]|list|cancel|retry|edit`. */
export const postsCommand: Command = async ({ args, open, io, ...more }) => {
  const [sub, ...rest] = args;
  if (sub === 'retry') return postsRetry({ args: rest, open, io, ...more });
  if (sub === 'edit') return postsEdit({ args: rest, open, io, ...more });
  if (sub === 'delete') return postsDelete({ args: rest, open, io, ...more });
  const { values, positionals } = parseFlags(
    rest,
    { workspace: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' }, log: { type: 'boolean' } },
    usage,
  );
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  const json = values.json ?? false;
  if (sub === 'list') {
    const limit = Number(values.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new UsageError(`--limit must be 1 to 1000\nusage: ${usage}`);
    const ctx = await open();
    const views = await ctx.postQueries.list(workspaceId, { limit });
    if (views.length === 0 && !json) io.err('No posts yet: hayon post "…" --to bluesky makes one.');
    for (const view of views) printPost(io, view, json);
    return 0;
  }
  if (sub !== 'show' && sub !== 'cancel') throw new UsageError(`unknown posts command "${sub ?? ''}"\nusage: ${usage}`);
  const id = positionals[0];
  if (!id) throw new UsageError(`missing post id\nusage: ${usage}`);
  if (values.log && sub !== 'show') throw new UsageError(`--log goes with posts show\nusage: ${usage}`);
  const ctx = await open();
  if (values.log) {
    printPostLog(io, await ctx.postQueries.history(workspaceId, id), json);
    return 0;
  }
  const value =
    sub === 'show' ? await ctx.posts.get(workspaceId, id) : await ctx.posts.cancel(workspaceId, id, cliActor());
  printPost(io, await ctx.postQueries.view(value, workspaceId), json);
  return 0;
};
