import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import type { Account } from '../../../src/core/post.js';
import {
  createMastodonPlatform,
  idempotencyKey,
  type MastodonAdapterOptions,
} from '../../../src/platforms/mastodon/mastodon-platform.js';
import type { AccountContext, Platform, PublishInput } from '../../../src/platforms/platform.js';
import type { ResolvedContent } from '../../../src/core/content.js';
import { FakeMastodonServer, type FakeMastodonOptions } from '../../fakes/fake-mastodon-server.js';

const account = { id: 'acc_m', platform: 'mastodon', handle: '@alice@fake' } as Account;
const png = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), mimeType: 'image/png' };
const mp4 = { bytes: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]), mimeType: 'video/mp4' };

describe('Mastodon adapter against FakeMastodonServer', () => {
  let server: FakeMastodonServer;
  let mastodon: Platform;
  let sleeps: number;
  let now: number;
  /** Checkpoints by key, as the delivery store keeps them. */
  let checkpoints: Map<string, Record<string, unknown>>;

  const start = async (options: FakeMastodonOptions = {}, adapter: Partial<MastodonAdapterOptions> = {}) => {
    server = await new FakeMastodonServer(options).start();
    sleeps = 0;
    now = Date.now();
    checkpoints = new Map();
    mastodon = createMastodonPlatform(
      {
        fetch,
        timeoutMs: 5_000,
        sleep: async () => {
          sleeps++;
        },
      },
      { clock: () => now, ...adapter },
    );
  };
  const restart = async (options: FakeMastodonOptions = {}, adapter: Partial<MastodonAdapterOptions> = {}) => {
    await server.stop();
    await start(options, adapter);
  };
  beforeEach(() => start());
  afterEach(() => server.stop());

  const credentials = (more: Record<string, unknown> = {}) => ({
    instanceUrl: server.url,
    accessToken: server.token,
    ...more,
  });
  const ctx = (): AccountContext => ({ account, credentials: credentials(), signal: AbortSignal.timeout(5_000) });
  const input = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}): PublishInput => {
    const key = more.key ?? 'dlv_m1';
    return {
      deliveryId: 'dlv_m1',
      key,
      content: {
        text: content.text ?? '',
        media: content.media ?? [],
        ...(content.options ? { options: content.options } : {}),
      },
      account,
      credentials: credentials(),
      saveCredentials: async () => {},
      checkpoint: checkpoints.get(key),
      saveCheckpoint: async (data) => {
        checkpoints.set(key, data);
      },
      loadMedia: async (item) => (item.url.endsWith('.mp4') ? mp4 : png),
      signal: AbortSignal.timeout(5_000),
      ...more,
    };
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('expected a PlatformError'),
      (e: unknown) => e,
    );

  describe('accounts and rules', () => {
    it("verify returns @user@ the instance's domain and the account id", async () => {
      await restart({ domain: 'example.social' });
      const profile = await mastodon.verify(credentials(), AbortSignal.timeout(5_000));
      expect(profile.handle).toBe('@alice@example.social');
      expect(profile.remoteId).toBe('7');
      expect(profile.credentials).toMatchObject({ accountId: '7', instanceUrl: server.url });
    });

    it('a wrong token is an auth error that does not show the token', async () => {
      const err = (await failure(
        mastodon.verify({ instanceUrl: server.url, accessToken: 'wrong-secret-token' }, AbortSignal.timeout(5_000)),
      )) as PlatformError;
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.kind).toBe('auth');
      expect(err.message).toContain('The access token is invalid');
      expect(err.message).not.toContain('wrong-secret-token');
    });

    it('reads the limits from the instance: its character limit, with links counting 23', async () => {
      await restart({ maxCharacters: 100, maxMediaAttachments: 2, descriptionLimit: 20 });
      const rules = await mastodon.rules(ctx());
      expect(rules).toMatchObject({ maxLength: 100, unit: 'characters', threads: true });
      expect(rules.count(`see https://example.com/${'x'.repeat(200)} @bob@far.away`)).toBe(4 + 23 + 5);
      const issues = await mastodon.validate(
        { text: 'y'.repeat(120), media: [{ url: 'a.png', alt: 'z'.repeat(21) }, { url: 'b.png' }, { url: 'c.png' }] },
        ctx(),
      );
      expect(issues.map((i) => [i.field, i.message])).toEqual([
        ['text', 'Too long for Mastodon by 20 characters (120 of 100; links count 23).'],
        ['media', 'This Mastodon instance takes at most 2 attachments per post (3 given).'],
        ['media[0].alt', 'Alt text of attachment 1 is too long for Mastodon by 1 characters (21 of 20).'],
      ]);
    });

    it('reads an instance once per hour', async () => {
      const instanceReads = () => server.requests.filter((r) => r === 'GET /api/v2/instance').length;
      await mastodon.rules(ctx());
      await mastodon.validate({ text: 'hi', media: [] }, ctx());
      expect(instanceReads()).toBe(1);
      now += 3_600_001;
      await mastodon.rules(ctx());
      expect(instanceReads()).toBe(2);
    });

    it('falls back to v1 instance limits on older servers', async () => {
      await restart({ noV2Instance: true, maxCharacters: 5000 });
      expect((await mastodon.rules(ctx())).maxLength).toBe(5000);
    });

    it('falls back to 500 characters when the instance cannot be read', async () => {
      server.failNext('GET /api/v2/instance', { status: 503 }).failNext('GET /api/v1/instance', { status: 503 });
      expect((await mastodon.rules(ctx())).maxLength).toBe(500);
    });
  });

  describe('publish', () => {
    it("publishes text under an Idempotency-Key from the key, with the post's own options", async () => {
      const result = await mastodon.publish(
        input({
          text: 'Hello fediverse',
          options: { visibility: 'unlisted', contentWarning: 'launch', language: 'en' },
        }),
      );
      expect(server.statuses).toHaveLength(1);
      const [status] = server.statuses;
      expect(status).toMatchObject({
        text: 'Hello fediverse',
        visibility: 'unlisted',
        spoiler_text: 'launch',
        language: 'en',
      });
      expect(result).toEqual({ remoteId: status?.id, url: status?.url });
      expect(idempotencyKey('dlv_m1')).toBe(idempotencyKey('dlv_m1'));
      expect(idempotencyKey('dlv_m1')).not.toBe(idempotencyKey('dlv_m1.1'));
    });

    it("uses the account's defaults from its credentials when the post has no options", async () => {
      const creds = credentials({ defaultVisibility: 'private', defaultContentWarning: 'cw', defaultLanguage: 'de' });
      await mastodon.publish(input({ text: 'Hallo' }, { credentials: creds }));
      expect(server.statuses[0]).toMatchObject({ visibility: 'private', spoiler_text: 'cw', language: 'de' });
      await mastodon.publish(
        input({ text: 'Hi', options: { visibility: 'public' } }, { key: 'k2', credentials: creds }),
      );
      expect(server.statuses[0]).toMatchObject({ visibility: 'public', spoiler_text: 'cw' });
    });

    it('uploads an image with alt text and waits for a video to be processed', async () => {
      const result = await mastodon.publish(
        input({ text: 'media', media: [{ url: 'https://m/a.png', alt: 'A grey box' }, { url: 'https://m/b.mp4' }] }),
      );
      const [status] = server.statuses;
      expect(status?.media_ids).toHaveLength(2);
      expect(server.media.get(status?.media_ids[0] ?? '')).toMatchObject({
        description: 'A grey box',
        type: 'image/png',
      });
      expect(server.media.get(status?.media_ids[1] ?? '')).toMatchObject({ type: 'video/mp4', pollsLeft: 0 });
      expect(sleeps).toBe(3); // 206, 206, then 200
      expect(checkpoints.get('dlv_m1')).toEqual({ mediaIds: status?.media_ids, postingAt: now });
      expect(result.remoteId).toBe(status?.id);
    });

    it('gives up, transiently and without posting, on media that stays in processing', async () => {
      await restart({ processingPolls: 100 }, { mediaPolls: 3 });
      const err = (await failure(
        mastodon.publish(input({ text: 'v', media: [{ url: 'https://m/v.mp4' }] })),
      )) as PlatformError;
      expect(err.kind).toBe('transient');
      expect(err.message).toBe('Mastodon was still processing an attachment after 3 checks.');
      expect(sleeps).toBe(3);
      expect(server.statuses).toHaveLength(0);
    });

    it('a retry reuses the media of the earlier attempt instead of uploading again', async () => {
      server.failNext('POST /api/v1/statuses', { status: 503 });
      await failure(mastodon.publish(input({ text: 'one', media: [{ url: 'https://m/a.png' }] })));
      await mastodon.publish(input({ text: 'one', media: [{ url: 'https://m/a.png' }] }));
      expect(server.requests.filter((r) => r === 'POST /api/v2/media')).toHaveLength(1);
      expect(server.statuses).toHaveLength(1);
      expect(server.statuses[0]?.media_ids).toEqual(checkpoints.get('dlv_m1')?.mediaIds);
    });

    it('chains a reply to the parent status', async () => {
      const root = await mastodon.publish(input({ text: 'part 1' }));
      const second = await mastodon.publish(
        input({ text: 'part 2' }, { key: 'dlv_m1.1', replyTo: { root, parent: root } }),
      );
      const third = await mastodon.publish(
        input({ text: 'part 3' }, { key: 'dlv_m1.2', replyTo: { root, parent: second } }),
      );
      expect(server.statuses.map((s) => [s.id, s.text, s.in_reply_to_id])).toEqual([
        [third.remoteId, 'part 3', second.remoteId],
        [second.remoteId, 'part 2', root.remoteId],
        [root.remoteId, 'part 1', null],
      ]);
    });

    it('a retry after a lost answer returns the same status: no second post', async () => {
      server.failNext('POST /api/v1/statuses', { status: 200, lostAfterCreate: true });
      const lost = (await failure(mastodon.publish(input({ text: 'exactly once' })))) as PlatformError;
      expect(lost.kind).toBe('transient');
      const retried = await mastodon.publish(input({ text: 'exactly once' }));
      expect(server.statuses).toHaveLength(1);
      expect(retried.remoteId).toBe(server.statuses[0]?.id);
    });
  });

  describe('reconcile', () => {
    const text =
      'Launch: https://example.com/a/very/long/path/that/is/shortened/in/html & more\n\nby @bob@example.social';

    it('finds the status of an earlier publish with the same key', async () => {
      const created = await mastodon.publish(input({ text, media: [{ url: 'https://m/a.png', alt: 'x' }] }));
      expect(await mastodon.reconcile(input({ text, media: [{ url: 'https://m/a.png', alt: 'x' }] }))).toEqual(created);
    });

    it('finds the status whose answer was lost, hours later, so no second post is made', async () => {
      server.failNext('POST /api/v1/statuses', { status: 200, lostAfterCreate: true });
      await failure(mastodon.publish(input({ text })));
      now += 3 * 3_600_000;
      const found = await mastodon.reconcile(input({ text }));
      expect(found).toEqual({ remoteId: server.statuses[0]?.id, url: server.statuses[0]?.url });
    });

    it('is null when the attempt never reached the status call, or failed there', async () => {
      expect(await mastodon.reconcile(input({ text }))).toBeNull();
      server.failNext('POST /api/v1/statuses', { status: 503 });
      await failure(mastodon.publish(input({ text })));
      expect(checkpoints.has('dlv_m1')).toBe(true);
      expect(await mastodon.reconcile(input({ text }))).toBeNull();
    });

    it('does not take an identical status posted before the attempt, or one with another parent', async () => {
      server.seedStatus(text, new Date(now - 3_600_000));
      const other = server.seedStatus('other', new Date(now - 3_600_000));
      checkpoints.set('dlv_m1', { mediaIds: [], postingAt: now });
      expect(await mastodon.reconcile(input({ text }))).toBeNull();
      server.seedStatus(text, new Date(now + 1000), other.id);
      expect(await mastodon.reconcile(input({ text }))).toBeNull();
      const parent = { remoteId: other.id, url: other.url };
      expect(await mastodon.reconcile(input({ text }, { replyTo: { root: parent, parent } }))).toMatchObject({
        url: server.statuses[0]?.url,
      });
    });

    it('pages back through the account statuses (max_id)', async () => {
      await restart({}, { reconcilePageSize: 2 });
      const created = await mastodon.publish(input({ text: 'needle' }));
      for (let i = 0; i < 3; i++) await mastodon.publish(input({ text: `later ${i}` }, { key: `later-${i}` }));
      expect(await mastodon.reconcile(input({ text: 'needle' }))).toEqual(created);
      expect(server.requests.filter((r) => r.startsWith('GET /api/v1/accounts/7/statuses'))).toHaveLength(2);
    });
  });

  describe('error answers', () => {
    it.each([
      [{ status: 429, headers: { 'x-ratelimit-reset': new Date(Date.now() + 60_000).toISOString() } }, 'rate_limited'],
      [{ status: 429, headers: { 'retry-after': '90' } }, 'rate_limited'],
      [{ status: 500 }, 'transient'],
      [{ status: 401, body: { error: 'The access token was revoked' } }, 'auth'],
      [{ status: 403, body: { error: 'Your login is currently disabled' } }, 'auth'],
      [{ status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } }, 'invalid'],
    ] as const)('POST /api/v1/statuses answering %o is %s', async (answer, kind) => {
      server.failNext('POST /api/v1/statuses', answer);
      const err = (await failure(mastodon.publish(input({ text: 'x' })))) as PlatformError;
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.kind).toBe(kind);
      expect(err.httpStatus).toBe(answer.status);
      if (kind === 'rate_limited') expect(err.retryAfterMs).toBeGreaterThan(50_000);
      if (kind === 'invalid') expect(err.message).toContain('Text character limit of 500 exceeded');
      expect(server.statuses).toHaveLength(0);
    });

    it('a token revoked on the instance is auth on every call', async () => {
      server.revoked = true;
      const err = (await failure(mastodon.publish(input({ text: 'x', media: [{ url: 'a.png' }] })))) as PlatformError;
      expect(err.kind).toBe('auth');
      expect(err.message).toContain('The access token was revoked');
    });

    it('a failing media upload is transient (500) or invalid (422)', async () => {
      server.failNext('POST /api/v2/media', { status: 500 });
      expect(
        ((await failure(mastodon.publish(input({ text: 'x', media: [{ url: 'a.png' }] })))) as PlatformError).kind,
      ).toBe('transient');
      server.failNext('POST /api/v2/media', {
        status: 422,
        body: { error: 'Validation failed: File content type is invalid' },
      });
      const err = (await failure(mastodon.publish(input({ text: 'x', media: [{ url: 'a.png' }] })))) as PlatformError;
      expect(err.kind).toBe('invalid');
      expect(err.message).toContain('File content type is invalid');
    });

    it('an unreachable instance is transient', async () => {
      await server.stop();
      const err = (await failure(mastodon.publish(input({ text: 'x' })))) as PlatformError;
      expect(err.kind).toBe('transient');
      expect(err.message).toBe('Mastodon could not be reached (POST /api/v1/statuses).');
      await start();
    });
  });
});
