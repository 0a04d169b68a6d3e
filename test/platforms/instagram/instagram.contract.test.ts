/**
 * The Platform contract for Instagram, against FakeMetaGraphServer at its URL, with the faults
 * made on `POST /{ig-user}/media_publish` as Meta answers them (see the Threads contract). Every
 * Instagram post needs an image or a video, so the text cases publish their caption with one;
 * Instagram has no reply threads and no link cards (links in captions are not clickable).
 */
import type { Account } from '../../../src/core/post.js';
import { createInstagramPlatform } from '../../../src/platforms/instagram/instagram-platform.js';
import { FakeMetaGraphServer } from '../../fakes/fake-meta-graph-server.js';
import { definePlatformContract } from '../platform.contract.js';
import { metaFault } from '../threads/meta-faults.js';

definePlatformContract('instagram', async () => {
  const graph = await new FakeMetaGraphServer().start();
  return {
    platform: createInstagramPlatform({ fetch, timeoutMs: 10_000, sleep: async () => {} }),
    account: { id: 'acc_contract_ig', platform: 'instagram', handle: graph.username } as Account,
    credentials: { igUserId: graph.userId, accessToken: graph.token, apiUrl: graph.url },
    image: { url: 'https://media.example/red-square.jpg', mimeType: 'image/jpeg' },
    loadMedia: async () => {
      throw new Error('Instagram fetches media by URL; loadMedia must not be called');
    },
    async readBack(result) {
      const post = graph.published.find((m) => m.id === result.remoteId);
      if (!post) return null;
      return { text: post.text, alts: [post.altText ?? ''] };
    },
    count: async () => graph.published.length,
    requestCount: () => graph.requests.length,
    failNextCreate(fault) {
      graph.failNext('POST /{id}/media_publish', metaFault(fault));
      return true;
    },
    threads: false,
    mediaRequired: true,
    linkPage: undefined,
    noLinkCard: 'has no link cards (links in captions are not clickable)',
    invalidText: 'c'.repeat(2201),
    cannotDelete: "cannot delete: Instagram's API has no delete (a person deletes the post in the app)",
    stop: () => graph.stop(),
  };
});
