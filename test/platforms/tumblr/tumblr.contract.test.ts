/**
 * The Platform contract for Tumblr, against FakeTumblrServer over HTTPS (test CA): once for an
 * OAuth 1.0a account (calls through tumblr.js) and once for an OAuth 2 account (the bearer
 * client), since the two reach Tumblr by different code.
 */
import type { Account } from '../../../src/core/post.js';
import type { PublishResult } from '../../../src/platforms/platform.js';
import { createTumblrPlatform } from '../../../src/platforms/tumblr/tumblr-platform.js';
import { FakeTumblrServer, tumblrAnswers } from '../../fakes/fake-tumblr-server.js';
import { solidPng } from '../../fakes/images.js';
import { FakeMediaServer } from '../../fakes/media-server.js';
import { fetchLinkPreview } from '../../../src/media/link-preview.js';
import { type ContractFault, type ContractWorld, definePlatformContract } from '../platform.contract.js';

const createRoute = 'POST /v2/blog/:blog/posts';

async function tumblrWorld(auth: 'oauth1' | 'oauth2'): Promise<ContractWorld> {
  const server = await new FakeTumblrServer().start();
  // A page with Open Graph tags, read by the shared link-preview reader (allowed to reach 127.0.0.1).
  const site = new FakeMediaServer();
  await site.start();
  const og =
    '<html><head><meta property="og:title" content="Release 1.0"><meta property="og:description" content="Notes"></head></html>';
  const linkPage = site.file('/releases/1.0', new TextEncoder().encode(og), 'text/html');
  const png = new Uint8Array(await solidPng(8, 8));
  const credentials =
    auth === 'oauth1'
      ? { blog: 'fakeblog', ...server.options.oauth1 }
      : { blog: 'fakeblog', accessToken: server.accessToken };
  const mine = () => server.posts.filter((p) => p.blog === 'fakeblog');
  const answers: Record<ContractFault['kind'], (f: ContractFault) => Parameters<FakeTumblrServer['failNext']>[1]> = {
    rate_limited: (f) => ({
      status: 429,
      headers: { 'retry-after': String(f.kind === 'rate_limited' ? f.retryAfterSeconds : 0) },
      body: { meta: { status: 429, msg: 'Limit Exceeded' }, response: [] },
    }),
    auth: () => tumblrAnswers.unauthorized,
    server_error: () => ({ status: 503, body: { meta: { status: 503, msg: 'Service Unavailable' }, response: [] } }),
    drop: () => tumblrAnswers.dropped,
    lose_answer: () => tumblrAnswers.lostAnswer,
  };
  return {
    platform: createTumblrPlatform(
      {
        fetch,
        timeoutMs: 10_000,
        linkPreview: (url, o) => fetchLinkPreview(url, { ...o, allowHosts: [site.host] }),
      },
      { apiUrl: server.url },
    ),
    account: { id: `acc_tumblr_${auth}`, platform: 'tumblr', handle: 'fakeblog' } as Account,
    credentials,
    image: { url: 'https://media.example/red.png', mimeType: 'image/png' },
    loadMedia: async () => ({ bytes: png, mimeType: 'image/png' }),
    async readBack(result: PublishResult) {
      const post = mine().find((p) => p.id === result.remoteId);
      if (!post) return null;
      return {
        text: post.content
          .filter((b) => b.type === 'text')
          .map((b) => b.text)
          .join('\n\n'),
        alts: post.content.filter((b) => b.type === 'image' || b.type === 'video').map((b) => b.alt_text ?? ''),
        cardUrl: post.content.find((b) => b.type === 'link')?.url,
      };
    },
    count: async () => mine().length,
    requestCount: () => server.requests.length,
    failNextCreate(fault) {
      server.failNext(createRoute, answers[fault.kind](fault));
      return true;
    },
    threads: false,
    linkPage,
    invalidText: 'y'.repeat(4097),
    stop: async () => {
      await Promise.all([server.stop(), site.stop()]);
    },
  };
}

definePlatformContract('tumblr (OAuth 1.0a through tumblr.js)', () => tumblrWorld('oauth1'));
definePlatformContract('tumblr (OAuth 2 bearer)', () => tumblrWorld('oauth2'));
