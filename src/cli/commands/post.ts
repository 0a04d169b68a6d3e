import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { toPostView, type PostView } from '../../core/post-view.js';
import { type Command, type CliIo, parseFlags, required, UsageError } from '../io.js';
import { cliAuthor } from '../actor.js';

export const postUsage =
  'hayon post "<text>" --to bluesky[,platform:handle...] [--at "tomorrow 9am"] [--tz Europe/Berlin] [--media URL|FILE [--alt TEXT]]... [--thread [auto|off] [--no-counter]] [--no-link-preview] [--json]';

export function printPost(io: CliIo, view: PostView, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(view, null, 2));
    return;
  }
  io.out(`${view.id}  ${view.status}  ${view.scheduledAtLocal}  ${snippet(view.text)}`);
  for (const d of view.deliveries) {
    const where = d.account ? `${d.platform}:${d.account}` : d.platform;
    const extra = d.url ?? d.error?.message ?? (d.state === 'scheduled' ? `due ${d.dueAt}` : '');
    const thread = d.thread ? ` (thread: ${d.thread.published}/${d.thread.parts} parts)` : '';
    io.out(`  ${where.padEnd(32)} ${d.state.padEnd(10)} ${extra}${thread}`);
  }
}

/** The start of a post's text on one line, in quotes: `"Launch day! Our new…"`. */
export function snippet(text: string, max = 50): string {
  const line = [...text.replace(/\s+/g, ' ').trim()];
  return JSON.stringify(
    line.length > max
      ? `${line
          .slice(0, max - 1)
          .join('')
          .trimEnd()}…`
      : line.join(''),
  );
}

/** `hayon post`: the same `posts.create()` as the API; the running `hayon serve` publishes it. */
export const postCommand: Command = async ({ args, open, io }) => {
  const { values, positionals } = parseFlags(
    threadFlag(args),
    {
      to: { type: 'string', multiple: true },
      at: { type: 'string' },
      tz: { type: 'string' },
      media: { type: 'string', multiple: true },
      alt: { type: 'string', multiple: true },
      thread: { type: 'boolean' },
      'no-counter': { type: 'boolean' },
      'no-link-preview': { type: 'boolean' },
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
  const files = await readLocalFiles(values.media ?? [], io.cwd);
  const ctx = await open();
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  // Local files go into the media store as uploads; URLs are fetched by posts.create() like the API's.
  const media = await Promise.all(
    (values.media ?? []).map(async (source, i) => {
      const file = files.get(source);
      const ref = file ? { id: await ctx.media.stageFile(workspaceId, file, `--media ${source}`) } : { url: source };
      return { ...ref, ...(alts[i] ? { alt: alts[i] } : {}) };
    }),
  );
  const outcome = await ctx.posts.create(
    {
      text: positionals[0] ?? '',
      targets,
      media,
      ...(values.at ? { when: values.at } : {}),
      ...(values.tz ? { timezone: values.tz } : {}),
      ...(values.thread ? { thread: 'auto' } : {}),
      ...(values['no-counter'] ? { threadCounter: false } : {}),
      ...(values['no-link-preview'] ? { linkPreview: false } : {}),
    },
    {
      workspaceId,
      origin: { kind: 'cli' },
      author: cliAuthor(),
      defaultTimezone: ctx.config.defaultTimezone,
    },
  );
  const view = toPostView(outcome.value, ctx.clock(), outcome.accounts);
  printPost(io, view, values.json ?? false);
  if (!values.json) io.err('Stored. A running `hayon serve` (or `hayon worker`) publishes it when it is due.');
  return 0;
};

/**
 * `--thread` is a switch; `--thread auto` and `--thread off` (the words of `hayon hooks` and the
 * API's `thread`) are taken too, rather than read as a second text.
 */
function threadFlag(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return [...out, ...args.slice(i)];
    const value = arg === '--thread' ? args[i + 1] : /^--thread=(.*)$/.exec(arg)?.[1];
    if (value === 'auto' || value === 'off') {
      if (value === 'auto') out.push('--thread');
      if (arg === '--thread') i++;
      continue;
    }
    if (arg.startsWith('--thread='))
      throw new UsageError(`--thread takes auto or off, not "${value}"\nusage: ${postUsage}`);
    out.push(arg);
  }
  return out;
}

/** The `--media` values that are not http(s) URLs, read as files; a missing file is a usage error. */
export async function readLocalFiles(sources: readonly string[], cwd: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const source of sources) {
    if (/^https?:\/\//i.test(source)) continue;
    try {
      files.set(source, await readFile(path.resolve(cwd, source)));
    } catch {
      throw new UsageError(`--media ${source}: no such file (give a file path or an http(s) URL)\nusage: ${postUsage}`);
    }
  }
  return files;
}
