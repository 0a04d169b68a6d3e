/**
 * The Platform contract: what every adapter must do, run against a real local server (Bluesky's
 * PDS) or a fake that follows the platform's documented API. An adapter joins by calling
 * `definePlatformContract(name, setup)` from its own `<platform>.contract.test.ts`, where `setup`
 * starts its server and returns a {@link ContractWorld}: the adapter, an account on that server,
 * and the few handles the suite needs to read back what was published and to make the next call
 * fail. A fault the world cannot make is a skip whose name says so; in CI none of the six skips.
 *
 * @example
 * definePlatformContract('mastodon', async () => {
 *   const server = await new FakeMastodonServer().start();
 *   return { platform: createMastodonPlatform(…), account, credentials, …, stop: () => server.stop() };
 * });
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedContent, ResolvedMedia } from '../../src/core/content.js';
import { PlatformError } from '../../src/core/errors.js';
import type { Account } from '../../src/core/post.js';
import type { MediaLoader, Platform, PublishInput, PublishResult } from '../../src/platforms/platform.js';

/** A fault the next create call meets (the call that makes the post: a status, a record, a container publish). */
export type ContractFault =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  /** An expired or revoked token, as the platform answers it: 401 on Mastodon, 400 with code 190 on Meta's APIs. */
  | { kind: 'auth' }
  | { kind: 'server_error' }
  | { kind: 'drop' }
  /** The platform creates the post, then the connection drops before the answer. */
  | { kind: 'lose_answer' };

/** A published post as read back from the server. */
export interface PublishedView {
  text: string;
  /** The alt text of each attachment, in order ('' where none). */
  alts: string[];
  /** The remote id of the post this one replies to, if any. */
  replyTo?: string | undefined;
  /** The URL of the link card, if the post carries one. */
  cardUrl?: string | undefined;
}

export interface ContractWorld {
  platform: Platform;
  account: Account;
  credentials: Record<string, unknown>;
  /** An image attachment the adapter can publish (a URL it can fetch, or one `loadMedia` serves). */
  image: ResolvedMedia;
  loadMedia: MediaLoader;
  /** Reads a post back from the server by what `publish` returned; null when it is not there. */
  readBack(result: PublishResult): Promise<PublishedView | null>;
  /** How many posts the account has on the server now. */
  count(): Promise<number>;
  /** Requests the server (or the proxy in front of it) has seen so far. */
  requestCount(): number;
  /** Makes the next create call meet `fault`; false when this world cannot make it. */
  failNextCreate(fault: ContractFault): boolean;
  /** Whether the platform chains replies into a thread. */
  threads: boolean;
  /**
   * Set where every post needs an image or a video (Instagram): the cases about text, faults and
   * lost answers then publish their text with `image` attached, since a text alone is refused.
   */
  mediaRequired?: boolean | undefined;
  /**
   * A URL whose page has Open Graph tags and that the adapter may fetch, for platforms that send a
   * link card themselves; undefined where the platform builds its own card (Mastodon) or has none.
   */
  linkPage?: string | undefined;
  /** Why there is no `linkPage`, for the skip: "builds its own link cards" when not given. */
  noLinkCard?: string | undefined;
  /** Why the platform's API cannot delete a post (Instagram), for the skip; the adapter then has no `remove`. */
  cannotDelete?: string | undefined;
  /** Text the platform refuses before any call (too long, say). */
  invalidText: string;
  stop(): Promise<void>;
}

/** Runs the contract against the adapter that `setup` builds. */
export function definePlatformContract(name: string, setup: () => Promise<ContractWorld>): void {
  describe(`Platform contract: ${name}`, () => {
    let world: ContractWorld;
    let n = 0;
    beforeAll(async () => {
      world = await setup();
    }, 120_000);
    afterAll(() => world?.stop());
    beforeEach(() => {
      n += 1;
    });

    const input = (content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}): PublishInput => {
      const key = `dlv_contract_${name}_${process.pid}_${n}`;
      let checkpoint: Record<string, unknown> | undefined;
      const media = content.media ?? (world.mediaRequired ? [world.image] : []);
      return {
        deliveryId: key,
        key,
        content: { text: content.text ?? '', ...content, media },
        account: world.account,
        credentials: world.credentials,
        saveCredentials: async (c) => {
          world.credentials = c;
        },
        get checkpoint() {
          return checkpoint;
        },
        saveCheckpoint: async (data) => {
          checkpoint = data;
        },
        loadMedia: world.loadMedia,
        signal: AbortSignal.timeout(30_000),
        ...more,
      };
    };
    const failure = async (p: Promise<unknown>): Promise<PlatformError> => {
      try {
        await p;
      } catch (e) {
        expect(e).toBeInstanceOf(PlatformError);
        return e as PlatformError;
      }
      return expect.unreachable('expected the publish to fail');
    };
    /** Arms a fault, or marks the case skipped with the reason when this world cannot make it. */
    const arm = (ctx: { skip: (note?: string) => void }, fault: ContractFault) => {
      if (!world.failNextCreate(fault)) ctx.skip(`${name}'s test world cannot make a ${fault.kind} answer`);
    };

    it('publishes text, read back from the server', async () => {
      const text = `contract text ${n} #hayon`;
      const result = await world.platform.publish(input({ text }));
      expect(result.remoteId).toBeTruthy();
      expect(result.url).toMatch(/^https?:\/\//);
      expect((await world.readBack(result))?.text).toBe(text);
    });

    it('publishes an image with its alt text', async () => {
      const result = await world.platform.publish(
        input({ text: `contract image ${n}`, media: [{ ...world.image, alt: 'A red square on white' }] }),
      );
      expect((await world.readBack(result))?.alts).toEqual(['A red square on white']);
    });

    it('chains a thread of replies', async (ctx) => {
      if (!world.threads) ctx.skip(`${name} has no reply threads`);
      const root = await world.platform.publish(input({ text: `contract thread ${n} 1/2` }));
      const reply = await world.platform.publish(
        input(
          { text: `contract thread ${n} 2/2` },
          { key: `dlv_contract_${name}_${process.pid}_${n}.1`, replyTo: { root, parent: root } },
        ),
      );
      expect((await world.readBack(reply))?.replyTo).toBe(root.remoteId);
    });

    it('makes a link card from the first link of a post without media', async (ctx) => {
      if (!world.linkPage) ctx.skip(`${name} ${world.noLinkCard ?? 'builds its own link cards'}`);
      const link = world.linkPage as string;
      const result = await world.platform.publish(input({ text: `read this ${link}` }));
      expect((await world.readBack(result))?.cardUrl).toBe(link);
    });

    it('429 with Retry-After → rate limited, with that delay', async (ctx) => {
      arm(ctx, { kind: 'rate_limited', retryAfterSeconds: 42 });
      const e = await failure(world.platform.publish(input({ text: `contract 429 ${n}` })));
      expect(e.kind).toBe('rate_limited');
      expect(e.retryAfterMs).toBeGreaterThanOrEqual(41_000);
      expect(e.retryAfterMs).toBeLessThanOrEqual(43_000);
    });

    it('an expired or revoked token → an auth error that names no secret', async (ctx) => {
      arm(ctx, { kind: 'auth' });
      const e = await failure(world.platform.publish(input({ text: `contract 401 ${n}` })));
      expect(e.kind).toBe('auth');
      const said = `${e.message} ${e.userMessage ?? ''} ${JSON.stringify(e)}`;
      for (const value of Object.values(world.credentials)) {
        if (typeof value === 'string' && value.length >= 8 && !/^https?:/.test(value))
          expect(said).not.toContain(value);
      }
    });

    it('a 5xx → transient', async (ctx) => {
      arm(ctx, { kind: 'server_error' });
      const e = await failure(world.platform.publish(input({ text: `contract 503 ${n}` })));
      expect(e.kind).toBe('transient');
    });

    it('a dropped connection → transient', async (ctx) => {
      arm(ctx, { kind: 'drop' });
      const e = await failure(world.platform.publish(input({ text: `contract drop ${n}` })));
      expect(e.kind).toBe('transient');
    });

    it('an answer lost after the create: reconcile finds the post, and no second one is made', async (ctx) => {
      arm(ctx, { kind: 'lose_answer' });
      const before = await world.count();
      const attempt = input({ text: `contract lost answer ${n}` });
      const e = await failure(world.platform.publish(attempt));
      expect(e.kind).toBe('transient');
      expect(await world.count()).toBe(before + 1);
      const found = await world.platform.reconcile(attempt);
      expect(found).not.toBeNull();
      expect((await world.readBack(found as PublishResult))?.text).toBe(`contract lost answer ${n}`);
      expect(await world.count()).toBe(before + 1);
    });

    it('deletes what it published (a thread: each part), read back: gone; asking again is harmless', async (ctx) => {
      if (world.cannotDelete) {
        expect(world.platform.remove).toBeUndefined();
        ctx.skip(`${name} ${world.cannotDelete}`);
      }
      const remove = world.platform.remove;
      if (!remove) return expect.unreachable(`${name} has no remove and no cannotDelete reason`);
      const root = await world.platform.publish(input({ text: `contract delete ${n} 1/2` }));
      const posts = [root];
      if (world.threads) {
        const key = `dlv_contract_${name}_${process.pid}_${n}.1`;
        const reply = await world.platform.publish(
          input({ text: `contract delete ${n} 2/2` }, { key, replyTo: { root, parent: root } }),
        );
        posts.push(reply);
      }
      const before = await world.count();
      const removal = {
        deliveryId: `dlv_contract_${name}_${process.pid}_${n}`,
        posts,
        account: world.account,
        credentials: world.credentials,
        saveCredentials: async (c: Record<string, unknown>) => {
          world.credentials = c;
        },
        signal: AbortSignal.timeout(30_000),
      };
      await remove(removal);
      for (const post of posts) expect(await world.readBack(post)).toBeNull();
      expect(await world.count()).toBe(before - posts.length);
      await remove({ ...removal, credentials: world.credentials });
    });

    it('refuses invalid content before any call', async () => {
      const ctx = { account: world.account, credentials: world.credentials, signal: AbortSignal.timeout(10_000) };
      await world.platform.rules(ctx); // rules an adapter looks up once and caches (Mastodon's instance)
      const seen = world.requestCount();
      const media = world.mediaRequired ? [world.image] : [];
      const issues = await world.platform.validate({ text: world.invalidText, media }, ctx);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues[0]?.field).toMatch(/^text|^media/);
      expect(world.requestCount()).toBe(seen);
    });
  });
}
