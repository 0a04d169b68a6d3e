import { defaultWorkspaceId } from '../../services/accounts/accounts-service.js';
import { cliActor } from '../actor.js';
import { type CommandContext, parseFlags, UsageError } from '../io.js';

export const removeUsage = 'hayon accounts remove <id> [--cancel-waiting] [--workspace W]';

/**
 * `hayon accounts remove <id>`: the account and its credentials go (as `DELETE
 * /v1/accounts/:id`). Refused (exit 2, naming the waiting posts and their times) while deliveries
 * for it wait, unless `--cancel-waiting` cancels them with it.
 */
export async function accountsRemove({
  args,
  open,
  io,
}: Pick<CommandContext, 'args' | 'open' | 'io'>): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { 'cancel-waiting': { type: 'boolean' }, workspace: { type: 'string' } },
    removeUsage,
  );
  const id = positionals[0];
  if (!id || positionals.length > 1) {
    throw new UsageError(`give one account id (hayon accounts list shows them)\nusage: ${removeUsage}`);
  }
  const ctx = await open();
  const { account, cancelled } = await ctx.accounts.remove(values.workspace ?? defaultWorkspaceId, id, {
    cancelWaiting: values['cancel-waiting'] ?? false,
    cancelHint: '--cancel-waiting',
    actor: cliActor(),
  });
  const also = cancelled > 0 ? `; ${cancelled} waiting ${cancelled === 1 ? 'delivery' : 'deliveries'} cancelled` : '';
  io.out(`Removed ${account.id}  ${account.platform}:${account.handle}${also}.`);
  return 0;
}
