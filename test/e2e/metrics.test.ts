import { afterEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';
import { sample } from '../prometheus-text.js';

const metricsToken = 'metrics-token-for-tests';

describe('GET /metrics', () => {
  let h: TestHayon;
  afterEach(() => h.stop());

  it('counts posts by source, attempts by platform and outcome, and shows deliveries by state', async () => {
    const bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({
      env: { metricsToken },
      platforms: { bluesky },
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    bluesky.failNext({ kind: 'transient', status: 503 });
    for (const text of ['one', 'two']) await h.api('POST', '/v1/posts', { text, targets: ['bluesky'] });
    await h.api('POST', '/v1/posts', { text: 'later', targets: ['bluesky'], when: 'in 2 hours' });
    await h.drain();
    const res = await h.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'hayon_posts_created_total', 'source="api"')).toBe(3);
    expect(sample(text, 'hayon_delivery_attempts_total', 'platform="bluesky",outcome="published"')).toBe(2);
    expect(sample(text, 'hayon_delivery_attempts_total', 'platform="bluesky",outcome="retrying"')).toBe(1);
    expect(sample(text, 'hayon_delivery_attempt_seconds_count', 'platform="bluesky"')).toBe(3);
    expect(sample(text, 'hayon_scheduler_lateness_seconds_count')).toBe(3);
    expect(sample(text, 'hayon_deliveries', 'state="published"')).toBe(2);
    expect(sample(text, 'hayon_deliveries', 'state="scheduled"')).toBe(1);
    expect(text).toContain('hayon_process_cpu_user_seconds_total');
    expect(text).not.toContain(metricsToken);
  });

  it('shows per platform how many wait and how long the oldest has waited (a stuck queue shows)', async () => {
    // No worker: a post due now stays queued, as it would behind a stuck worker.
    h = await startHayon({ env: { metricsToken }, platforms: { bluesky: new FakePlatform('bluesky') }, worker: false });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.api('POST', '/v1/posts', { text: 'stuck', targets: ['bluesky'] });
    await new Promise((r) => setTimeout(r, 1_100));
    const text = await (await h.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    expect(sample(text, 'hayon_platform_deliveries', 'platform="bluesky",state="queued"')).toBe(1);
    expect(sample(text, 'hayon_oldest_waiting_seconds', 'platform="bluesky"')).toBeGreaterThanOrEqual(1);
  });

  it('asks for the metrics token, and is off without one', async () => {
    h = await startHayon({ env: { metricsToken } });
    expect((await h.request('/metrics')).status).toBe(401);
    expect((await h.request('/metrics', { headers: { authorization: 'Bearer metrics-token-for-testz' } })).status).toBe(
      401,
    );
    await h.stop();
    h = await startHayon({});
    const off = await h.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(off.status).toBe(404);
    expect((await off.json()).error.message).toContain('HAYON_METRICS_TOKEN');
  });
});

describe('the metrics listener (HAYON_METRICS_PORT)', () => {
  let h: TestHayon & { port?: number; metricsPort?: number };
  afterEach(() => h.stop());
  const scrape = (port: number | undefined, path = '/metrics', headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, { headers });

  it('serves the same metrics on a port of its own, without a token when none is set', async () => {
    const bluesky = new FakePlatform('bluesky');
    h = await startHayon({ env: { metricsPort: '0' }, platforms: { bluesky }, listen: true });
    expect(h.metricsPort).toBeGreaterThan(0);
    expect(h.metricsPort).not.toBe(h.port);
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.api('POST', '/v1/posts', { text: 'one', targets: ['bluesky'] });
    await h.drain();
    const res = await scrape(h.metricsPort);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, 'hayon_delivery_attempts_total', 'platform="bluesky",outcome="published"')).toBe(1);
    // hayon serve reports the store's gauges too.
    expect(sample(text, 'hayon_deliveries', 'state="published"')).toBe(1);
    const other = await scrape(h.metricsPort, '/v1/posts');
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { field: string } }).error.field).toBe('path');
    expect(h.logs.find((l) => l.msg === 'hayon serving')).toMatchObject({ metricsPort: h.metricsPort });
    // The API's own /metrics stays off without a token.
    expect((await h.request('/metrics')).status).toBe(404);
  });

  it('asks for the token there too when HAYON_METRICS_TOKEN is set', async () => {
    h = await startHayon({ env: { metricsPort: '0', metricsToken }, listen: true });
    expect((await scrape(h.metricsPort)).status).toBe(401);
    expect((await scrape(h.metricsPort, '/metrics', { authorization: `Bearer ${metricsToken}` })).status).toBe(200);
  });

  it('refuses a port that is not a port, naming the variable', async () => {
    await expect(startHayon({ env: { metricsPort: '70000' } })).rejects.toThrow(/HAYON_METRICS_PORT/);
    h = await startHayon({});
  });
});
