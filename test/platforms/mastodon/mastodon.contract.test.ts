import type { Account } from '../../../src/core/post.js';
import { createMastodonPlatform } from '../../../src/platforms/mastodon/mastodon-platform.js';
import { FakeMastodonServer } from '../../fakes/fake-mastodon-server.js';
import { type ContractFault, definePlatformContract } from '../platform.contract.js';
import { png } from './mastodon-testbed.js';

const statuses = 'POST /api/v1/statuses';

/** Mastodon's faults, made by FakeMastodonServer on the status call, as Mastodon answers them. */
function arm(server: FakeMastodonServer, fault: ContractFault): boolean {
  switch (fault.kind) {
    case 'rate_limited':
      server.failNext(statuses, {
        status: 429,
        body: { error: 'Too many requests' },
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
      });
      return true;
    case 'auth':
      server.failNext(statuses, { status: 401, body: { error: 'The access token is invalid' } });
      return true;
    case 'server_error':
      server.failNext(statuses, { status: 503, body: { error: 'Service Unavailable' } });
      return true;
    case 'drop':
      server.failNext(statuses, { status: 0, drop: true });
      return true;
    case 'lose_answer':
      server.failNext(statuses, { status: 200, lostAfterCreate: true });
      return true;
  }
}

definePlatformContract('mastodon', async () => {
  const server = await new FakeMastodonServer().start();
  const account = { id: 'acc_contract_m', platform: 'mastodon', handle: '@alice@fake' } as Account;
  return {
    // No fetch for Mastodon: masto reaches the fake at its URL, as it would a real instance.
    platform: createMastodonPlatform({
      fetch: () => Promise.reject(new Error('the Mastodon adapter called the injected fetch')),
      timeoutMs: 10_000,
    }),
    account,
    credentials: { instanceUrl: server.url, accessToken: server.token },
    image: { url: 'https://media.example/red-square.png', mimeType: 'image/png' },
    loadMedia: async () => png,
    async readBack(result) {
      const status = server.statuses.find((s) => s.id === result.remoteId);
      if (!status) return null;
      return {
        text: status.text,
        alts: status.media_ids.map((id) => server.media.get(id)?.description ?? ''),
        replyTo: status.in_reply_to_id ?? undefined,
      };
    },
    count: async () => server.statuses.length,
    requestCount: () => server.requests.length,
    failNextCreate: (fault) => arm(server, fault),
    threads: true,
    linkPage: undefined,
    invalidText: 'x'.repeat(501),
    stop: () => server.stop(),
  };
});
