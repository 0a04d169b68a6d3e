import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RabbitTransport } from '../../src/queue/rabbitmq/rabbit-transport.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { type Answer, startHayon, type TestHayon, waitFor } from '../harness.js';
import { acquireTestBroker, releaseTestBroker } from '../queue/rabbit-test-broker.js';
import { recordCell } from './matrix.js';

const broker = await acquireTestBroker();
afterAll(() => releaseTestBroker(broker));

// The fault matrix, RabbitMQ column: the broker taken away for this hayon only (a TCP proxy in
// front of the shared RabbitMQ cuts its connections and refuses new ones), then brought back.
// Each cell: what the user sees while it is away, and that the post goes out exactly once after.
describe.skipIf(broker.skip !== undefined)('RabbitMQ away', () => {
  let proxy: TcpFaultProxy;
  let url: string;
  let h: TestHayon | undefined;
  let bluesky: FakePlatform;

  beforeAll(async () => {
    const base = new URL(broker.url);
    proxy = new TcpFaultProxy(base.hostname, Number(base.port || 5672));
    base.host = `127.0.0.1:${await proxy.start()}`;
    url = base.toString();
  });
  afterAll(async () => proxy?.stop());
  afterEach(async () => {
    await proxy.restore();
    await h?.stop();
    h = undefined;
  });

  async function start(latencyMs = 0) {
    bluesky = new FakePlatform('bluesky', { maxLength: 300, latencyMs });
    const transport = new RabbitTransport({ url, prefix: `t${randomBytes(4).toString('hex')}_` });
    h = await startHayon({ platforms: { bluesky }, transport });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    return h;
  }
  const view = async (id: string): Promise<Answer> => (await (h as TestHayon).api('GET', `/v1/posts/${id}`)).json();
  const completed = (id: string) => waitFor(async () => (await view(id)).status === 'COMPLETED', 40_000);

  it('RabbitMQ down · ingest: the post is accepted at once and kept; back → published once', async () => {
    recordCell('RabbitMQ down', 'ingest');
    const h = await start();
    await proxy.cut();
    const asked = Date.now();
    const res = await h.api('POST', '/v1/posts', { text: 'while the broker is away', targets: ['bluesky'] });
    expect(res.status).toBe(202);
    expect(Date.now() - asked).toBeLessThan(2_000);
    const created = await res.json();
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await view(created.id)).deliveries[0].state).toMatch(/^(scheduled|queued)$/);
    expect(bluesky.calls).toBe(0);

    await proxy.restore();
    await completed(created.id);
    expect([...bluesky.posts.values()].map((p) => p.text)).toEqual(['while the broker is away']);
  }, 60_000);

  it('RabbitMQ down · schedule: a post falls due while the broker is away; back → published once', async () => {
    recordCell('RabbitMQ down', 'schedule');
    const h = await start();
    const when = new Date(Date.now() + 2_000).toISOString();
    const res = await h.api('POST', '/v1/posts', {
      text: 'due while away',
      targets: ['bluesky'],
      when,
      timezone: 'UTC',
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 4_000));
    // Due, moved to the queue by the scheduler, its message not yet delivered.
    expect((await view(created.id)).deliveries[0].state).toBe('queued');
    expect(bluesky.calls).toBe(0);

    await proxy.restore();
    await completed(created.id);
    expect([...bluesky.posts.values()].map((p) => p.text)).toEqual(['due while away']);
  }, 60_000);

  it('RabbitMQ down · publish: the broker goes while a delivery is being published; back → the redelivered message publishes nothing twice', async () => {
    recordCell('RabbitMQ down', 'publish');
    const h = await start(1_500);
    const created = await (await h.api('POST', '/v1/posts', { text: 'in flight', targets: ['bluesky'] })).json();
    await waitFor(async () => bluesky.calls === 1, 20_000);
    // The attempt is under way; its message is not acked yet.
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 3_000));
    await proxy.restore();
    await completed(created.id);
    // The broker hands the unacked message out again; the claim drops it (already published).
    await new Promise((r) => setTimeout(r, 3_000));
    expect(bluesky.calls).toBe(1);
    expect([...bluesky.posts.values()].map((p) => p.text)).toEqual(['in flight']);
    expect((await view(created.id)).deliveries[0].attempts).toBe(1);
  }, 60_000);
});
