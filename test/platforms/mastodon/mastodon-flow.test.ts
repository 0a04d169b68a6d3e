import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import { idempotencyKey } from '../../../src/platforms/mastodon/mastodon-platform.js';
import { failure, MastodonTestbed } from './mastodon-testbed.js';

describe('Mastodon adapter against FakeMastodonServer', () => {
  const t = new MastodonTestbed();
  beforeEach(() => t.start());
  afterEach(() => t.server.stop());
  const input = t.input.bind(t);
  const ctx = t.ctx.bind(t);
  const credentials = t.credentials.bind(t);
  const restart = t.restart.bind(t);

  describe('accounts and rules', () => {
    it("verify returns @user@ the instance's domain and the account id", async () => {
      await restart({ domain: 'example.social' });
      const profile = await t.mastodon.verify(credentials(), AbortSignal.timeout(5_000));
      expect(profile.handle).toBe('@alice@example.social');
      expect(profile.remoteId).toBe('7');
      expect(profile.credentials).toMatchObject({ accountId: '7', instanceUrl: t.server.url });
    });

    it('a wrong token is an auth error that does not show the token', async () => {
      const err = (await failure(
        t.mastodon.verify({ instanceUrl: t.server.url, accessToken: 'wrong-secret-token' }, AbortSignal.timeout(5_000)),
      )) as PlatformError;
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.kind).toBe('auth');
      expect(err.message).toContain('The access token is invalid');
      expect(err.message).not.toContain('wrong-secret-token');
    });

    it('reads the limits from the instance: its character limit, with links counting 23', async () => {
      await restart({ maxCharacters: 100, maxMediaAttachments: 2, descriptionLimit: 20 });
      const rules = await t.mastodon.rules(ctx());
      expect(rules).toMatchObject({ maxLength: 100, unit: 'characters', threads: true });
      expect(rules.count(`see https://example.com/${'x'.repeat(200)} @bob@far.away`)).toBe(4 + 23 + 5);
      const issues = await t.mastodon.validate(
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
      const instanceReads = () => t.server.requests.filter((r) => r === 'GET /api/v2/instance').length;
      await t.mastodon.rules(ctx());
      await t.mastodon.validate({ text: 'hi', media: [] }, ctx());
      expect(instanceReads()).toBe(1);
      t.now += 3_600_001;
      await t.mastodon.rules(ctx());
      expect(instanceReads()).toBe(2);
    });

    it('falls back to v1 instance limits on older servers', async () => {
      await restart({ noV2Instance: true, maxCharacters: 5000 });
      expect((await t.mastodon.rules(ctx())).maxLength).toBe(5000);
    });

    it('falls back to 500 characters when the instance cannot be read', async () => {
      t.server.failNext('GET /api/v2/instance', { status: 503 }).failNext('GET /api/v1/instance', { status: 503 });
      expect((await t.mastodon.rules(ctx())).maxLength).toBe(500);
    });
  });

  describe('publish', () => {
    it("publishes text under an Idempotency-Key from the key, with the post's own options", async () => {
      const result = await t.mastodon.publish(
        input({
          text: 'Hello fediverse',
          options: { visibility: 'unlisted', contentWarning: 'launch', language: 'en' },
        }),
      );
      expect(t.server.statuses).toHaveLength(1);
      const [status] = t.server.statuses;
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
      await t.mastodon.publish(input({ text: 'Hallo' }, { credentials: creds }));
      expect(t.server.statuses[0]).toMatchObject({ visibility: 'private', spoiler_text: 'cw', language: 'de' });
      await t.mastodon.publish(
        input({ text: 'Hi', options: { visibility: 'public' } }, { key: 'k2', credentials: creds }),
      );
      expect(t.server.statuses[0]).toMatchObject({ visibility: 'public', spoiler_text: 'cw' });
    });

    it('uploads images with their alt text', async () => {
      const result = await t.mastodon.publish(
        input({ text: 'media', media: [{ url: 'https://m/a.png', alt: 'A grey box' }, { url: 'https://m/b.png' }] }),
      );
      const [status] = t.server.statuses;
      expect(status?.media_ids).toHaveLength(2);
      expect(status?.media_ids.map((id) => t.server.media.get(id))).toMatchObject([
        { description: 'A grey box', type: 'image/png' },
        { description: null, type: 'image/png' },
      ]);
      expect(t.sleeps).toBe(0);
      expect(t.checkpoints.get('dlv_m1')).toEqual({ mediaIds: status?.media_ids, postingAt: t.now });
      expect(result.remoteId).toBe(status?.id);
    });

    it('gives up, transiently and without posting, on media that stays in processing', async () => {
      await restart({ processingPolls: 100 }, { mediaPolls: 3 });
      const err = (await failure(
        t.mastodon.publish(input({ text: 'v', media: [{ url: 'https://m/v.mp4' }] })),
      )) as PlatformError;
      expect(err.kind).toBe('transient');
      expect(err.message).toBe('Mastodon was still processing an attachment after 3 checks.');
      expect(t.sleeps).toBe(3);
      expect(t.server.statuses).toHaveLength(0);
    });

    it('a retry reuses the media of the earlier attempt instead of uploading again', async () => {
      t.server.failNext('POST /api/v1/statuses', { status: 503 });
      await failure(t.mastodon.publish(input({ text: 'one', media: [{ url: 'https://m/a.png' }] })));
      await t.mastodon.publish(input({ text: 'one', media: [{ url: 'https://m/a.png' }] }));
      expect(t.server.requests.filter((r) => r === 'POST /api/v2/media')).toHaveLength(1);
      expect(t.server.statuses).toHaveLength(1);
      expect(t.server.statuses[0]?.media_ids).toEqual(t.checkpoints.get('dlv_m1')?.mediaIds);
    });

    it('chains a reply to the parent status', async () => {
      const root = await t.mastodon.publish(input({ text: 'part 1' }));
      const second = await t.mastodon.publish(
        input({ text: 'part 2' }, { key: 'dlv_m1.1', replyTo: { root, parent: root } }),
      );
      const third = await t.mastodon.publish(
        input({ text: 'part 3' }, { key: 'dlv_m1.2', replyTo: { root, parent: second } }),
      );
      expect(t.server.statuses.map((s) => [s.id, s.text, s.in_reply_to_id])).toEqual([
        [third.remoteId, 'part 3', second.remoteId],
        [second.remoteId, 'part 2', root.remoteId],
        [root.remoteId, 'part 1', null],
      ]);
    });

    it('a retry after a lost answer returns the same status: no second post', async () => {
      t.server.failNext('POST /api/v1/statuses', { status: 200, lostAfterCreate: true });
      const lost = (await failure(t.mastodon.publish(input({ text: 'exactly once' })))) as PlatformError;
      expect(lost.kind).toBe('transient');
      const retried = await t.mastodon.publish(input({ text: 'exactly once' }));
      expect(t.server.statuses).toHaveLength(1);
      expect(retried.remoteId).toBe(t.server.statuses[0]?.id);
    });
  });

  describe('reconcile', () => {
    const text =
      'Launch: https://example.com/a/very/long/path/that/is/shortened/in/html & more\n\nby @bob@example.social';

    it('finds the status of an earlier publish with the same key', async () => {
      const created = await t.mastodon.publish(input({ text, media: [{ url: 'https://m/a.png', alt: 'x' }] }));
      expect(await t.mastodon.reconcile(input({ text, media: [{ url: 'https://m/a.png', alt: 'x' }] }))).toEqual(
        created,
      );
    });

    it('finds the status whose answer was lost, hours later, so no second post is made', async () => {
      t.server.failNext('POST /api/v1/statuses', { status: 200, lostAfterCreate: true });
      await failure(t.mastodon.publish(input({ text })));
      t.now += 3 * 3_600_000;
      const found = await t.mastodon.reconcile(input({ text }));
      expect(found).toEqual({ remoteId: t.server.statuses[0]?.id, url: t.server.statuses[0]?.url });
    });

    it('is null when the attempt never reached the status call, or failed there', async () => {
      expect(await t.mastodon.reconcile(input({ text }))).toBeNull();
      t.server.failNext('POST /api/v1/statuses', { status: 503 });
      await failure(t.mastodon.publish(input({ text })));
      expect(t.checkpoints.has('dlv_m1')).toBe(true);
      expect(await t.mastodon.reconcile(input({ text }))).toBeNull();
    });

    it('does not take an identical status posted before the attempt, or one with another parent', async () => {
      t.server.seedStatus(text, new Date(t.now - 3_600_000));
      const other = t.server.seedStatus('other', new Date(t.now - 3_600_000));
      t.checkpoints.set('dlv_m1', { mediaIds: [], postingAt: t.now });
      expect(await t.mastodon.reconcile(input({ text }))).toBeNull();
      t.server.seedStatus(text, new Date(t.now + 1000), other.id);
      expect(await t.mastodon.reconcile(input({ text }))).toBeNull();
      const parent = { remoteId: other.id, url: other.url };
      expect(await t.mastodon.reconcile(input({ text }, { replyTo: { root: parent, parent } }))).toMatchObject({
        url: t.server.statuses[0]?.url,
      });
    });

    it('pages back through the account statuses (max_id)', async () => {
      await restart({}, { reconcilePageSize: 2 });
      const created = await t.mastodon.publish(input({ text: 'needle' }));
      for (let i = 0; i < 3; i++) await t.mastodon.publish(input({ text: `later ${i}` }, { key: `later-${i}` }));
      expect(await t.mastodon.reconcile(input({ text: 'needle' }))).toEqual(created);
      expect(t.server.requests.filter((r) => r.startsWith('GET /api/v1/accounts/7/statuses'))).toHaveLength(2);
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
      t.server.failNext('POST /api/v1/statuses', answer);
      const err = (await failure(t.mastodon.publish(input({ text: 'x' })))) as PlatformError;
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.kind).toBe(kind);
      expect(err.httpStatus).toBe(answer.status);
      if (kind === 'rate_limited') expect(err.retryAfterMs).toBeGreaterThan(50_000);
      if (kind === 'invalid') expect(err.message).toContain('Text character limit of 500 exceeded');
      expect(t.server.statuses).toHaveLength(0);
    });

    it('a token revoked on the instance is auth on every call', async () => {
      t.server.revoked = true;
      const err = (await failure(t.mastodon.publish(input({ text: 'x', media: [{ url: 'a.png' }] })))) as PlatformError;
      expect(err.kind).toBe('auth');
      expect(err.message).toContain('The access token was revoked');
    });

    it('a failing media upload is transient (500) or invalid (422)', async () => {
      t.server.failNext('POST /api/v2/media', { status: 500 });
      expect(
        ((await failure(t.mastodon.publish(input({ text: 'x', media: [{ url: 'a.png' }] })))) as PlatformError).kind,
      ).toBe('transient');
      t.server.failNext('POST /api/v2/media', {
        status: 422,
        body: { error: 'Validation failed: File content type is invalid' },
      });
      const err = (await failure(t.mastodon.publish(input({ text: 'x', media: [{ url: 'a.png' }] })))) as PlatformError;
      expect(err.kind).toBe('invalid');
      expect(err.message).toContain('File content type is invalid');
    });

    it('an unreachable instance is transient', async () => {
      await t.server.stop();
      const err = (await failure(t.mastodon.publish(input({ text: 'x' })))) as PlatformError;
      expect(err.kind).toBe('transient');
      expect(err.message).toBe('Mastodon could not be reached (POST /api/v1/statuses).');
      await t.start();
    });
  });
});
