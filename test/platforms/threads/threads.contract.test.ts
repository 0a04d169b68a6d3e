/**
 * The Platform contract for Threads, against FakeMetaGraphServer at its URL. The faults are made
 * by the fake on the call that makes the post (`POST /{user}/threads_publish`) as Meta answers
 * them: an expired token is 400 with code 190 (Meta's auth answer, not a 401).
 */
import type { Account } from '../../../src/core/post.js';
import { createThreadsPlatform } from '../../../src/platforms/threads/threads-platform.js';
import { FakeMetaGraphServer } from '../../fakes/fake-meta-graph-server.js';
import { definePlatformContract } from '../platform.contract.js';
import { metaFault } from './meta-faults.js';

const publishRoute = 'POST /{id}/threads_publish';

definePlatformContract('threads', async () => {
  const graph = await new FakeMetaGraphServer().start();
  return {
    platform: createThreadsPlatform({ fetch, timeoutMs: 10_000, sleep: async () => {} }),
    account: { id: 'acc_contract_threads', platform: 'threads', handle: graph.username } as Account,
    credentials: { userId: graph.userId, accessToken: graph.token, apiUrl: graph.url },
    // Threads fetches media by URL itself.
    image: { url: 'https://media.example/red-square.png', mimeType: 'image/png' },
    loadMedia: async () => {
      throw new Error('Threads fetches media by URL; loadMedia must not be called');
    },
    async readBack(result) {
      const post = graph.published.find((m) => m.id === result.remoteId);
      if (!post) return null;
      return {
        text: post.text,
        alts: post.mediaType === 'TEXT' ? [] : [post.altText ?? ''],
        replyTo: post.replyTo ?? undefined,
        cardUrl: post.linkAttachment ?? undefined,
      };
    },
    count: async () => graph.published.length,
    requestCount: () => graph.requests.length,
    failNextCreate(fault) {
      graph.failNext(publishRoute, metaFault(fault));
      return true;
    },
    threads: true,
    // Threads reads the page itself; the adapter sends the URL as `link_attachment`.
    linkPage: 'https://www.example.org/releases/1.0',
    invalidText: 'x'.repeat(501),
    stop: () => graph.stop(),
  };
});
