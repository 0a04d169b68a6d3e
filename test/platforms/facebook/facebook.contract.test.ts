/**
 * The Platform contract for a Facebook Page, against FakeFacebookServer at its URL. The faults are
 * made by the fake on the call that makes the post (`POST /{page}/feed`) as Meta answers them: an
 * expired token is 400 with code 190 (Meta's auth answer, not a 401). Page posts have no reply
 * threads here; a text post's first link goes as `link`, and Facebook reads the page itself.
 */
import type { Account } from '../../../src/core/post.js';
import { createFacebookPlatform } from '../../../src/platforms/facebook/facebook-platform.js';
import { FakeFacebookServer, type GraphErrorAnswer, graphErrors } from '../../fakes/fake-facebook-server.js';
import { type ContractFault, definePlatformContract } from '../platform.contract.js';

const feedRoute = 'POST /:id/feed';

function answer(fault: ContractFault): GraphErrorAnswer | { lostAfterCreate: true } | { dropConnection: true } {
  switch (fault.kind) {
    case 'rate_limited':
      return {
        status: 429,
        error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 },
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
      };
    case 'auth':
      return graphErrors.expiredToken;
    case 'server_error':
      return graphErrors.serverError;
    case 'drop':
      return { dropConnection: true };
    case 'lose_answer':
      return { lostAfterCreate: true };
  }
}

definePlatformContract('facebook', async () => {
  const server = await new FakeFacebookServer().start();
  return {
    platform: createFacebookPlatform({ fetch, timeoutMs: 10_000, sleep: async () => {} }),
    account: { id: 'acc_contract_fb', platform: 'facebook', handle: 'Hayon Bakery' } as Account,
    credentials: { pageId: server.pageId, pageAccessToken: server.token, apiUrl: server.apiUrl },
    image: { url: 'https://media.example/red-square.jpg', mimeType: 'image/jpeg' },
    loadMedia: async () => {
      throw new Error('Facebook fetches media by URL; loadMedia must not be called');
    },
    async readBack(result) {
      const post = server.posts.find((p) => p.id === result.remoteId);
      if (!post) return null;
      return {
        text: post.message,
        alts: post.photoIds.map((id) => server.photos.get(id)?.alt ?? ''),
        cardUrl: post.link ?? undefined,
      };
    },
    count: async () => server.posts.length,
    requestCount: () => server.requests.length,
    failNextCreate(fault) {
      server.failNext(feedRoute, answer(fault));
      return true;
    },
    threads: false,
    linkPage: 'https://www.example.org/releases/1.0',
    invalidText: 'f'.repeat(63_207),
    stop: () => server.stop(),
  };
});
