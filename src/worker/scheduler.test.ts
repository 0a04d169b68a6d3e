import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { RecordingTransport } from '../queue/recording-transport.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { seedPost, T0 } from '../store/store-fixtures.js';
import { Scheduler } from './scheduler.js';

describe('Scheduler: the lead', () => {
  let store: SqliteStore;
  let transport: RecordingTransport;
  let now: number;
  const scheduler = (leadMs: number) =>
    new Scheduler({ store, transport, clock: () => now, log: createLogger('silent') }, { leadMs });

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.init();
    transport = new RecordingTransport();
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
