import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { defaultScopes, parseScopes } from '../../services/accounts/api-tokens.js';
import type { ApiToken } from '../../core/post.js';
import { cliActor } from '../actor.js';
import { type Command, parseFlags, required, UsageError } from '../io.js';

export const usage = `hayon tokens create --name NAME [--scopes posts:write,posts:read,accounts:manage] [--workspace W]
       hayon tokens list [--json] [--workspace W]
       hayon tokens revoke <id> [--workspace W]`;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** What is shown of a token: never its secret, nor its hash. */
function shown(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    createdAt: iso(t.createdAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  };
}

/**
 * `hayon tokens create | list | revoke`: API tokens are printed once at creation and stored
 * hashed; each has scopes (default posts:write and posts:read) and can be revoked (a 401 from
 * then on).
 */
export const tokensCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(
    rest,
    { name: { type: 'string' }, scopes: { type: 'string' }, workspace: { type: 'string' }, json: { type: 'boolean' } },
    usage,
  );
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  switch (sub) {
    case 'create': {
      const name = required(values.name, '--name', usage);
      let scopes = [...defaultScopes];
      try {
        if (values.scopes !== undefined) scopes = parseScopes(values.scopes);
      } catch (e) {
        throw new UsageError(`--scopes: ${(e as Error).message}\nusage: ${usage}`);
      }
      const ctx = await open();
      const { token, record } = await ctx.tokens.create(workspaceId, name, cliActor(), scopes);
      io.out(token);
      io.err(
        `API token "${name}" (${record.id}, ${record.scopes.join(', ')}) for workspace ${workspaceId}. ` +
          'It is shown once: keep it now.',
      );
      return 0;
    }
    case 'list': {
      const ctx = await open();
      const tokens = (await ctx.tokens.list(workspaceId)).map(shown);
      if (values.json) {
        io.out(JSON.stringify(tokens, null, 2));
        return 0;
      }
      if (tokens.length === 0) io.err('No API tokens yet (hayon tokens create --name NAME).');
      for (const t of tokens) {
        const state = t.revokedAt ? `REVOKED ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`;
        io.out(`${t.id}  "${t.name}"  ${t.scopes.join(',')}  created ${t.createdAt}  ${state}`);
      }
      return 0;
    }
    case 'revoke': {
      const id = required(positionals[0], '<id>', usage);
      const ctx = await open();
      const token = await ctx.tokens.revoke(workspaceId, id, cliActor());
      if (!token) {
        throw new UsageError(`no API token ${id} in workspace ${workspaceId} (hayon tokens list shows them)`);
      }
      io.out(`${id} revoked`);
      io.err(`Requests with "${token.name}" are refused (401) from now on.`);
      return 0;
    }
    default:
      throw new UsageError(`unknown tokens command "${sub ?? ''}"\nusage: ${usage}`);
  }
};
