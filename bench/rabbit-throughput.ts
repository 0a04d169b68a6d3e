// bench/rabbit-throughput: the RabbitMQ transport alone. Sends persistent delivery messages with
// one confirm wait per batch (and, for comparison, one per message), then consumes them with a
// no-op handler at several concurrencies (prefetch = concurrency). Queues get a prefix of their
// own and are deleted afterwards. Each message sent must be consumed exactly once (counted by its
// delivery id), or the run prints no figure.
//   npx tsx bench/rabbit-throughput.ts [--messages 20000] [--url amqp://…]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RabbitTransport } from '../src/queue/rabbitmq/rabbit-transport.js';
import { deleteTopology } from '../src/queue/rabbitmq/topology.js';
import type { TransportMessage } from '../src/queue/transport.js';
import { assertAllOk } from './lib/check.js';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '20000' }, url: { type: 'string' } } });
const total = Number(values.messages);
const url =
  values.url ??
  process.env.HAYON_TEST_AMQP_URL ??
  (JSON.parse(readFileSync('.tmp/services/rabbitmq.json', 'utf8')) as { url: string }).url;

const message = (i: number): TransportMessage => ({
  kind: 'delivery',
  v: 1,
  deliveryId: `dlv_${i.toString().padStart(8, '0')}_${randomBytes(6).toString('hex')}`,
  postId: `post_${randomBytes(8).toString('hex')}`,
  platform: 'bluesky',
  correlationId: randomBytes(16).toString('hex'),
});

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

/** The ids sent and not yet consumed, in send order. */
let pending: string[] = [];

async function sendAll(t: RabbitTransport, n: number, batch: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i += batch) {
    const messages = Array.from({ length: Math.min(batch, n - i) }, (_, j) => message(i + j));
    await t.send(messages);
    for (const m of messages) if (m.kind === 'delivery') pending.push(m.deliveryId);
  }
  return rate(n, performance.now() - started);
}

/** Consumes what was sent (`n` messages) and checks each was handled exactly once. */
async function consumeAll(t: RabbitTransport, n: number, concurrency: number): Promise<number> {
  const expected = pending;
  pending = [];
  const published = new Map<string, number>();
  let seen = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const started = performance.now();
  const consumer = await t.consume(
    async (m) => {
      if (m.kind === 'delivery') published.set(m.deliveryId, (published.get(m.deliveryId) ?? 0) + 1);
      if (++seen === n) done();
    },
    { concurrency },
  );
  await finished;
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500)); // a redelivery would come right after
  await consumer.stop();
  assertAllOk(`bench/rabbit-throughput (consume, concurrency ${concurrency})`, { expected, published });
  return rate(n, ms);
}

const t = new RabbitTransport({ url, prefix: `bench_${randomBytes(3).toString('hex')}_` });
const rows: [string, number][] = [];
try {
  rows.push(['send, 1 confirm wait per message (2,000)', await sendAll(t, 2_000, 1)]);
  await consumeAll(t, 2_000, 100);
  rows.push([`send, batches of 100 (${total})`, await sendAll(t, total, 100)]);
  rows.push([`consume, concurrency 16 (${total})`, await consumeAll(t, total, 16)]);
  rows.push([`send, batches of 1,000 (${total})`, await sendAll(t, total, 1_000)]);
  rows.push([`consume, concurrency 100 (${total})`, await consumeAll(t, total, 100)]);
  const size = Buffer.byteLength(JSON.stringify(message(0)));
  console.log(`RabbitMQ transport, ${url.replace(/\/\/[^@/]*@/, '//')}, persistent ${size}-byte messages`);
  for (const [what, perSecond] of rows) console.log(`  ${what.padEnd(42)} ${perSecond.toLocaleString('en')} msg/s`);
} finally {
  const ch = await (await t.connection()).createChannel();
  await deleteTopology(ch, t.names);
  await ch.close();
  await t.close();
}
