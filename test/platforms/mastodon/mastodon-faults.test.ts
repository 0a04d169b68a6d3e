import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformError } from '../../../src/core/errors.js';
import { idempotencyKey } from '../../../src/platforms/mastodon/mastodon-platform.js';
import { failure, MastodonTestbed } from './mastodon-testbed.js';

describe('Mastodon through masto: request shapes, faults and deadlines, against FakeMastodonServer', () => {
  const t = new MastodonTestbed();
  beforeEach(() => t.start());
  afterEach(() => t.server.stop());

  it('sends the Idempotency-Key header on every attempt at one post, the same each time', async () => {
    t.server.failNext('POST /api/v1/statuses', { status: 200, lostAfterCreate: true });
    await failure(t.mastodon.publish(t.input({ text: 'once' })));
    await t.mastodon.publish(t.input({ text: 'once' }));
    expect(t.server.idempotencyKeys).toEqual([idempotencyKey('dlv_m1'), idempotencyKey('dlv_m1')]);
    expect(t.server.repeatedKeys).toBe(1);
    expect(t.server.statuses).toHaveLength(1);
  });

  it('a 502 HTML page from a proxy is transient and not quoted', async () => {
    t.server.failNext('POST /api/v1/statuses', { status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' });
    const err = (await failure(t.mastodon.publish(t.input({ text: 'x' })))) as PlatformError;
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Mastodon gave an answer hayon could not read (POST /api/v1/statuses).');
    expect(err.message).not.toContain('Bad Gateway');
  });

  it('a 429 with Retry-After is rate limited for that long', async () => {
    t.server.failNext('POST /api/v1/statuses', {
      status: 429,
      body: { error: 'Too many requests' },
      headers: { 'retry-after': '42' },
    });
    const err = (await failure(t.mastodon.publish(t.input({ text: 'x' })))) as PlatformError;
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 42_000, httpStatus: 429 });
    expect(err.message).toBe('Mastodon rate limit reached (POST /api/v1/statuses). Retry in 42 s.');
  });

  it('a dropped connection is transient, and nothing was posted', async () => {
    t.server.failNext('POST /api/v1/statuses', { status: 0, drop: true });
    const err = (await failure(t.mastodon.publish(t.input({ text: 'x' })))) as PlatformError;
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Mastodon could not be reached (POST /api/v1/statuses).');
    expect(t.server.statuses).toHaveLength(0);
  });

  it('an instance that does not answer in time is transient, within the deadline', async () => {
    await t.restart({ statusDelayMs: () => 10_000 }, {}, 300);
    const started = Date.now();
    const err = (await failure(t.mastodon.publish(t.input({ text: 'slow' })))) as PlatformError;
    expect(err.kind).toBe('transient');
    expect(err.message).toBe('Mastodon did not answer in time (POST /api/v1/statuses).');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("the worker's own signal ends a call at once", async () => {
    await t.restart({ statusDelayMs: () => 10_000 }, {}, 60_000);
    const worker = new AbortController();
    setTimeout(() => worker.abort(new Error('shutting down')), 100);
    const started = Date.now();
    const err = (await failure(
      t.mastodon.publish(t.input({ text: 'slow' }, { signal: worker.signal })),
    )) as PlatformError;
    expect(err.kind).toBe('transient');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a reply to a status the instance does not have is refused as Mastodon refuses it (404)', async () => {
    const gone = { remoteId: '999999', url: 'https://x/999999' };
    const err = (await failure(
      t.mastodon.publish(t.input({ text: 'reply' }, { replyTo: { root: gone, parent: gone } })),
    )) as PlatformError;
    expect(err).toMatchObject({ kind: 'invalid', httpStatus: 404 });
    expect(err.message).toBe(
      'Mastodon rejected POST /api/v1/statuses (404): The post you are trying to reply to does not appear to exist.',
    );
  });

  it('an instance URL that is not Mastodon (an HTML 404) fails without a crash and names no token', async () => {
    t.server.failNext('GET /api/v1/accounts/verify_credentials', { status: 404, body: '<html>Not Found</html>' });
    const err = (await failure(t.mastodon.verify(t.credentials(), AbortSignal.timeout(5_000)))) as PlatformError;
    expect(err.kind).toBe('transient');
    expect(err.message).not.toContain(t.server.token);
  });
});
