import type { ChannelModel, GetMessage } from 'amqplib';
import type { QueueAdmin, TransportMessage } from '../transport.js';
import { decode } from './messages.js';
import { allQueues, type Names } from './topology.js';

export interface AdminHost {
  readonly names: Names;
  connection(): Promise<ChannelModel>;
  send(messages: TransportMessage[]): Promise<void>;
}

/** Messages taken from the parking lot per round (one confirm round trip per round). */
const replayBatch = 100;

/** `hayon queue status` and `hayon queue replay-parked` on RabbitMQ. */
export function rabbitQueueAdmin(host: AdminHost): QueueAdmin {
  return {
    counts: () => counts(host),
    backlog: () => backlog(host),
    replayParked: (limit, revive) => replayParked(host, limit, revive),
  };
}

/** Messages ready in the main queue, each retry tier, the parking lot and the dead letters. */
async function counts(host: AdminHost): Promise<Record<string, number>> {
  const ch = await (await host.connection()).createChannel();
  try {
    const out: Record<string, number> = {};
    for (const q of allQueues(host.names)) out[q] = (await ch.checkQueue(q)).messageCount;
    return out;
  } finally {
    await ch.close().catch(() => {});
  }
}

async function backlog(host: AdminHost): Promise<number> {
  const ch = await (await host.connection()).createChannel();
  try {
    return (await ch.checkQueue(host.names.mainQueue)).messageCount;
  } finally {
    await ch.close().catch(() => {});
  }
}

/**
 * Moves up to `limit` parked messages back to `post_exchange`, those whose delivery `revive`
 * brought back to `queued`; the others are dropped. A round's messages are acked (removed from
 * the parking lot) only after their resend was confirmed: a crash in between leaves them parked,
 * and a message sent twice is dropped by the claim.
 */
async function replayParked(
  host: AdminHost,
  limit: number,
  revive: (m: TransportMessage) => Promise<boolean>,
): Promise<{ replayed: number; dropped: number }> {
  const ch = await (await host.connection()).createChannel();
  let replayed = 0;
  let dropped = 0;
  try {
    while (replayed + dropped < limit) {
      const taken: GetMessage[] = [];
      const resend: TransportMessage[] = [];
      while (taken.length < Math.min(replayBatch, limit - replayed - dropped)) {
        const got = await ch.get(host.names.parkingLot, { noAck: false });
        if (!got) break;
        taken.push(got);
        const message = decode(got.content);
        if (message && (await revive(message))) resend.push(message);
      }
      if (taken.length === 0) break;
      await host.send(resend);
      ch.ack(taken[taken.length - 1]!, true);
      replayed += resend.length;
      dropped += taken.length - resend.length;
      if (taken.length < replayBatch) break;
    }
  } finally {
    // Anything taken but not acked (an error above) goes back to the parking lot.
    await ch.close().catch(() => {});
  }
  return { replayed, dropped };
}
