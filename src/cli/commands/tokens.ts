import { defaultWorkspaceId } from '../../accounts/accounts-service.js';
import { createApiToken } from '../../accounts/api-tokens.js';
import { type Command, parseFlags, required, UsageError } from '../io.js';

const usage = 'hayon tokens create --name NAME [--workspace W]';

/** `hayon tokens create`: prints the token once; only its hash is stored. */
export const tokensCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values } = parseFlags(rest, { name: { type: 'string' }, workspace: { type: 'string' } }, usage);
  if (sub !== 'create') throw new UsageError(`unknown tokens command "${sub ?? ''}"\nusage: ${usage}`);
  const name = required(values.name, '--name', usage);
  const ctx = await open();
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  await ctx.accounts.ensureWorkspace(workspaceId, workspaceId === defaultWorkspaceId ? 'Default' : workspaceId);
  const { token } = await createApiToken(ctx.store, workspaceId, name, ctx.clock);
  io.out(token);
  io.err(`API token "${name}" for workspace ${workspaceId}. It is shown once: keep it now.`);
  return 0;
};
