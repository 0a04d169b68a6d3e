import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { toPostView } from '../../core/post-view.js';
import { cliActor } from '../actor.js';
import { type CommandContext, parseFlags, UsageError } from '../io.js';
import { printPost, readLocalFiles } from './post.js';

export const retryUsage = 'hayon posts retry <id> [--workspace W] [--json]';
export const editUsage =
  'hayon posts edit <id> [--text "<text>"] [--to bluesky,...] [--at "tomorrow 9am"] [--tz Europe/Berlin] [--media URL|FILE [--alt TEXT]]... [--no-media] [--thread [--no-counter]] [--no-link-preview] [--workspace W] [--json]';

/**
 * `hayon posts retry <id>`: the post's failed deliveries due again, with the same keys. The
 * running `hayon serve` (or the scheduler of a scaled setup) sends them.
 */
export async function postsRetry({ args, open, io }: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { workspace: { type: 'string' }, json: { type: 'boolean' } },
    retryUsage,
  );
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UsageError(`give one post id\nusage: ${retryUsage}`);
  const ctx = await open();
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  const value = await ctx.posts.retry(workspaceId, id, cliActor());
  printPost(io, await ctx.postQueries.view(value, workspaceId), values.json ?? false);
  if (!values.json) io.err('Due again. A running `hayon serve` (or `hayon worker`) sends the failed deliveries now.');
  return 0;
}

/**
 * `hayon posts edit <id> --text … --at …`: the same `posts.edit()` as `PATCH /v1/posts/:id`; each
 * flag given replaces that part of the post (`--to` and `--media` all of their kind).
 */
export async function postsEdit({ args, open, io }: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      text: { type: 'string' },
      to: { type: 'string', multiple: true },
      at: { type: 'string' },
      tz: { type: 'string' },
      media: { type: 'string', multiple: true },
      alt: { type: 'string', multiple: true },
      'no-media': { type: 'boolean' },
      thread: { type: 'boolean' },
      'no-counter': { type: 'boolean' },
      'no-link-preview': { type: 'boolean' },
      workspace: { type: 'string' },
      json: { type: 'boolean' },
    },
    editUsage,
  );
  const id = positionals[0];
  if (!id) throw new UsageError(`missing post id\nusage: ${editUsage}`);
  if (positionals.length > 1) throw new UsageError(`put the new text in --text "…"\nusage: ${editUsage}`);
  const alts = values.alt ?? [];
  if (alts.length > (values.media?.length ?? 0))
    throw new UsageError(`each --alt follows a --media\nusage: ${editUsage}`);
  if (values['no-media'] && values.media) throw new UsageError(`--media or --no-media, not both\nusage: ${editUsage}`);
  const files = await readLocalFiles(values.media ?? [], io.cwd);
  const ctx = await open();
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  const media = values['no-media']
    ? []
    : values.media &&
      (await Promise.all(
        values.media.map(async (source, i) => {
          const file = files.get(source);
          const ref = file
            ? { id: await ctx.media.stageFile(workspaceId, file, `--media ${source}`) }
            : { url: source };
          return { ...ref, ...(alts[i] ? { alt: alts[i] } : {}) };
        }),
      ));
  const targets = values.to
    ?.join(',')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const patch = {
    ...(values.text !== undefined ? { text: values.text } : {}),
    ...(targets ? { targets } : {}),
    ...(values.at ? { when: values.at } : {}),
    ...(values.tz ? { timezone: values.tz } : {}),
    ...(media ? { media } : {}),
    ...(values.thread ? { thread: 'auto' } : {}),
    ...(values['no-counter'] ? { threadCounter: false } : {}),
    ...(values['no-link-preview'] ? { linkPreview: false } : {}),
  };
  if (Object.keys(patch).length === 0) {
    throw new UsageError(
      `nothing to change: give --text, --to, --at, --tz, --media or another flag\nusage: ${editUsage}`,
    );
  }
  const outcome = await ctx.posts.edit(workspaceId, id, patch, cliActor());
  printPost(io, toPostView(outcome.value, ctx.clock(), outcome.accounts), values.json ?? false);
  return 0;
}
