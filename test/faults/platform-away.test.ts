import { afterEach, describe, expect, it } from 'vitest';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { type Answer, startHayon, type TestHayon, waitFor } from '../harness.js';
import { recordCell } from './matrix.js';

// The fault matrix, publish step, platform column: the platform refuses connections, or accepts
// them and never answers, while a delivery is due; then it is back. Each cell: the attempts end
// as transient and are retried (nothing hangs, nothing fails for good), and once it is back the
// post is published exactly once. (A platform is not used at ingest, schedule or notify.)
const retry = { maxAttempts: 20, baseDelayMs: 200, maxDelayMs: 400, jitter: 0 };

describe('platform away at the publish step', () => {
  let h: TestHayon | undefined;
  let proxy: TcpFaultProxy | undefined;
  let mastodon: FakeMastodonServer | undefined;
  afterEach(async () => {
    await h?.stop();
    await proxy?.stop();
    await mastodon?.stop();
    h = proxy = mastodon = undefined;
  });

  /** A Mastodon server (FakeMastodonServer) behind a TCP proxy the test can cut or hang. */
  async function mastodonBehindProxy(env: Record<string, string> = {}) {
    mastodon = await new FakeMastodonServer().start();
    const upstream = new URL(mastodon.url);
    proxy = new TcpFaultProxy(upstream.hostname, Number(upstream.port));
    const port = await proxy.start();
    h = await startHayon({ retry, env: { leaseSeconds: '10', ...env } });
    const instanceUrl = `${upstream.protocol}//127.0.0.1:${port}`;
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { instanceUrl, accessToken: mastodon.token });
    return { h, proxy, mastodon };
  }

  const post = async (hayon: TestHayon, id: string): Promise<Answer> =>
    (await hayon.api('GET', `/v1/posts/${id}`)).json();

  /** Waits until the post's only delivery has failed `n` attempts with an error like `message`. */
  async function failedAttempts(hayon: TestHayon, id: string, n: number, message: RegExp) {
    await waitFor(async () => {
      const d = (await post(hayon, id)).deliveries[0];
      return d.attempts >= n && message.test(d.error?.message ?? '');
    }, 20_000);
    const d = (await post(hayon, id)).deliveries[0];
    expect(d.state).not.toBe('failed');
    expect(d.error.kind).toBe('transient');
  }

  it('platform down · publish: connections refused → transient retries; back → published once', async () => {
    recordCell('platform down', 'publish');
    const { h, proxy, mastodon } = await mastodonBehindProxy();
    await proxy.cut();
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'while Mastodon is down', targets: ['mastodon'] })
    ).json();
    await failedAttempts(h, created.id, 2, /^Mastodon could not be reached/);
    expect(mastodon.statuses).toHaveLength(0);

    await proxy.restore();
    await waitFor(async () => (await post(h, created.id)).status === 'COMPLETED', 20_000);
    expect(mastodon.statuses.map((s) => s.text)).toEqual(['while Mastodon is down']);
  }, 60_000);

  it('platform hanging · publish: a server that never answers → each call times out as transient; back → published once', async () => {
    recordCell('platform hanging', 'publish');
    const { h, proxy, mastodon } = await mastodonBehindProxy({ platformTimeoutMs: '500' });
    await proxy.hang();
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'while Mastodon hangs', targets: ['mastodon'] })
    ).json();
    await failedAttempts(h, created.id, 2, /^Mastodon did not answer in time/);
    expect(mastodon.statuses).toHaveLength(0);

    await proxy.restore();
    await waitFor(async () => (await post(h, created.id)).status === 'COMPLETED', 20_000);
    expect(mastodon.statuses.map((s) => s.text)).toEqual(['while Mastodon hangs']);
  }, 60_000);

  it('platform hanging · publish: an adapter that ignores its signal → the attempt deadline ends it as transient; the late post is found, not made twice', async () => {
    recordCell('platform hanging', 'publish');
    const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    // The attempt's deadline is the lease: 2 s here.
    h = await startHayon({ retry, platforms: { bluesky }, env: { leaseSeconds: '2' } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    bluesky.hold();
    const started = Date.now();
    const created = await (await h.api('POST', '/v1/posts', { text: 'never answered', targets: ['bluesky'] })).json();
    await failedAttempts(h, created.id, 1, /^Bluesky did not answer within the attempt's deadline \(2 s\)/);
    expect(Date.now() - started).toBeLessThan(10_000);

    // The held calls now complete (the platform made the post late); the next attempt uses the same key.
    bluesky.release();
    await waitFor(async () => (await post(h as TestHayon, created.id)).status === 'COMPLETED', 20_000);
    const delivery = (await post(h, created.id)).deliveries[0];
    expect([...bluesky.posts.keys()]).toEqual([delivery.id]);
  }, 60_000);
});
