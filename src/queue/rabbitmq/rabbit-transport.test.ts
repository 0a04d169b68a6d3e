import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTransportContract, message } from '../transport.contract.js';
import type { TransportMessage } from '../transport.js';
import { RabbitTransport } from './rabbit-transport.js';
import { createVhost, dropVhost, testBrokerUrl } from './rabbit-test-broker.js';

const base = testBrokerUrl();
const skip = base ? undefined : 'no RabbitMQ (run scripts/test-services.sh)';
if (skip) console.warn(`Skipping the RabbitMQ transport tests: ${skip}`);

let broker: { url: string; vhost: string } | undefined;
beforeAll(() => {
  if (base) broker = createVhost(base);
});
afterAll(() => {
  if (broker) dropVhost(broker.vhost);
});

const prefix = () => `t${randomBytes(3).toString('hex')}_`;

defineTransportContract(
  'rabbitmq',
  async () => {
    const transport = new RabbitTransport({ url: broker!.url, prefix: prefix() });
    return { transport, cleanup: () => transport.close() };
  },
  skip ? { skip, delays: true } : { delays: true },
);

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(skip !== undefined)('RabbitMQ transport', () => {
  it('declares the documented topology and shows it in the counts', async () => {
    const t = new RabbitTransport({ url: broker!.url, prefix: prefix() });
    await t.send([message(1)]);
    const counts = await t.admin.counts();
    expect(Object.keys(counts).map((q) => q.replace(/^t[0-9a-f]+_/, ''))).toEqual([
      'hayon_social_posts',
      'hayon_retry_5s',
      'hayon_retry_30s',
      'hayon_retry_2m',
      'hayon_retry_10m',
      'hayon_retry_1h',
      'hayon_parking_lot',
      'hayon_dead_letters',
    ]);
    expect(counts[t.names.mainQueue]).toBe(1);
    await t.close();
  });

  it('a delayed message waits in the smallest tier at least as long, then comes back to the main queue', async () => {
    const t = new RabbitTransport({ url: broker!.url, prefix: prefix() });
    await t.send([message(1)], { delayMs: 3_000 });
    const counts = await t.admin.counts();
    expect(counts[t.names.retryQueue({ name: '5s', ms: 5_000 })]).toBe(1);
    const got: number[] = [];
    const sent = Date.now();
    await t.consume(async () => void got.push(Date.now()), { concurrency: 1 });
    await until(() => got.length === 1);
    expect(got[0]! - sent).toBeGreaterThanOrEqual(4_500);
    await t.close();
  });

  it('sends a message it cannot read to the dead letters and goes on', async () => {
    const t = new RabbitTransport({ url: broker!.url, prefix: prefix() });
    const got: TransportMessage[] = [];
    await t.consume(async (m) => void got.push(m), { concurrency: 2 });
    const conn = await amqp.connect(broker!.url);
    const ch = await conn.createChannel();
    ch.sendToQueue(t.names.mainQueue, Buffer.from('{not json'));
    ch.sendToQueue(t.names.mainQueue, Buffer.from(JSON.stringify({ kind: 'delivery', v: 99 })));
    await ch.close();
    await conn.close();
    await t.send([message(2)]);
    await until(() => got.length === 1);
    await until(async () => (await t.admin.counts())[t.names.deadLetters] === 2);
    expect(got[0]?.deliveryId).toBe('dlv_2');
    await t.close();
  });

  it('parks messages and replays those the store revives', async () => {
    const t = new RabbitTransport({ url: broker!.url, prefix: prefix() });
    await t.park(message(1), 'Gave up after 6 attempts');
    await t.park(message(2), 'Gave up after 6 attempts');
    expect((await t.admin.counts())[t.names.parkingLot]).toBe(2);
    const result = await t.admin.replayParked(10, async (m) => m.deliveryId === 'dlv_1');
    expect(result).toEqual({ replayed: 1, dropped: 1 });
    const counts = await t.admin.counts();
    expect(counts[t.names.parkingLot]).toBe(0);
    expect(counts[t.names.mainQueue]).toBe(1);
    await t.close();
  });

  it('resumes consuming after the broker closes its connections', async () => {
    const t = new RabbitTransport({ url: broker!.url, prefix: prefix(), reconnectMinMs: 100 });
    const seen = new Set<string>();
    await t.consume(async (m) => void seen.add(m.deliveryId), { concurrency: 4 });
    await t.send([message(1)]);
    await until(() => seen.has('dlv_1'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('rabbitmqctl', ['-q', 'close_all_connections', 'test: forced close'], { stdio: 'ignore' });
    await until(async () => {
      try {
        await t.send([message(2)]);
        return true;
      } catch {
        return false;
      }
    });
    await until(() => seen.has('dlv_2'));
    await t.close();
  });
});
