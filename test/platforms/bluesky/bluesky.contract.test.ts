/**
 * The Platform contract for Bluesky, against the real local PDS (scripts/test-services.sh) behind
 * a FaultProxy, which makes the faults a real PDS will not give on demand.
 */
import { describe } from 'vitest';
import type { Account } from '../../../src/core/post.js';
import { fetchLinkPreview } from '../../../src/media/link-preview.js';
import { createBlueskyPlatform } from '../../../src/platforms/bluesky/bluesky-platform.js';
import type { PublishResult } from '../../../src/platforms/platform.js';
import { FaultProxy } from '../../fakes/fault-proxy.js';
import { FakeMediaServer } from '../../fakes/media-server.js';
import { pdsUnavailableReason, startPds } from '../../servers/bluesky/harness.js';
import { type ContractFault, definePlatformContract } from '../platform.contract.js';
import { PdsClient } from './pds-client.js';
import { makePng } from './png.js';

const xrpc = (method: string) => `/xrpc/${method}`;
const createRecord = `POST ${xrpc('com.atproto.repo.createRecord')}`;

/** Bluesky's faults, as a PDS answers them, on the call that makes the post. */
function arm(proxy: FaultProxy, fault: ContractFault): void {
  switch (fault.kind) {
    case 'rate_limited':
      proxy.failNext(createRecord, {
        kind: 'answer',
        status: 429,
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
        body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
      });
      return;
    case 'auth': {
      // A session the PDS no longer takes, whose refresh and app password are refused too: the
      // adapter refreshes and logs in again by itself before it gives up.
      const refused = {
        kind: 'answer',
        status: 401,
        body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' },
      } as const;
      proxy.failNext(createRecord, refused);
      proxy.failNext(`POST ${xrpc('com.atproto.server.refreshSession')}`, refused);
      proxy.failNext(`POST ${xrpc('com.atproto.server.createSession')}`, refused);
      return;
    }
    case 'server_error':
      proxy.failNext(createRecord, { kind: 'answer', status: 503, body: { error: 'InternalServerError' } });
      return;
    case 'drop':
      proxy.failNext(createRecord, { kind: 'drop' });
      return;
    case 'lose_answer':
      // The record is made and the answer lost; the adapter's own read-back of its record key
      // meets the dropped connection too, so the attempt fails and reconcile must find the post.
      proxy.failNext(createRecord, { kind: 'lose-answer' });
      proxy.failNext(`GET ${xrpc('com.atproto.repo.getRecord')}`, { kind: 'drop' });
      return;
  }
}

const unavailable = pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the Bluesky platform contract: ${unavailable}`);

// Inside a skipped describe when the PDS is absent, so the file still has a suite (skipped).
describe.skipIf(unavailable)('Bluesky against a real local PDS', () => {
  definePlatformContract('bluesky (real local PDS)', async () => {
    const pds = await startPds();
    const client = new PdsClient(pds.url);
    const user = await client.createAccount('contract');
    const proxy = await new FaultProxy(pds.url).start();
    const site = new FakeMediaServer();
    await site.start();
    const linkPage = site.file(
      '/releases/1.0',
      Buffer.from('<html><head><meta property="og:title" content="Release 1.0"></head></html>'),
      'text/html',
    );
    const platform = createBlueskyPlatform({
      fetch,
      timeoutMs: 10_000,
      linkPreview: (url, o) => fetchLinkPreview(url, { ...o, allowHosts: [site.host] }),
    });
    const profile = await platform.verify(
      { service: proxy.url, identifier: user.handle, appPassword: user.password },
      AbortSignal.timeout(10_000),
    );
    const png = makePng(20, 20);
    return {
      platform,
      account: { id: 'acc_contract_bsky', platform: 'bluesky', handle: user.handle, remoteId: user.did } as Account,
      credentials: profile.credentials,
      image: { url: 'media:red.png', mimeType: 'image/png' },
      loadMedia: async () => ({ bytes: png, mimeType: 'image/png' }),
      async readBack(result: PublishResult) {
        const rkey = result.remoteId.split('/').at(-1) ?? '';
        const found = await client.getRecord(user.did, rkey).catch(() => null);
        if (!found) return null;
        const value = found.value as {
          text: string;
          reply?: { parent: { uri: string } };
          embed?: { images?: { alt: string }[]; external?: { uri: string } };
        };
        return {
          text: value.text,
          alts: (value.embed?.images ?? []).map((i) => i.alt),
          replyTo: value.reply?.parent.uri,
          cardUrl: value.embed?.external?.uri,
        };
      },
      count: async () => (await client.listPosts(user.did)).length,
      requestCount: () => proxy.requests.length,
      failNextCreate(fault) {
        arm(proxy, fault);
        return true;
      },
      threads: true,
      linkPage,
      invalidText: 'x'.repeat(301),
      stop: async () => {
        await Promise.all([proxy.stop(), site.stop()]);
        await pds.stop();
      },
    };
  });
});
