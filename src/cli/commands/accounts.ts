import { defaultWorkspaceId } from '../../accounts/accounts-service.js';
import { isPlatformId } from '../../core/post.js';
import { type Command, parseFlags, required, UsageError } from '../io.js';

const usage =
  'hayon accounts add bluesky --identifier HANDLE --app-password PASSWORD [--service https://bsky.social] [--workspace W]\n       hayon accounts list [--workspace W] [--json]';

/** `hayon accounts add|list`. Credentials are verified with the platform before they are stored. */
export const accountsCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(
    rest,
    {
      service: { type: 'string' },
      identifier: { type: 'string' },
      'app-password': { type: 'string' },
      workspace: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  if (sub === 'list') {
    const ctx = await open();
    const accounts = await ctx.accounts.list(workspaceId);
    if (values.json) {
      io.out(
        JSON.stringify(
          accounts.map(({ credentials: _, ...a }) => a),
          null,
          2,
        ),
      );
      return 0;
    }
    if (accounts.length === 0) io.err('No accounts yet: hayon accounts add bluesky --identifier … --app-password …');
    for (const a of accounts) {
      io.out(
        `${a.id}  ${`${a.platform}:${a.handle}`.padEnd(40)} ${a.health}${a.healthReason ? ` (${a.healthReason})` : ''}`,
      );
    }
    return 0;
  }
  if (sub !== 'add') throw new UsageError(`unknown accounts command "${sub ?? ''}"\nusage: ${usage}`);
  const platform = positionals[0];
  if (!platform || !isPlatformId(platform)) throw new UsageError(`name a platform: bluesky\nusage: ${usage}`);
  if (platform !== 'bluesky') throw new UsageError(`${platform} accounts cannot be added yet; bluesky can`);
  const credentials = {
    service: values.service ?? 'https://bsky.social',
    identifier: required(values.identifier, '--identifier', usage),
    appPassword: required(values['app-password'], '--app-password', usage),
  };
  try {
    new URL(credentials.service);
  } catch {
    throw new UsageError(`--service must be a URL such as https://bsky.social`);
  }
  const ctx = await open();
  const account = await ctx.accounts.add(workspaceId, platform, credentials);
  io.out(`${account.id}  ${account.platform}:${account.handle}  ${account.health}`);
  return 0;
};
