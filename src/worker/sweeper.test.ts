import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { RecordingTransport } from '../../test/queue/recording-transport.js';
import { MINUTE, seedPost, T0 } from '../../test/store/store-fixtures.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { Sweeper } from './sweeper.js';
import { memoryStoreAndTransport } from '../../test/worker/test-fixtures.js';

describe('Sweeper', () => {
  let store: SqliteStore;
  let transport: RecordingTransport;
  let now: number;
  const sweeper = () =>
    new Sweeper(
      { store, transport, clock: () => now, log: createLogger('silent') },
      { strandedAfterMs: MINUTE, strandedWhileBusyAfterMs: 10 * MINUTE, batchSize: 100 },
    );

  beforeEach(async () => {
    ({ store, transport } = await memoryStoreAndTransport());
    now = T0;
  });
  afterEach(async () => store.close());

  it('resends a queued delivery long past due once per threshold, not on every pass', async () => {
    const { deliveries } = await seedPost(store, {
      deliveries: [
        { state: 'queued', dueAt: T0 - 2 * MINUTE },
        { state: 'queued', dueAt: T0 },
      ],
    });
    expect(await sweeper().sweep()).toEqual({ expired: 0, stranded: 1 });
    expect(transport.sent.map((m) => m.deliveryId)).toEqual([deliveries[0]!.id]);
    now = T0 + 30_000;
    expect(await sweeper().sweep()).toEqual({ expired: 0, stranded: 0 });
    now = T0 + MINUTE + 1;
    expect((await sweeper().sweep()).stranded).toBe(2);
  });

  it('while the broker has a backlog, waits the longer threshold: the message is probably in that queue', async () => {
    await seedPost(store, { deliveries: [{ state: 'queued', dueAt: T0 - 2 * MINUTE }] });
    transport.waiting = 500;
    expect((await sweeper().sweep()).stranded).toBe(0);
    now = T0 + 9 * MINUTE;
    expect((await sweeper().sweep()).stranded).toBe(1);
    expect(transport.sent).toHaveLength(1);
  });

  it('looks for stranded deliveries at most every quarter of the threshold, leases on every sweep', async () => {
    const one = sweeper();
    expect((await one.sweep()).stranded).toBe(0);
    await seedPost(store, {
      deliveries: [
        { state: 'queued', dueAt: T0 - 2 * MINUTE },
        { state: 'publishing', dueAt: T0 - MINUTE, attempts: 1, leaseOwner: 'dead', leaseExpiresAt: T0 - 1 },
      ],
    });
    now = T0 + 10_000;
    expect(await one.sweep()).toEqual({ expired: 1, stranded: 0 });
    now = T0 + MINUTE / 4;
    expect(await one.sweep()).toEqual({ expired: 0, stranded: 1 });
  });

  it('sends deliveries whose lease ran out at once, marked unknown so the next attempt reconciles', async () => {
    const { deliveries } = await seedPost(store, {
      deliveries: [
        { state: 'publishing', dueAt: T0 - MINUTE, attempts: 1, leaseOwner: 'dead', leaseExpiresAt: T0 - 1 },
      ],
    });
    transport.waiting = 500;
    expect(await sweeper().sweep()).toEqual({ expired: 1, stranded: 0 });
    expect(transport.sent.map((m) => m.deliveryId)).toEqual([deliveries[0]!.id]);
    expect((await store.getDelivery(deliveries[0]!.id))?.state).toBe('unknown');
  });
});
