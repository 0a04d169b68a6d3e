import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import amqp from 'amqplib';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { defineTransportContract, message } from '../../../test/queue/transport.contract.js';
import type { TransportMessage } from '../transport.js';
import { RabbitTransport } from './rabbit-transport.js';
import { acquireTestBroker, rabbitmqctl, releaseTestBroker } from '../../../test/queue/rabbit-test-broker.js';
import { retryTiers } from './topology.js';

// This file's own vhost (see acquireTestBroker); each test adds a queue prefix of its own.
const broker = await acquireTestBroker();
const skip = broker.skip;
if (skip) console.warn(`Skipping the RabbitMQ transport tests: ${skip}`);
afterAll(() => releaseTestBroker(broker));

const prefix = () => `t${randomBytes(3).toString('hex')}_`;
const tier = (name: string) => retryTiers.find((t) => t.name === name)!;

defineTransportContract(
  'rabbitmq',
  async () => {
    const transport = new RabbitTransport({ url: broker.url, prefix: prefix() });
    return { transport, cleanup: () => transport.close() };
  },
  skip ? { skip } : {},
);

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A logger whose lines the test can read. */
function capturedLog() {
  const lines: { msg: string }[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, said: (msg: string) => lines.some((l) => l.msg === msg) };
}

/** Sends until the transport takes it (it rejects while reconnecting). */
async function sendWhenBack(t: RabbitTransport, messages: TransportMessage[]): Promise<void> {
  await until(() =>
    t.send(messages).then(
      () => true,
      () => false,
    ),
  );
}

describe.skipIf(skip !== undefined)('RabbitMQ transport', () => {
  it('declares the documented topology and shows it in the counts', async () => {
    const t = new RabbitTransport({ url: broker.url, prefix: prefix() });
    await t.send([message(1), message(2)]);
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
    expect(counts[t.names.mainQueue]).toBe(2);
    expect(await t.admin.backlog()).toBe(2);
    await t.close();
  });

  it('puts a delayed message in the smallest tier at least as long, and refuses one past the last', async () => {
    const t = new RabbitTransport({ url: broker.url, prefix: prefix() });
    expect(t.maxDelayMs).toBe(3_600_000);
    await t.send([message(1)], { delayMs: 3_000 });
    await t.send([message(2), message(3)], { delayMs: 30_001 });
    await t.send([message(4)], { delayMs: 3_600_000 });
    const counts = await t.admin.counts();
    expect(counts[t.names.retryQueue(tier('5s'))]).toBe(1);
    expect(counts[t.names.retryQueue(tier('30s'))]).toBe(0);
    expect(counts[t.names.retryQueue(tier('2m'))]).toBe(2);
    expect(counts[t.names.retryQueue(tier('1h'))]).toBe(1);
    expect(counts[t.names.mainQueue]).toBe(0);
    // Delayed messages are not a backlog: no worker could take them yet.
    expect(await t.admin.backlog()).toBe(0);
    await expect(t.send([message(5)], { delayMs: 3_600_001 })).rejects.toThrow(RangeError);
    await t.close();
  });

  it('sends a message it cannot read to the dead letters and goes on', async () => {
    const t = new RabbitTransport({ url: broker.url, prefix: prefix() });
    const got: TransportMessage[] = [];
    await t.consume(async (m) => void got.push(m), { concurrency: 2 });
    const conn = await amqp.connect(broker.url);
    const ch = await conn.createChannel();
    ch.sendToQueue(t.names.mainQueue, Buffer.from('{not json'));
    ch.sendToQueue(t.names.mainQueue, Buffer.from(JSON.stringify({ ...message(7), v: 99 })));
    ch.sendToQueue(t.names.mainQueue, Buffer.from(JSON.stringify({ ...message(8), kind: 'other' })));
    await ch.close();
    await conn.close();
    await t.send([message(2)]);
    await until(() => got.length === 1);
    await until(async () => (await t.admin.counts())[t.names.deadLetters] === 3);
    expect(got[0]?.deliveryId).toBe('dlv_2');
    expect((await t.admin.counts())[t.names.mainQueue]).toBe(0);
    await t.close();
  });

  it('parks messages and replays those the store revives', async () => {
    const t = new RabbitTransport({ url: broker.url, prefix: prefix() });
    for (let i = 1; i <= 5; i++) await t.park(message(i), 'Gave up after 6 attempts');
    expect((await t.admin.counts())[t.names.parkingLot]).toBe(5);
    const first = await t.admin.replayParked(3, async (m) => m.deliveryId !== 'dlv_2');
    expect(first).toEqual({ replayed: 2, dropped: 1 });
    expect((await t.admin.counts())[t.names.parkingLot]).toBe(2);
    const rest = await t.admin.replayParked(100, async () => true);
    expect(rest).toEqual({ replayed: 2, dropped: 0 });
    const counts = await t.admin.counts();
    expect(counts[t.names.parkingLot]).toBe(0);
    expect(counts[t.names.mainQueue]).toBe(4);
    await t.close();
  });

  it('resumes consuming after the broker force-closes its connection, without losing a message', async () => {
    const { log, said } = capturedLog();
    const t = new RabbitTransport({ url: broker.url, prefix: prefix(), log, reconnectMinMs: 100 });
    const seen = new Set<string>();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await t.consume(
      async (m) => {
        if (m.deliveryId === 'dlv_1') await held;
        seen.add(m.deliveryId);
      },
      { concurrency: 4 },
    );
    await t.send([message(1)]);
    await new Promise((r) => setTimeout(r, 200));
    // Only this file's vhost; without one (a remote broker), drop the client's connection instead.
    if (broker.vhost) rabbitmqctl('close_all_connections', '--vhost', broker.vhost, 'test: forced close');
    else await (await t.connection()).close();
    await until(() => said('rabbitmq connection lost; reconnecting'));
    release();
    await until(() => said('rabbitmq consumers resumed'));
    await sendWhenBack(t, [message(2)]);
    await until(() => seen.has('dlv_1') && seen.has('dlv_2'));
    await t.close();
  });

  it('resumes when its queue is deleted under it (consumer cancelled, channel lost)', async () => {
    const { log, said } = capturedLog();
    const t = new RabbitTransport({ url: broker.url, prefix: prefix(), log, reconnectMinMs: 100 });
    const seen = new Set<string>();
    await t.consume(async (m) => void seen.add(m.deliveryId), { concurrency: 2 });
    const conn = await amqp.connect(broker.url);
    const ch = await conn.createChannel();
    await ch.deleteQueue(t.names.mainQueue);
    await conn.close();
    await until(() => said('rabbitmq consumer cancelled by the broker'));
    await until(() => said('rabbitmq consumers resumed'));
    await t.send([message(3)]);
    await until(() => seen.has('dlv_3'));
    await t.close();
  });
});

describe('RabbitMQ transport without a broker', () => {
  it('rejects send and consume quickly, and then at once until the backoff allows a try', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const t = new RabbitTransport({
      url: `amqp://guest:guest@127.0.0.1:${port}`,
      reconnectMinMs: 5_000,
      reconnectMaxMs: 10_000,
    });
    const started = Date.now();
    await expect(t.send([message(1)])).rejects.toThrow();
    await expect(t.send([message(2)])).rejects.toThrow(/unreachable; next connection attempt in/);
    await expect(t.consume(async () => {}, { concurrency: 1 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    await t.close();
  });
});
