import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { RecordingTransport } from '../../test/queue/recording-transport.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { seedPost, T0 } from '../../test/store/store-fixtures.js';
import { Scheduler } from './scheduler.js';
import { memoryStoreAndTransport } from '../../test/worker/test-fixtures.js';

describe('Scheduler: the lead', () => {
  let store: SqliteStore;
  let transport: RecordingTransport;
  let now: number;
  const scheduler = (leadMs: number, sendRetryMs?: number) =>
    new Scheduler(
      { store, transport, clock: () => now, log: createLogger('silent') },
      { leadMs, ...(sendRetryMs === undefined ? {} : { sendRetryMs }) },
    );

  beforeEach(async () => {
    ({ store, transport } = await memoryStoreAndTransport());
    now = T0;
  });
  afterEach(async () => store.close());

  it('sends what is due within the lead ahead, with its due time as notBefore; what is due now without', async () => {
    const { post, deliveries } = await seedPost(store, {
      deliveries: [
        { state: 'scheduled', dueAt: T0 - 1_000 },
        { state: 'scheduled', dueAt: T0 + 200 },
        { state: 'scheduled', dueAt: T0 + 400 },
      ],
    });
    expect(await scheduler(250).runOnce()).toBe(2);
    expect(transport.sent).toEqual([
      expect.not.objectContaining({ notBefore: expect.anything() }),
      {
        kind: 'delivery',
        v: 1,
        deliveryId: deliveries[1]!.id,
        postId: post.id,
        platform: 'bluesky',
        correlationId: post.correlationId,
        notBefore: T0 + 200,
      },
    ]);
    expect(transport.sent[0]!.deliveryId).toBe(deliveries[0]!.id);
    expect((await store.getDelivery(deliveries[2]!.id))?.state).toBe('scheduled');
    now = T0 + 150;
    expect(await scheduler(250).runOnce()).toBe(1);
    expect(transport.sent[2]).toMatchObject({ deliveryId: deliveries[2]!.id, notBefore: T0 + 400 });
  });

  it('with no lead takes only what is due', async () => {
    const { deliveries } = await seedPost(store, { deliveries: [{ state: 'scheduled', dueAt: T0 + 1 }] });
    expect(await scheduler(0).runOnce()).toBe(0);
    now = T0 + 1;
    expect(await scheduler(0).runOnce()).toBe(1);
    expect(transport.sent).toEqual([expect.objectContaining({ deliveryId: deliveries[0]!.id })]);
    expect(transport.sent[0]).not.toHaveProperty('notBefore');
  });
});

describe('Scheduler: a send the broker refuses', () => {
  let store: SqliteStore;
  let transport: RecordingTransport;
  const make = (sendRetryMs: number) =>
    new Scheduler({ store, transport, clock: () => T0, log: createLogger('silent') }, { sendRetryMs });

  beforeEach(async () => {
    ({ store, transport } = await memoryStoreAndTransport());
  });
  afterEach(async () => store.close());

  it('is tried again until the broker takes it, so the delivery does not wait for the sweeper', async () => {
    const { deliveries } = await seedPost(store, { deliveries: [{ state: 'scheduled', dueAt: T0 - 10 }] });
    transport.refusals = 3;
    expect(await make(30_000).runOnce()).toBe(1);
    expect(transport.sendCalls).toBe(4);
    expect(transport.sent.map((m) => m.deliveryId)).toEqual([deliveries[0]!.id]);
  });

  it('a failed read of the correlation ids is tried again as well', async () => {
    const { post, deliveries } = await seedPost(store, { deliveries: [{ state: 'scheduled', dueAt: T0 - 10 }] });
    let failures = 2;
    const flaky = new Proxy(store, {
      get(target, key) {
        if (key === 'correlationIds' && failures > 0) {
          failures--;
          return async () => {
            throw new Error('store away');
          };
        }
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const s = new Scheduler({ store: flaky, transport, clock: () => T0, log: createLogger('silent') });
    expect(await s.runOnce()).toBe(1);
    expect(failures).toBe(0);
    expect(transport.sent).toEqual([
      expect.objectContaining({ deliveryId: deliveries[0]!.id, correlationId: post.correlationId }),
    ]);
  });

  it('gives up after sendRetryMs and leaves the delivery queued for the sweeper', async () => {
    const { deliveries } = await seedPost(store, { deliveries: [{ state: 'scheduled', dueAt: T0 - 10 }] });
    transport.refusals = 1_000;
    await expect(make(500).runOnce()).rejects.toThrow('broker unreachable');
    expect(transport.sendCalls).toBeGreaterThan(1);
    expect(transport.sent).toEqual([]);
    expect((await store.getDelivery(deliveries[0]!.id))?.state).toBe('queued');
  });

  it('dispatch of a just-created delivery is tried again too', async () => {
    const { post, deliveries } = await seedPost(store, { deliveries: [{ state: 'scheduled', dueAt: T0 - 10 }] });
    const s = make(30_000);
    s.start();
    transport.refusals = 2;
    s.dispatch([
      {
        kind: 'delivery',
        v: 1,
        deliveryId: deliveries[0]!.id,
        postId: post.id,
        platform: 'bluesky',
        correlationId: post.correlationId,
      },
    ]);
    while (transport.sent.length === 0) await new Promise((r) => setTimeout(r, 20));
    await s.stop();
    expect(transport.sendCalls).toBe(3);
    expect(transport.sent.map((m) => m.deliveryId)).toEqual([deliveries[0]!.id]);
  });
});
