import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { cliActor } from '../actor.js';
import { type Command, notePublicUrl, parseFlags, UsageError } from '../io.js';

export const usage = 'hayon web login [--workspace W]';

/**
 * `hayon web login`: prints a link that signs a browser in to the web page (`/app`) once, within
 * 15 minutes, acting as whoever ran the command. The link is on stdout alone (for scripts).
 */
export const webCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values } = parseFlags(rest, { workspace: { type: 'string' } }, usage);
  if (sub !== 'login') throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : 'which one?'}\nusage: ${usage}`);
  const workspaceId = values.workspace ?? defaultWorkspaceId;
  const ctx = await open();
  await ctx.workspaces.ensure(workspaceId);
  const { url, expiresAt } = await ctx.webSessions.createLink(workspaceId, cliActor());
  io.out(url);
  io.err(
    `Open it in your browser to sign in to workspace ${workspaceId}: it works once, until ` +
      `${new Date(expiresAt).toISOString()} (15 minutes). Do not share it.`,
  );
  notePublicUrl(io, ctx.config);
  return 0;
};
