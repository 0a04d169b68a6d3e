import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RabbitTransport } from '../../src/queue/rabbitmq/rabbit-transport.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { type Answer, startHayon, type TestHayon } from '../harness.js';
import { acquireTestBroker, releaseTestBroker } from '../queue/rabbit-test-broker.js';

const broker = await acquireTestBroker();
afterAll(() => releaseTestBroker(broker));

// A retry on the scaled transport: the retried delivery goes through RabbitMQ (scheduler → broker
// → worker) the way any due delivery does, and keeps its key, so it is published once.
describe.skipIf(broker.skip !== undefined)('retry through RabbitMQ', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let transport: RabbitTransport;
  /** The delivery ids of every message sent to the broker. */
  let sent: string[];

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    transport = new RabbitTransport({ url: broker.url, prefix: `t${randomBytes(4).toString('hex')}_` });
    sent = [];
    const send = transport.send.bind(transport);
    transport.send = (messages, options) => {
      sent.push(...messages.map((m) => m.deliveryId));
      return send(messages, options);
    };
    h = await startHayon({
      platforms: { bluesky },
      transport,
      retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterEach(async () => h.stop());

  const getPost = async (id: string): Promise<Answer> => (await h.api('GET', `/v1/posts/${id}`)).json();

  it('sends the failed delivery through the broker again and publishes it once, with the same key', async () => {
    // The platform made the post but answered with a refusal: the delivery failed.
    bluesky.failNext({ kind: 'invalid', status: 400, afterCreate: true });
    const created = await (await h.api('POST', '/v1/posts', { text: 'via the broker', targets: ['bluesky'] })).json();
    await h.drain();
    const failed = await getPost(created.id);
    expect(failed.status).toBe('FAILED');
    const deliveryId = failed.deliveries[0].id;

    expect(sent).toEqual([deliveryId]);

    const res = await h.api('POST', `/v1/posts/${created.id}/retry`);
    expect(res.status).toBe(200);
    await h.drain();
    const after = await getPost(created.id);
    expect(after.status).toBe('COMPLETED');
    expect(after.deliveries[0]).toMatchObject({ id: deliveryId, url: `https://bluesky.example/p/${deliveryId}` });
    expect([...bluesky.posts.keys()]).toEqual([deliveryId]);
    expect(bluesky.calls).toBe(2);
    expect(sent).toEqual([deliveryId, deliveryId]);
    // The broker carried it: its main queue is empty again, nothing parked.
    const counts = await transport.admin.counts();
    expect(Object.entries(counts).filter(([q, n]) => /posts$|parking/.test(q) && n > 0)).toEqual([]);
  });
});
