import type { AppContext } from '../../app-context.js';
import type { TransportMessage } from '../../queue/transport.js';
import { cliActor } from '../actor.js';
import { type Command, parseFlags, UsageError } from '../io.js';

const usage = 'hayon queue status [--json] | hayon queue replay-parked [--limit N]';

/**
 * `hayon queue status`: deliveries per state from the store, and on RabbitMQ the messages waiting
 * per queue (main, each retry tier, parking lot, dead letters). `hayon queue replay-parked`:
 * gives parked deliveries a new set of attempts after their cause was fixed.
 */
export const queueCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values } = parseFlags(rest, { json: { type: 'boolean' }, limit: { type: 'string' } }, usage);
  if (sub === 'status') {
    const ctx = await open();
    const deliveries = await ctx.store.countDeliveries();
    const nextDue = await ctx.store.nextDueAt();
    const queues = ctx.transport.admin ? await ctx.transport.admin.counts() : undefined;
    if (values.json) {
      io.out(JSON.stringify({ deliveries, nextDueAt: nextDue && new Date(nextDue).toISOString(), queues }, null, 2));
      return 0;
    }
    io.out('deliveries by state:');
    for (const [state, n] of Object.entries(deliveries)) io.out(`  ${state.padEnd(12)} ${n}`);
    io.out(`next due: ${nextDue === null ? 'nothing scheduled' : new Date(nextDue).toISOString()}`);
    if (queues) {
      io.out(`queues (${ctx.config.transport.kind}):`);
      for (const [queue, n] of Object.entries(queues)) io.out(`  ${queue.padEnd(28)} ${n}`);
    }
    return 0;
  }
  if (sub === 'replay-parked') {
    const limit = Number(values.limit ?? 1000);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit must be a positive number\nusage: ${usage}`);
    const ctx = await open();
    const admin = ctx.transport.admin;
    if (!admin) {
      throw new UsageError(
        'the in-process transport has no parking lot: parked deliveries are `failed` in `hayon posts show`',
      );
    }
    const result = await admin.replayParked(limit, (m) => revive(ctx, m));
    io.out(`replayed ${result.replayed}, dropped ${result.dropped} (their deliveries were no longer failed)`);
    return 0;
  }
  throw new UsageError(`unknown queue command "${sub ?? ''}"\nusage: ${usage}`);
};

/** A parked delivery back to `queued` with a new set of attempts, in the audit log as replayed. */
async function revive(ctx: AppContext, m: TransportMessage): Promise<boolean> {
  if (!(await ctx.store.reviveDelivery(m.deliveryId, ctx.clock()))) return false;
  const d = await ctx.store.getDelivery(m.deliveryId);
  if (d) {
    await ctx.audit.record({
      workspaceId: d.workspaceId,
      actor: cliActor(),
      action: 'delivery.replayed',
      target: d.id,
      details: { postId: d.postId, platform: d.platform },
    });
  }
  return true;
}
