import { defaultWorkspaceId } from '../../accounts/accounts-service.js';
import { toPostView, type PostView } from '../../core/post-view.js';
import { type Command, type CliIo, parseFlags, required, UsageError } from '../io.js';

const postUsage =
  'hayon post "<text>" --to bluesky[,platform:handle...] [--at "tomorrow 9am"] [--tz Europe/Berlin] [--media URL [--alt TEXT]]... [--thread [--no-counter]] [--json]';

export function printPost(io: CliIo, view: PostView, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(view, null, 2));
    return;
  }
  io.out(`${view.id}  ${view.status}  ${view.scheduledAtLocal}`);
  for (const d of view.deliveries) {
    const where = d.account ? `${d.platform}:${d.account}` : d.platform;
    const extra = d.url ?? d.error?.message ?? (d.state === 'scheduled' ? `due ${d.dueAt}` : '');
    const thread = d.thread ? ` (thread: ${d.thread.published}/${d.thread.parts} parts)` : '';
    io.out(`  ${where.padEnd(32)} ${d.state.padEnd(10)} ${extra}${thread}`);
  }
}

/** `hayon post`: the same `posts.create()` as the API; the running `hayon serve` publishes it. */
export const postCommand: Command = async ({ args, open, io }) => {
  const { values, positionals } = parseFlags(
    args,
    {
      to: { type: 'string', multiple: true },
      at: { type: 'string' },
      tz: { type: 'string' },
      media: { type: 'string', multiple: true },
      alt: { type: 'string', multiple: true },
      thread: { type: 'boolean' },
      'no-counter': { type: 'boolean' },
      workspace: { type: 'string' },
      json: { type: 'boolean' },
    },
    postUsage,
  );
  if (positionals.length > 1) throw new UsageError(`put the text in quotes: one text argument\nusage: ${postUsage}`);
  const targets = required(values.to?.join(','), '--to', postUsage)
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const alts = values.alt ?? [];
  if (alts.length > (values.media?.length ?? 0))
    throw new UsageError(`each --alt follows a --media\nusage: ${postUsage}`);
  const ctx = await open();
  const outcome = await ctx.posts.create(
    {
      text: positionals[0] ?? '',
      targets,
      media: (values.media ?? []).map((url, i) => ({ url, ...(alts[i] ? { alt: alts[i] } : {}) })),
      ...(values.at ? { when: values.at } : {}),
      ...(values.tz ? { timezone: values.tz } : {}),
      ...(values.thread ? { thread: 'auto' } : {}),
      ...(values['no-counter'] ? { threadCounter: false } : {}),
    },
    {
      workspaceId: values.workspace ?? defaultWorkspaceId,
      origin: { kind: 'cli' },
      defaultTimezone: ctx.config.defaultTimezone,
    },
  );
  const view = toPostView(outcome.value, ctx.clock(), outcome.accounts);
  printPost(io, view, values.json ?? false);
  if (!values.json) io.err('Stored. A running `hayon serve` (or `hayon worker`) publishes it when it is due.');
  return 0;
};
