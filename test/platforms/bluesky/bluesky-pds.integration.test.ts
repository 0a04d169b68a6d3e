import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/core/errors.js';
import { createBlueskyPlatform } from '../../../src/platforms/bluesky/bluesky-platform.js';
import { tidForDelivery } from '../../../src/platforms/bluesky/tid.js';
import type { AccountContext, Platform } from '../../../src/platforms/platform.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../../servers/bluesky/harness.js';
import { countingFetch, PdsClient, StoredAccount } from './pds-client.js';
import { makePng } from './png.js';

const unavailable = pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the Bluesky PDS integration tests: ${unavailable}`);

type User = { handle: string; did: string; password: string };

describe.skipIf(unavailable)('Bluesky adapter against a real PDS', () => {
  let pds: TestPds;
  let client: PdsClient;
  let alice: User;
  let bob: User;
  const net = countingFetch();
  let bluesky: Platform;

  const credentialsOf = (user: User, password = user.password) => ({
    service: pds.url,
    identifier: user.handle,
    appPassword: password,
  });
  const deliveryId = () => `dlv_${randomUUID()}`;
  const rkeyOf = (remoteId: string) => remoteId.split('/').at(-1)!;
  const logins = () => net.calls.filter((c) => c === 'com.atproto.server.createSession').length;
  const refreshes = () => net.calls.filter((c) => c === 'com.atproto.server.refreshSession').length;

  beforeAll(async () => {
    pds = await startPds();
    client = new PdsClient(pds.url);
    alice = await client.createAccount('alice');
    bob = await client.createAccount('bob');
    bluesky = createBlueskyPlatform({ fetch: net.fetch, timeoutMs: 10_000 });
  });
  afterAll(() => pds?.stop());

  /** Alice's account, connected through verify() as the accounts layer does it. */
  async function connected(user: User = alice): Promise<StoredAccount> {
    const profile = await bluesky.verify(credentialsOf(user), AbortSignal.timeout(10_000));
    return new StoredAccount(profile.credentials);
  }

  it('verify() logs in with the app password and returns handle, DID and a session', async () => {
    const profile = await bluesky.verify(credentialsOf(alice), AbortSignal.timeout(10_000));
    expect(profile.handle).toBe(alice.handle);
    expect(profile.remoteId).toBe(alice.did);
    expect(profile.credentials).toMatchObject({
      ...credentialsOf(alice),
      session: { did: alice.did, handle: alice.handle, accessJwt: expect.any(String), refreshJwt: expect.any(String) },
    });
  });

  it('verify() with a wrong app password is an auth error that shows no secret', async () => {
    const err = await bluesky
      .verify(credentialsOf(alice, 'wrong-password'), AbortSignal.timeout(10_000))
      .catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('auth');
    expect(err.httpStatus).toBe(401);
    expect(err.message).not.toContain('wrong-password');
  });

  it('publishes link, hashtag and mention facets with UTF-8 byte offsets and the DID', async () => {
    const account = await connected();
    const text = `👋🏽 日本語 @${bob.handle} read https://example.com/a?b=1. #hayon`;
    const result = await bluesky.publish(account.input(deliveryId(), { text }));
    const rkey = rkeyOf(result.remoteId);
    expect(result.remoteId).toBe(`at://${alice.did}/app.bsky.feed.post/${rkey}`);
    expect(result.url).toBe(`https://bsky.app/profile/${alice.handle}/post/${rkey}`);

    const { value } = (await client.getRecord(alice.did, rkey)) as { value: { text: string; facets: unknown[] } };
    expect(value.text).toBe(text);
    const mentionStart = 8 + 1 + 9 + 1; // 👋🏽 (8 bytes), space, 日本語 (9 bytes), space
    const mentionEnd = mentionStart + 1 + bob.handle.length;
    const linkStart = mentionEnd + ' read '.length;
    const linkEnd = linkStart + 'https://example.com/a?b=1'.length;
    const tagStart = linkEnd + 2; // the full stop is not part of the link
    expect(value.facets).toEqual([
      {
        index: { byteStart: mentionStart, byteEnd: mentionEnd },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did: bob.did }],
      },
      {
        index: { byteStart: linkStart, byteEnd: linkEnd },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/a?b=1' }],
      },
      {
        index: { byteStart: tagStart, byteEnd: tagStart + '#hayon'.length },
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'hayon' }],
      },
    ]);
  });

  it('leaves a mention of an unknown handle as plain text', async () => {
    const account = await connected();
    const result = await bluesky.publish(account.input(deliveryId(), { text: 'hi @nobody-here.test' }));
    const { value } = (await client.getRecord(alice.did, rkeyOf(result.remoteId))) as { value: object };
    expect(value).not.toHaveProperty('facets');
  });

  it('uploads an image with alt text and aspect ratio', async () => {
    const account = await connected();
    account.serve('https://media.test/a.png', { bytes: makePng(40, 30), mimeType: 'image/png' });
    const result = await bluesky.publish(
      account.input(deliveryId(), {
        text: 'a picture',
        media: [{ url: 'https://media.test/a.png', alt: 'A grey box' }],
      }),
    );
    const { value } = (await client.getRecord(alice.did, rkeyOf(result.remoteId))) as {
      value: { embed: { $type: string; images: { alt: string; aspectRatio: unknown; image: { mimeType: string } }[] } };
    };
    expect(value.embed.$type).toBe('app.bsky.embed.images');
    expect(value.embed.images).toHaveLength(1);
    expect(value.embed.images[0]).toMatchObject({
      alt: 'A grey box',
      aspectRatio: { width: 40, height: 30 },
      image: { mimeType: 'image/png' },
    });
  });

  it('publishing one delivery twice creates one record, at the key derived from the delivery id', async () => {
    const carol = await client.createAccount('carol');
    const account = await connected(carol);
    const id = deliveryId();
    const first = await bluesky.publish(account.input(id, { text: 'only once' }));
    const second = await bluesky.publish(account.input(id, { text: 'only once' }));
    expect(second).toEqual(first);
    expect(rkeyOf(first.remoteId)).toBe(tidForDelivery(id));
    expect((await client.listPosts(carol.did)).map((r) => r.uri)).toEqual([first.remoteId]);

    expect(await bluesky.reconcile(account.input(id, { text: 'only once' }))).toEqual(first);
    expect(await bluesky.reconcile(account.input(deliveryId(), { text: 'never sent' }))).toBeNull();
  });

  it('chains thread parts as replies with root and parent strong refs, each part at its own key', async () => {
    const dave = await client.createAccount('dave');
    const account = await connected(dave);
    const id = deliveryId();
    const root = await bluesky.publish(account.input(id, { text: 'part one (1/3)' }));
    const second = await bluesky.publish(
      account.input(id, { text: 'part two (2/3)' }, { key: `${id}.1`, replyTo: { root, parent: root } }),
    );
    const third = await bluesky.publish(
      account.input(id, { text: 'part three (3/3)' }, { key: `${id}.2`, replyTo: { root, parent: second } }),
    );
    expect(root.cid).toBeTruthy();
    const { value } = (await client.getRecord(dave.did, rkeyOf(third.remoteId))) as {
      value: { text: string; reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } };
    };
    expect(value.text).toBe('part three (3/3)');
    expect(value.reply).toEqual({
      root: { uri: root.remoteId, cid: root.cid },
      parent: { uri: second.remoteId, cid: second.cid },
    });
    // A retry of part two finds it (with its CID) instead of posting it again.
    const again = await bluesky.reconcile(account.input(id, { text: 'part two (2/3)' }, { key: `${id}.1` }));
    expect(again).toEqual(second);
    expect(await client.listPosts(dave.did)).toHaveLength(3);
  });

  it('reuses the stored session: one login for several publishes, none when resuming', async () => {
    const before = logins();
    const account = await connected(); // verify() is the one login
    for (let i = 0; i < 3; i++) await bluesky.publish(account.input(deliveryId(), { text: `post ${i}` }));
    expect(logins() - before).toBe(1);
    expect(account.saves).toEqual([]); // the session did not change, nothing to save
  });

  it('refreshes a session whose access token is garbage and saves the new session', async () => {
    const account = await connected();
    const session = account.credentials.session as Record<string, string>;
    account.credentials = { ...account.credentials, session: { ...session, accessJwt: 'garbage' } };
    const [loginsBefore, refreshesBefore] = [logins(), refreshes()];

    // With a mention: resolving it is the first call made with the stale token.
    const result = await bluesky.publish(account.input(deliveryId(), { text: `after a refresh @${bob.handle}` }));
    const { value } = (await client.getRecord(alice.did, rkeyOf(result.remoteId))) as { value: { facets: unknown } };
    expect(value.facets).toMatchObject([{ features: [{ did: bob.did }] }]);
    expect(logins()).toBe(loginsBefore);
    expect(refreshes()).toBe(refreshesBefore + 1);
    expect(account.saves).toHaveLength(1);
    const saved = account.saves[0]!.session as Record<string, string>;
    expect(saved.accessJwt).not.toBe('garbage');
    expect(saved.refreshJwt).not.toBe(session.refreshJwt);
    expect(account.saves[0]).toMatchObject(credentialsOf(alice));
  });

  it('logs in again (and saves) when both tokens are dead', async () => {
    const account = new StoredAccount({
      ...credentialsOf(alice),
      session: { did: alice.did, handle: alice.handle, accessJwt: 'garbage', refreshJwt: 'garbage' },
    });
    const before = logins();
    await bluesky.publish(account.input(deliveryId(), { text: 'after a new login' }));
    expect(logins()).toBe(before + 1);
    expect(account.saves).toHaveLength(1);
    expect((account.saves[0]!.session as Record<string, string>).refreshJwt).not.toBe('garbage');
  });

  it('dead tokens and a revoked app password are an auth error', async () => {
    const account = new StoredAccount({
      ...credentialsOf(alice, 'revoked-app-password'),
      session: { did: alice.did, handle: alice.handle, accessJwt: 'garbage', refreshJwt: 'garbage' },
    });
    const err = await bluesky.publish(account.input(deliveryId(), { text: 'never' })).catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('revoked-app-password');
    expect(err.message).not.toContain('garbage');
  });

  it('validate() rejects text over 300 graphemes, which the PDS would refuse too', async () => {
    expect(await bluesky.validate({ text: 'x'.repeat(341), media: [] }, {} as AccountContext)).toEqual([
      { field: 'text', code: 'content_too_long', message: 'Too long for Bluesky by 41 characters (341 of 300).' },
    ]);
  });

  it('an image over 1,000,000 bytes is an invalid error (blob too big)', async () => {
    const account = await connected();
    const big = makePng(600, 600, 'random'); // ~1.08 MB, random pixels do not compress
    expect(big.length).toBeGreaterThan(1_000_000);
    account.serve('https://media.test/big.png', { bytes: big, mimeType: 'image/png' });
    const err = await bluesky
      .publish(account.input(deliveryId(), { text: 'too big', media: [{ url: 'https://media.test/big.png' }] }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('blob too big');
  });
});
