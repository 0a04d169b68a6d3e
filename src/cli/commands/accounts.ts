import { readFile } from 'node:fs/promises';
import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { isPlatformId } from '../../core/post.js';
import { cliActor } from '../actor.js';
import { accountsRemove, removeUsage } from './accounts-remove.js';
import { type Command, notePublicUrl, parseFlags, required, UsageError } from '../io.js';

export const usage = `hayon accounts add bluesky --identifier HANDLE --app-password PASSWORD [--service https://bsky.social] [--workspace W]
       hayon accounts add mastodon|tumblr|threads|instagram|facebook --credentials-file FILE|- [--workspace W]
       hayon accounts connect mastodon|bluesky|tumblr|threads|instagram|facebook [--instance mastodon.social] [--workspace W]
       hayon accounts list [--workspace W] [--json]
       hayon accounts check [--workspace W]     verify each account with its platform now
       ${removeUsage}`;

/** What the credentials file holds per platform (each adapter's credentials.ts has the details). */
const credentialShapes: Record<string, string> = {
  mastodon: '{"instanceUrl": "https://mastodon.social", "accessToken": "…"}',
  tumblr: '{"blog": "myblog", "accessToken": "…"} or {"blog", "consumerKey", "consumerSecret", "token", "tokenSecret"}',
  threads: '{"userId": "…", "accessToken": "…"}',
  instagram: '{"igUserId": "…", "accessToken": "…"}',
  facebook: '{"pageId": "…", "pageAccessToken": "…"}',
};

/** `hayon accounts add|list`. Credentials are verified with the platform before they are stored. */
export const accountsCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  if (sub === 'remove') return accountsRemove({ args: rest, open, io });
  const { values, positionals } = parseFlags(
    rest,
    {
      service: { type: 'string' },
      identifier: { type: 'string' },
      'app-password': { type: 'string' },
      'credentials-file': { type: 'string' },
      instance: { type: 'string' },
      workspace: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  if (sub === 'check') {
    // Each account verified with its platform now; one that is refused is marked expired and announced.
    const ctx = await open();
    const checks = await ctx.health.check(workspaceId);
    if (checks.length === 0) io.out('No accounts are connected yet.');
    for (const c of checks) {
      io.out(`${c.account.platform.padEnd(9)} ${c.account.handle}  ${c.result}${c.reason ? `: ${c.reason}` : ''}`);
    }
    return checks.some((c) => c.result === 'expired') ? 1 : 0;
  }
  if (sub === 'connect') {
    // A link to open in a browser (hayon must be reachable there at HAYON_PUBLIC_URL).
    const platform = required(positionals[0], '<platform>', usage);
    const ctx = await open();
    await ctx.workspaces.ensure(workspaceId);
    const { url, expiresAt } = await ctx.connect.link(
      workspaceId,
      platform,
      { kind: 'cli' },
      values.instance ? { instance: values.instance } : {},
    );
    io.out(url);
    io.err(`Open it in a browser before ${new Date(expiresAt).toISOString()}; it works once.`);
    notePublicUrl(io, ctx.config);
    return 0;
  }
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
  if (platform !== 'bluesky') {
    const file = values['credentials-file'];
    if (!file) {
      throw new UsageError(
        `give the ${platform} credentials as a JSON file (or - for stdin), so that no token is on the command line: ${credentialShapes[platform] ?? '{…}'}\nusage: ${usage}`,
      );
    }
    const credentials = parseCredentialsJson(await readText(file), file);
    const ctx = await open();
    const account = await ctx.accounts.add(workspaceId, platform, credentials, cliActor());
    io.out(`${account.id}  ${account.platform}:${account.handle}  ${account.health}`);
    return 0;
  }
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
  const account = await ctx.accounts.add(workspaceId, platform, credentials, cliActor());
  io.out(`${account.id}  ${account.platform}:${account.handle}  ${account.health}`);
  return 0;
};

async function readText(file: string): Promise<string> {
  if (file !== '-') {
    try {
      return await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`cannot read --credentials-file ${file}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function parseCredentialsJson(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--credentials-file ${file} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--credentials-file ${file} must hold one JSON object`);
  }
  return value as Record<string, unknown>;
}
