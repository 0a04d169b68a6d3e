import type { PlatformStatus } from '../../services/queue-service.js';
import { cliActor } from '../actor.js';
import { type CliIo, type Command, parseFlags, UsageError } from '../io.js';

export const usage = 'hayon queue status [--json] | hayon queue replay-parked [--limit N]';

/**
 * `hayon queue status`: deliveries per state, then per platform (scheduled and the next due,
 * queued, in flight, the oldest due among those, parked, failed) from the store, and on RabbitMQ
 * the messages waiting per queue (main, each retry tier, parking lot, dead letters). `hayon queue replay-parked`:
 * gives parked deliveries a new set of attempts after their cause was fixed.
 */
export const queueCommand: Command = async ({ args, open, io }) => {
  const [sub, ...rest] = args;
  const { values } = parseFlags(rest, { json: { type: 'boolean' }, limit: { type: 'string' } }, usage);
  if (sub === 'status') {
    const ctx = await open();
    const { deliveries, nextDueAt: nextDue, platforms } = await ctx.queue.status();
    const queues = ctx.transport.admin ? await ctx.transport.admin.counts() : undefined;
    if (values.json) {
      const nextDueAt = nextDue && new Date(nextDue).toISOString();
      io.out(JSON.stringify({ deliveries, nextDueAt, platforms, queues }, null, 2));
      return 0;
    }
    io.out('deliveries by state:');
    for (const [state, n] of Object.entries(deliveries)) io.out(`  ${state.padEnd(12)} ${n}`);
    io.out(`next due: ${nextDue === null ? 'nothing scheduled' : new Date(nextDue).toISOString()}`);
    printPlatforms(io, platforms);
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
    const result = await admin.replayParked(limit, (m) => ctx.queue.revive(m.deliveryId, cliActor()));
    io.out(`replayed ${result.replayed}, dropped ${result.dropped} (their deliveries were no longer failed)`);
    return 0;
  }
  throw new UsageError(`unknown queue command "${sub ?? ''}"\nusage: ${usage}`);
};

function printPlatforms(io: CliIo, platforms: readonly PlatformStatus[]): void {
  if (platforms.length === 0) return;
  io.out('per platform:');
  const head = ['platform', 'scheduled', 'next due', 'queued', 'in flight', 'oldest due', 'parked', 'failed'];
  const rows = platforms.map((p) => [
    p.platform,
    String(p.scheduled),
    p.nextDueAt ?? '-',
    String(p.queued),
    String(p.inFlight),
    p.oldestDueAt ?? '-',
    String(p.parked),
    String(p.failed),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of [head, ...rows]) io.out(`  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
}
