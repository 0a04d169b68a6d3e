import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Transport, TransportMessage } from '../../src/queue/transport.js';

export interface TransportFixture {
  transport: Transport;
  cleanup(): Promise<void>;
}

export const message = (i: number): TransportMessage => ({
  kind: 'delivery',
  v: 1,
  deliveryId: `dlv_${i}`,
  postId: `post_${i}`,
  platform: 'bluesky',
  correlationId: `corr_${i}`,
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The behaviour every Transport must have; run from each adapter's test file. The factory gives
 * each test a fresh, isolated transport. The delay case runs only for a transport that carries
 * delays (`maxDelayMs > 0`); it asks for 5 s, RabbitMQ's first retry tier.
 */
export function defineTransportContract(
  name: string,
  factory: () => Promise<TransportFixture>,
  options: { skip?: string } = {},
): void {
  describe.skipIf(options.skip !== undefined)(
    `Transport contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ''}`,
    () => {
      let fx: TransportFixture;
      beforeEach(async () => {
        fx = await factory();
      });
      afterEach(async () => fx.cleanup());

      it('delivers each message once, with its fields', async () => {
        const got: TransportMessage[] = [];
        await fx.transport.consume(async (m) => void got.push(m), { concurrency: 4 });
        await fx.transport.send([message(1), message(2), message(3)]);
        await until(() => got.length === 3);
        await new Promise((r) => setTimeout(r, 100));
        expect(got.map((m) => m.deliveryId).sort()).toEqual(['dlv_1', 'dlv_2', 'dlv_3']);
        expect(got.find((m) => m.deliveryId === 'dlv_2')).toEqual(message(2));
      });

      it('delivers a batch of 500, each once', async () => {
        let handled = 0;
        const seen = new Set<string>();
        await fx.transport.consume(
          async (m) => {
            handled++;
            seen.add(m.deliveryId);
          },
          { concurrency: 16 },
        );
        await fx.transport.send(Array.from({ length: 500 }, (_, i) => message(i)));
        await until(() => seen.size === 500);
        await new Promise((r) => setTimeout(r, 100));
        expect(handled).toBe(500);
      });

      it('delivers messages sent before anyone consumed', async () => {
        await fx.transport.send(Array.from({ length: 20 }, (_, i) => message(i)));
        const seen = new Set<string>();
        await fx.transport.consume(async (m) => void seen.add(m.deliveryId), { concurrency: 4 });
        await until(() => seen.size === 20);
      });

      it('never runs more handlers at once than the concurrency', async () => {
        let running = 0;
        let peak = 0;
        let done = 0;
        await fx.transport.consume(
          async () => {
            running++;
            peak = Math.max(peak, running);
            await new Promise((r) => setTimeout(r, 20));
            running--;
            done++;
          },
          { concurrency: 3 },
        );
        await fx.transport.send(Array.from({ length: 30 }, (_, i) => message(i)));
        await until(() => done === 30);
        expect(peak).toBe(3);
      });

      it('stop() waits for handlers in flight and hands out nothing after', async () => {
        let started = 0;
        let finished = 0;
        const consumer = await fx.transport.consume(
          async () => {
            started++;
            await new Promise((r) => setTimeout(r, 200));
            finished++;
          },
          { concurrency: 2 },
        );
        await fx.transport.send(Array.from({ length: 10 }, (_, i) => message(i)));
        await until(() => started >= 2);
        await consumer.stop();
        expect(finished).toBe(started);
        const afterStop = started;
        await new Promise((r) => setTimeout(r, 300));
        expect(started).toBe(afterStop);
        expect(afterStop).toBeLessThan(10);
      });

      it('keeps consuming after a handler throws', async () => {
        const seen: string[] = [];
        await fx.transport.consume(
          async (m) => {
            seen.push(m.deliveryId);
            if (m.deliveryId === 'dlv_1') throw new Error('boom');
          },
          { concurrency: 1 },
        );
        await fx.transport.send([message(1)]);
        await fx.transport.send([message(2)]);
        await until(() => seen.includes('dlv_2'));
      });

      it('delivers a delayed message no earlier than asked', async (ctx) => {
        if (fx.transport.maxDelayMs === 0) ctx.skip('no delays (maxDelayMs 0): retries wait in the store');
        const delayMs = 5_000;
        expect(fx.transport.maxDelayMs).toBeGreaterThanOrEqual(delayMs);
        const got: number[] = [];
        await fx.transport.consume(async () => void got.push(Date.now()), { concurrency: 1 });
        const sent = Date.now();
        await fx.transport.send([message(9)], { delayMs });
        await until(() => got.length === 1, delayMs + 10_000);
        expect(got[0]! - sent).toBeGreaterThanOrEqual(delayMs);
      });
    },
  );
}
