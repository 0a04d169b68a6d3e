import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import { createMastodonPlatform, idempotencyKey } from '../../../src/platforms/mastodon/mastodon-platform.js';
import type { AccountContext, Platform, PublishInput, ResolvedContent } from '../../../src/platforms/platform.js';
import { FakeMastodonServer } from '../../fakes/fake-mastodon-server.js';

const account = { id: 'acc_m', platform: 'mastodon', handle: '@alice@fake' } as Account;
const png = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), mimeType: 'image/png' };
const mp4 = { bytes: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]), mimeType: 'video/mp4' };

describe('Mastodon adapter against FakeMastodonServer', () => {
  let server: FakeMastodonServer;
  let mastodon: Platform;
  let sleeps: number;
  let checkpoints: Record<string, unknown>[];

  const start = async (options: ConstructorParameters<typeof FakeMastodonServer>[0] = {}) => {
    server = await new FakeMastodonServer(options).start();
    sleeps = 0;
    checkpoints = [];
    mastodon = createMastodonPlatform({
      fetch,
      timeoutMs: 5_000,
      sleep: async () => {
        sleeps++;
      },
    });
  };
  beforeEach(() => start());
  afterEach(() => server.stop());

  const credentials = () => ({ instanceUrl: server.url, accessToken: server.token });
  const ctx = (): AccountContext => ({ account, credentials: credentials(), signal: AbortSignal.timeout(5_000) });
  const input = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}): PublishInput => ({
    deliveryId: 'dlv_m1',
    key: 'dlv_m1',
    content: {
      text: content.text ?? '',
      media: content.media ?? [],
      ...(content.options ? { options: content.options } : {}),
    },
    account,
    credentials: credentials(),
    saveCredentials: async () => {},
    saveCheckpoint: async (data) => {
      checkpoints.push(data);
    },
    loadMedia: async (item) => (item.url.endsWith('.mp4') ? mp4 : png),
    signal: AbortSignal.timeout(5_000),
    ...more,
  });

  it('verify returns @user@host and the account id', async () => {
    const profile = await mastodon.verify(credentials(), AbortSignal.timeout(5_000));
    expect(profile.handle).toBe(`@alice@${new URL(server.url).host}`);
    expect(profile.remoteId).toBe('7');
    expect(profile.credentials).toMatchObject({ accountId: '7' });
  });

  it('a wrong token is an auth error that does not show the token', async () => {
    const err = await mastodon
      .verify({ instanceUrl: server.url, accessToken: 'wrong-secret-token' }, AbortSignal.timeout(5_000))
      .catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('wrong-secret-token');
  });

  it('reads the limits from the instance: its character limit, with links counting 23', async () => {
    await server.stop();
    await start({ maxCharacters: 100, maxMediaAttachments: 2, descriptionLimit: 20 });
    const rules = await mastodon.rules(ctx());
    expect(rules).toMatchObject({ maxLength: 100, unit: 'characters', threads: true });
    expect(rules.count(`see https://example.com/${'x'.repeat(200)}`)).toBe(4 + 23);
    const issues = await mastodon.validate(
      { text: 'y'.repeat(120), media: [{ url: 'a.png', alt: 'z'.repeat(21) }, { url: 'b.png' }, { url: 'c.png' }] },
      ctx(),
    );
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['text', 'Too long for Mastodon by 20 characters (120 of 100; links count 23).'],
      ['media', 'This Mastodon instance takes at most 2 attachments per post (3 given).'],
      ['media[0].alt', 'Alt text of attachment 1 is too long for Mastodon (21 of 20 characters).'],
    ]);
  });

  it('falls back to v1 instance limits on older servers', async () => {
    await server.stop();
    await start({ noV2Instance: true, maxCharacters: 5000 });
    expect((await mastodon.rules(ctx())).maxLength).toBe(5000);
  });

  it('publishes text with visibility, content warning and language, under an Idempotency-Key from the key', async () => {
    const result = await mastodon.publish(
      input({ text: 'Hello fediverse', options: { visibility: 'unlisted', contentWarning: 'launch', language: 'en' } }),
    );
    expect(server.statuses).toHaveLength(1);
    const [status] = server.statuses;
    expect(status).toMatchObject({
      text: 'Hello fediverse',
      visibility: 'unlisted',
      spoiler_text: 'launch',
      language: 'en',
    });
    expect(result).toEqual({ remoteId: status!.id, url: status!.url });
    expect(idempotencyKey('dlv_m1')).toBe(idempotencyKey('dlv_m1'));
    expect(idempotencyKey('dlv_m1')).not.toBe(idempotencyKey('dlv_m1.1'));
  });

  it('uploads an image with alt text and waits for a video to be processed', async () => {
    const result = await mastodon.publish(
      input({ text: 'media', media: [{ url: 'https://m/a.png', alt: 'A grey box' }, { url: 'https://m/b.mp4' }] }),
    );
    const [status] = server.statuses;
    expect(status?.media_ids).toHaveLength(2);
    expect(server.media.get(status!.media_ids[0]!)).toMatchObject({ description: 'A grey box', type: 'image/png' });
    expect(sleeps).toBe(3); // 206, 206, then 200
    expect(checkpoints).toEqual([{ mediaIds: status!.media_ids }]);
    expect(result.remoteId).toBe(status!.id);
  });

  it('reuses the media of an earlier attempt instead of uploading again', async () => {
    await mastodon.publish(input({ text: 'one', media: [{ url: 'https://m/a.png' }] }, { key: 'k-a' }));
    const uploads = server.requests.filter((r) => r === 'POST /api/v2/media').length;
    const mediaIds = server.statuses[0]!.media_ids;
    await mastodon.publish(
      input({ text: 'again', media: [{ url: 'https://m/a.png' }] }, { key: 'k-b', checkpoint: { mediaIds } }),
    );
    expect(server.requests.filter((r) => r === 'POST /api/v2/media').length).toBe(uploads);
    expect(server.statuses[0]!.media_ids).toEqual(mediaIds);
  });

  it('chains a reply to the parent status', async () => {
    const root = await mastodon.publish(input({ text: 'part 1' }));
    const reply = await mastodon.publish(
      input({ text: 'part 2' }, { key: 'dlv_m1.1', replyTo: { root, parent: root } }),
    );
    expect(server.statuses[0]).toMatchObject({ id: reply.remoteId, in_reply_to_id: root.remoteId });
  });

  it('a retry after a lost answer returns the same status: no second post', async () => {
    server.failNext('POST /api/v1/statuses', { status: 200, lostAfterCreate: true });
    const lost = await mastodon.publish(input({ text: 'exactly once' })).catch((e) => e);
    expect(lost).toBeInstanceOf(PlatformError);
    expect(lost.kind).toBe('transient');
    const retried = await mastodon.publish(input({ text: 'exactly once' }));
    expect(server.statuses).toHaveLength(1);
    expect(retried.remoteId).toBe(server.statuses[0]!.id);
  });

  it('reconcile finds the status a crashed attempt created, by text and reply parent, and null otherwise', async () => {
    const text =
      'Launch: https://example.com/a/very/long/path/that/is/shortened/in/html & more\n\nby @bob@example.social';
    const created = await mastodon.publish(input({ text }));
    expect(await mastodon.reconcile(input({ text }))).toEqual(created);
    expect(await mastodon.reconcile(input({ text: 'never sent' }))).toBeNull();
    const other = { remoteId: '999', url: 'x' };
    expect(await mastodon.reconcile(input({ text }, { replyTo: { root: other, parent: other } }))).toBeNull();
  });

  it.each([
    [{ status: 429, headers: { 'x-ratelimit-reset': new Date(Date.now() + 60_000).toISOString() } }, 'rate_limited'],
    [{ status: 503 }, 'transient'],
    [{ status: 401, body: { error: 'The access token was revoked' } }, 'auth'],
    [{ status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } }, 'invalid'],
  ] as const)('maps %o to %s', async (answer, kind) => {
    server.failNext('POST /api/v1/statuses', answer);
    const err = await mastodon.publish(input({ text: 'x' })).catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe(kind);
    if (kind === 'rate_limited') expect(err.retryAfterMs).toBeGreaterThan(50_000);
    if (kind === 'invalid') expect(err.message).toContain('Text character limit of 500 exceeded');
    expect(server.statuses).toHaveLength(0);
  });

  it('an unreachable instance is transient', async () => {
    await server.stop();
    const err = await mastodon.publish(input({ text: 'x' })).catch((e) => e);
    expect(err.kind).toBe('transient');
    await start();
  });
});
