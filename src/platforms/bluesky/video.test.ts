import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeMp4 } from '../../../test/fakes/mp4.js';
import { PlatformError } from '../../core/errors.js';
import type { Account } from '../../core/post.js';
import type { PublishInput } from '../platform.js';
import { createBlueskyPlatform } from './bluesky-platform.js';
import { videoJobPolling } from './video.js';

// The video service's answers the fake in test/fakes cannot be made to give (429, jobs that never
// finish, a dropped connection); the happy path runs against the real PDS in test/platforms/bluesky.

const did = 'did:plc:abcdefghijklmnopqrstuvwx';
const cid = 'bafyreielbff4munbfhbmgjpb764so3qli6rb2vujqjy3ql23vjom365324';
const blob = {
  $type: 'blob',
  ref: { $link: 'bafkreiakkzw74licojoizreuyz4rx35em6kkgaiknx5xywjubeaeirif4a' },
  mimeType: 'video/mp4',
  size: 1234,
};
const session = { did, handle: 'me.test', accessJwt: 'access-1', refreshJwt: 'refresh-1' };
const credentials = { service: 'https://pds.test', identifier: 'me.test', appPassword: 'app-pass-secret', session };

type Handler = (req: Request) => Response | Promise<Response>;

function world(handlers: Record<string, Handler>) {
  const calls: string[] = [];
  const records: Record<string, unknown>[] = [];
  const all: Record<string, Handler> = {
    'com.atproto.server.describeServer': () => Response.json({ did: 'did:web:pds.test', availableUserDomains: [] }),
    'com.atproto.server.getServiceAuth': () => Response.json({ token: 'service-token' }),
    'com.atproto.repo.createRecord': async (req) => {
      const body = (await req.json()) as { rkey: string; record: Record<string, unknown> };
      records.push(body.record);
      return Response.json({ uri: `at://${did}/app.bsky.feed.post/${body.rkey}`, cid });
    },
    ...handlers,
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = new Request(input, init);
    const method = new URL(req.url).pathname.replace('/xrpc/', '');
    calls.push(method);
    return (all[method] ?? (() => Response.json({ error: 'MethodNotImplemented' }, { status: 501 })))(req);
  };
  const platform = createBlueskyPlatform({
    fetch,
    timeoutMs: 2000,
    blueskyVideoUrl: 'https://video.test',
    // Waiting moves the clock on instead of waiting.
    sleep: async (ms) => {
      vi.setSystemTime(Date.now() + ms);
    },
  });
  const input: PublishInput = {
    deliveryId: 'dlv_v',
    key: 'dlv_v',
    content: { text: 'a video', media: [{ url: 'media:v.mp4', mimeType: 'video/mp4', alt: 'Alt' }] },
    account: {} as Account,
    credentials,
    saveCredentials: async () => {},
    saveCheckpoint: async () => {},
    loadMedia: async () => ({ bytes: makeMp4({ width: 16, height: 9, seconds: 3 }), mimeType: 'video/mp4' }),
    signal: new AbortController().signal,
  };
  return { publish: () => platform.publish(input).catch((e: unknown) => e), calls, records };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Bluesky video through a video service (fake upstream)', () => {
  it('429 on uploadVideo is rate_limited with its Retry-After, and nothing is posted', async () => {
    const w = world({
      'app.bsky.video.uploadVideo': () =>
        Response.json(
          { error: 'RateLimitExceeded', message: 'slow down' },
          { status: 429, headers: { 'retry-after': '30' } },
        ),
    });
    const e = await w.publish();
    expect(e).toBeInstanceOf(PlatformError);
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000, route: 'app.bsky.video.uploadVideo' });
    expect(w.records).toEqual([]);
  });

  it('"already_exists" with the blob of the same video: that blob is used, no polling', async () => {
    const w = world({
      'app.bsky.video.uploadVideo': () =>
        Response.json(
          {
            error: 'already_exists',
            message: 'Video already processed',
            jobId: 'job-1',
            state: 'JOB_STATE_COMPLETED',
            blob,
          },
          { status: 409 },
        ),
    });
    expect(await w.publish()).toMatchObject({ cid });
    expect(w.calls).not.toContain('app.bsky.video.getJobStatus');
    expect(w.records[0]?.embed).toEqual({
      $type: 'app.bsky.embed.video',
      video: blob,
      alt: 'Alt',
      aspectRatio: { width: 16, height: 9 },
    });
  });

  it('a job that never finishes is transient after the longest wait, and nothing is posted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let polls = 0;
    const w = world({
      'app.bsky.video.uploadVideo': () => Response.json({ jobId: 'job-2', did, state: 'JOB_STATE_CREATED' }),
      'app.bsky.video.getJobStatus': () => {
        polls++;
        return Response.json({ jobStatus: { jobId: 'job-2', did, state: 'JOB_STATE_ENCODING', progress: 50 } });
      },
    });
    const e = await w.publish();
    expect(e).toMatchObject({ kind: 'transient', route: 'app.bsky.video.getJobStatus' });
    expect(polls).toBe(Math.floor(videoJobPolling.maxWaitMs / videoJobPolling.intervalMs) + 1);
    expect(w.records).toEqual([]);
  });

  it('a dropped connection to the video service is transient', async () => {
    const w = world({
      'app.bsky.video.uploadVideo': () => Promise.reject(new TypeError('fetch failed')),
    });
    expect(await w.publish()).toMatchObject({ kind: 'transient', route: 'app.bsky.video.uploadVideo' });
  });
});
