import { afterEach, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../src/queue/local/local-transport.js';
import type {
  ConsumeOptions,
  Consumer,
  MessageHandler,
  SendOptions,
  Transport,
  TransportMessage,
} from '../../src/queue/transport.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

/**
 * The in-process transport with delays, as RabbitMQ has them (its retry tiers), that refuses the
 * next `refusals` delayed sends as RabbitMQ does while it reconnects.
 */
class FakeDelayingBrokerTransport implements Transport {
  readonly maxDelayMs = 60_000;
  readonly #inner = new LocalTransport();
  refusals = 0;
  refused = 0;
  async send(messages: TransportMessage[], options: SendOptions = {}): Promise<void> {
    const delayMs = options.delayMs ?? 0;
    if (delayMs === 0) return this.#inner.send(messages);
    if (this.refusals > 0) {
      this.refusals--;
      this.refused++;
      throw new Error('RabbitMQ is unreachable; next connection attempt in 200 ms (FakeDelayingBrokerTransport)');
    }
    setTimeout(() => void this.#inner.send(messages), delayMs);
  }
  consume(handler: MessageHandler, options: ConsumeOptions): Promise<Consumer> {
    return this.#inner.consume(handler, options);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

describe('a retry the broker refuses at first', () => {
  let h: TestHayon;
  afterEach(() => h.stop());

  it('is sent once the broker takes it again, and the post goes out without waiting for the sweeper', async () => {
    const bluesky = new FakePlatform('bluesky');
    const transport = new FakeDelayingBrokerTransport();
    h = await startHayon({
      platforms: { bluesky },
      transport,
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100, jitter: 0 },
      // The sweeper would resend a stranded delivery only after 10 minutes: not within this test.
      sweeper: { strandedAfterMs: 600_000 },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    bluesky.failNext({ kind: 'transient', status: 503 });
    transport.refusals = 2;
    const created = await (await h.api('POST', '/v1/posts', { text: 'through a blip', targets: ['bluesky'] })).json();
    await waitFor(async () => (await (await h.api('GET', `/v1/posts/${created.id}`)).json()).status === 'COMPLETED');
    expect(transport.refused).toBe(2);
    expect(bluesky.calls).toBe(2);
    expect(bluesky.posts.size).toBe(1);
    expect(h.logs.some((l) => l.msg === 'sending queued deliveries failed; trying again')).toBe(true);
  });
});
