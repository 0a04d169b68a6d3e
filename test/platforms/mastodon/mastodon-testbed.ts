import { expect } from 'vitest';
import type { ResolvedContent } from '../../../src/core/content.js';
import type { Account } from '../../../src/core/post.js';
import {
  createMastodonPlatform,
  type MastodonAdapterOptions,
} from '../../../src/platforms/mastodon/mastodon-platform.js';
import type { AccountContext, LoadedMedia, Platform, PublishInput } from '../../../src/platforms/platform.js';
import { type FakeMastodonOptions, FakeMastodonServer } from '../../fakes/fake-mastodon-server.js';

export const account = { id: 'acc_m', platform: 'mastodon', handle: '@alice@fake' } as Account;
export const png: LoadedMedia = {
  bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  mimeType: 'image/png',
};
export const mp4: LoadedMedia = {
  bytes: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]),
  mimeType: 'video/mp4',
};

/**
 * The Mastodon adapter against a FakeMastodonServer it reaches at its URL, as it would a real
 * instance (no fetch is injected: masto calls the global one). Media loads as `png`, or `mp4` for a
 * `.mp4` URL; sleeps between media polls are counted, not waited; checkpoints are kept by key as
 * the delivery store keeps them.
 */
export class MastodonTestbed {
  server!: FakeMastodonServer;
  mastodon!: Platform;
  sleeps = 0;
  now = Date.now();
  checkpoints = new Map<string, Record<string, unknown>>();
  /** What `loadMedia` gives for a URL; tests replace it for other files. */
  load: (url: string) => LoadedMedia = (url) => (url.endsWith('.mp4') ? mp4 : png);

  async start(
    options: FakeMastodonOptions = {},
    adapter: Partial<MastodonAdapterOptions> = {},
    timeoutMs = 5_000,
  ): Promise<void> {
    this.server = await new FakeMastodonServer(options).start();
    this.sleeps = 0;
    this.now = Date.now();
    this.checkpoints = new Map();
    this.mastodon = createMastodonPlatform(
      {
        // The PlatformDeps fetch other adapters use; the Mastodon adapter must not need it.
        fetch: () => Promise.reject(new Error('the Mastodon adapter called the injected fetch')),
        timeoutMs,
        sleep: async () => {
          this.sleeps++;
        },
      },
      { clock: () => this.now, ...adapter },
    );
  }

  async restart(options: FakeMastodonOptions = {}, adapter: Partial<MastodonAdapterOptions> = {}, timeoutMs = 5_000) {
    await this.server.stop();
    await this.start(options, adapter, timeoutMs);
  }

  credentials(more: Record<string, unknown> = {}): Record<string, unknown> {
    return { instanceUrl: this.server.url, accessToken: this.server.token, ...more };
  }

  ctx(): AccountContext {
    return { account, credentials: this.credentials(), signal: AbortSignal.timeout(5_000) };
  }

  input(content: Partial<ResolvedContent>, more: Partial<PublishInput> = {}): PublishInput {
    const key = more.key ?? 'dlv_m1';
    return {
      deliveryId: 'dlv_m1',
      key,
      content: { text: '', media: [], ...content },
      account,
      credentials: this.credentials(),
      saveCredentials: async () => {},
      checkpoint: this.checkpoints.get(key),
      saveCheckpoint: async (data) => {
        this.checkpoints.set(key, data);
      },
      loadMedia: async (item) => this.load(item.url),
      signal: AbortSignal.timeout(5_000),
      ...more,
    };
  }
}

/** The error a promise rejects with; fails the test when it resolves. */
export const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => expect.fail('expected a PlatformError'),
    (e: unknown) => e,
  );
