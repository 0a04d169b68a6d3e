import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { DeliveryEvent, Notifier } from '../notify/notifier.js';
import { notifyFinished, notifyPatiently } from './notify-patiently.js';

const event = { kind: 'published' } as unknown as DeliveryEvent;

function failing(times: number): Notifier & { calls: number } {
  const n = {
    calls: 0,
    async notify() {
      n.calls++;
      if (n.calls <= times) throw new Error('the store is not answering');
    },
  };
  return n;
}

describe('notifyPatiently', () => {
  it('tries again while the store is away, so the reply is stored late rather than lost', async () => {
    const notifier = failing(2);
    await notifyPatiently(notifier, event, { retryMs: 5_000, stopping: () => false, log: createLogger('silent') });
    expect(notifier.calls).toBe(3);
  });

  it('gives up with a log line past retryMs, and at once when the worker is stopping', async () => {
    const lines: string[] = [];
    const log = createLogger(
      'warn',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const notifier = failing(100);
    await notifyPatiently(notifier, event, { retryMs: 500, stopping: () => false, log });
    expect(notifier.calls).toBe(2); // at 0 and 200 ms: the pause before a 3rd (400 ms) would pass 500 ms
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['notification failed']);
    const stopping = failing(100);
    await notifyPatiently(stopping, event, { retryMs: 5_000, stopping: () => true, log });
    expect(stopping.calls).toBe(1);
  });

  it('notifyFinished stores again what a published or failed delivery tells; one still under way is looked at again after its lease', async () => {
    const told: DeliveryEvent[] = [];
    const notifier: Notifier = { notify: async (e) => void told.push(e) };
    const post = { id: 'post_1' };
    const deliveries = [
      { id: 'dlv_a', state: 'published' },
      { id: 'dlv_b', state: 'failed', lastError: { kind: 'invalid', message: 'Too long.' } },
      { id: 'dlv_c', state: 'publishing', leaseExpiresAt: 5_000 },
    ];
    const store = { getPost: async () => ({ post, deliveries }) } as never;
    const sent: [string, number | undefined][] = [];
    const transport = {
      maxDelayMs: 3_600_000,
      send: async (ms: { deliveryId: string }[], o?: { delayMs?: number }) => {
        for (const m of ms) sent.push([m.deliveryId, o?.delayMs]);
      },
    };
    const options = { retryMs: 1_000, stopping: () => false, log: createLogger('silent') };
    for (const deliveryId of ['dlv_a', 'dlv_b', 'dlv_c', 'dlv_gone']) {
      const message = {
        kind: 'delivery',
        v: 1,
        postId: 'post_1',
        deliveryId,
        platform: 'bluesky',
        correlationId: 'c',
      } as const;
      await notifyFinished({ store, notifier, transport, clock: () => 1_000 }, message, options);
    }
    expect(told.map((e) => [e.kind, e.delivery.id, 'reason' in e ? e.reason : undefined])).toEqual([
      ['published', 'dlv_a', undefined],
      ['failed', 'dlv_b', 'Too long.'],
    ]);
    // Held by another attempt: its message comes back 1 s after that attempt's lease ends.
    expect(sent).toEqual([['dlv_c', 5_000]]);
  });

  it('notifyFinished reads the post again while the store is away, so a message that came back during an outage is not dropped unread', async () => {
    const told: DeliveryEvent[] = [];
    const notifier: Notifier = { notify: async (e) => void told.push(e) };
    let reads = 0;
    const store = {
      getPost: async () => {
        reads++;
        if (reads <= 2) throw new Error('the store is not answering');
        return { post: { id: 'post_1' }, deliveries: [{ id: 'dlv_a', state: 'published' }] };
      },
    } as never;
    const transport = { maxDelayMs: 3_600_000, send: async () => {} };
    const message = {
      kind: 'delivery',
      v: 1,
      postId: 'post_1',
      deliveryId: 'dlv_a',
      platform: 'bluesky',
      correlationId: 'c',
    } as const;
    const options = { retryMs: 5_000, stopping: () => false, log: createLogger('silent') };
    await notifyFinished({ store, notifier, transport, clock: () => 1_000 }, message, options);
    expect(reads).toBe(3);
    expect(told.map((e) => [e.kind, e.delivery.id])).toEqual([['published', 'dlv_a']]);
  });
});
