import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../core/errors.js';
import type { Account } from '../../core/post.js';
import type { PublishInput } from '../platform.js';
import { createBlueskyPlatform } from './bluesky-platform.js';
import { tidForDelivery } from './tid.js';

// Upstream answers the real PDS cannot be made to give on demand (expired tokens, 429, 5xx,
// hanging); the happy paths are covered against a real PDS in test/platforms/bluesky.

const did = 'did:plc:abcdefghijklmnopqrstuvwx';
const cid = 'bafyreielbff4munbfhbmgjpb764so3qli6rb2vujqjy3ql23vjom365324';
const session = { did, handle: 'me.test', accessJwt: 'access-1', refreshJwt: 'refresh-1' };
const credentials = { service: 'https://pds.test', identifier: 'me.test', appPassword: 'app-pass-secret', session };

type Handler = (req: Request, signal: AbortSignal) => Response | Promise<Response>;

/** A fetch that answers each XRPC method with a handler, and records method and token. */
function fakeFetch(handlers: Record<string, Handler>) {
  const calls: { method: string; auth: string | null }[] = [];
  const f: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const method = new URL(req.url).pathname.replace('/xrpc/', '');
    calls.push({ method, auth: req.headers.get('authorization') });
    const handler = handlers[method];
    if (!handler) return Response.json({ error: 'MethodNotImplemented' }, { status: 501 });
    // The adapter's own signal: `req.signal` only follows it through a weak reference, which the
    // GC may drop while a fake request hangs (undici's Request keeps nothing else alive here).
    return handler(req, init?.signal ?? req.signal);
  };
  return { fetch: f, calls };
}

const xrpcError = (status: number, error: string, message = error, headers: Record<string, string> = {}) =>
  Response.json({ error, message }, { status, headers });
const recordNotFound = () => xrpcError(400, 'RecordNotFound', 'Could not locate record');
async function created(req: Request): Promise<Response> {
  const { rkey } = (await req.json()) as { rkey: string };
  return Response.json({ uri: `at://${did}/app.bsky.feed.post/${rkey}`, cid });
}

function input(saves: Record<string, unknown>[], deliveryId = 'dlv_1'): PublishInput {
  return {
    deliveryId,
    key: deliveryId,
    content: { text: 'hello', media: [] },
    account: {} as Account,
    credentials,
    saveCredentials: async (c) => {
      saves.push(c);
    },
    saveCheckpoint: async () => {},
    loadMedia: async () => {
      throw new Error('no media in these tests');
    },
    signal: new AbortController().signal,
  };
}

async function publishWith(handlers: Record<string, Handler>, timeoutMs = 2000) {
  const net = fakeFetch(handlers);
  const saves: Record<string, unknown>[] = [];
  const platform = createBlueskyPlatform({ fetch: net.fetch, timeoutMs });
  const outcome = await platform.publish(input(saves)).catch((e: unknown) => e);
  return { outcome, saves, methods: net.calls.map((c) => c.method), calls: net.calls };
}

describe('createBlueskyPlatform publish (fake upstream)', () => {
  it('refreshes an expired access token once, retries, and saves the rotated session', async () => {
    const { outcome, saves, calls } = await publishWith({
      'com.atproto.repo.createRecord': (req) =>
        req.headers.get('authorization') === 'Bearer access-2' ? created(req) : xrpcError(400, 'ExpiredToken'),
      'com.atproto.server.refreshSession': () =>
        Response.json({ ...session, accessJwt: 'access-2', refreshJwt: 'refresh-2', emailConfirmed: true, didDoc: {} }),
    });
    expect(outcome).toEqual({
      remoteId: `at://${did}/app.bsky.feed.post/${tidForDelivery('dlv_1')}`,
      url: `https://bsky.app/profile/me.test/post/${tidForDelivery('dlv_1')}`,
      cid,
    });
    expect(calls).toEqual([
      { method: 'com.atproto.repo.createRecord', auth: 'Bearer access-1' },
      { method: 'com.atproto.server.refreshSession', auth: 'Bearer refresh-1' },
      { method: 'com.atproto.repo.createRecord', auth: 'Bearer access-2' },
    ]);
    expect(saves).toEqual([
      { ...credentials, session: { ...session, accessJwt: 'access-2', refreshJwt: 'refresh-2' } },
    ]);
  });

  it('a stale token on resolveHandle leads to a refresh, not to a mention left as plain text', async () => {
    const records: unknown[] = [];
    const net = fakeFetch({
      'com.atproto.identity.resolveHandle': (req) =>
        req.headers.get('authorization') === 'Bearer access-2'
          ? Response.json({ did: 'did:plc:bob' })
          : xrpcError(400, 'InvalidToken', 'Token could not be verified'),
      'com.atproto.server.refreshSession': () =>
        Response.json({ ...session, accessJwt: 'access-2', refreshJwt: 'refresh-2', emailConfirmed: true, didDoc: {} }),
      'com.atproto.repo.createRecord': async (req) => {
        records.push(((await req.clone().json()) as { record: unknown }).record);
        return created(req);
      },
    });
    const platform = createBlueskyPlatform({ fetch: net.fetch, timeoutMs: 2000 });
    await platform.publish({ ...input([]), content: { text: 'hi @bob.test', media: [] } });
    expect(records).toMatchObject([
      { facets: [{ index: { byteStart: 3, byteEnd: 12 }, features: [{ did: 'did:plc:bob' }] }] },
    ]);
  });

  it('429 is rate_limited with retryAfterMs from ratelimit-reset, and nothing is read back', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 120;
    const { outcome, methods } = await publishWith({
      'com.atproto.repo.createRecord': () =>
        xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', { 'ratelimit-reset': String(reset) }),
    });
    expect(outcome).toBeInstanceOf(PlatformError);
    const e = outcome as PlatformError;
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBeGreaterThan(110_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(121_000);
    expect(methods).toEqual(['com.atproto.repo.createRecord']);
  });

  it('a 500 is transient after checking that no earlier attempt created the record', async () => {
    const { outcome, methods } = await publishWith({
      'com.atproto.repo.createRecord': () => xrpcError(500, 'InternalServerError', 'Internal Server Error'),
      'com.atproto.repo.getRecord': recordNotFound,
    });
    expect((outcome as PlatformError).kind).toBe('transient');
    expect((outcome as PlatformError).httpStatus).toBe(500);
    expect(methods).toEqual(['com.atproto.repo.createRecord', 'com.atproto.repo.getRecord']);
  });

  it('a timeout after the PDS committed returns the record found at the delivery key', async () => {
    const { outcome } = await publishWith(
      {
        'com.atproto.repo.createRecord': hang,
        'com.atproto.repo.getRecord': (req) => {
          const rkey = new URL(req.url).searchParams.get('rkey');
          return Response.json({ uri: `at://${did}/app.bsky.feed.post/${rkey}`, cid, value: {} });
        },
      },
      100,
    );
    expect(outcome).toMatchObject({ url: `https://bsky.app/profile/me.test/post/${tidForDelivery('dlv_1')}` });
  });

  it('a timeout with nothing written is transient; a network failure too', async () => {
    const timedOut = await publishWith(
      { 'com.atproto.repo.createRecord': hang, 'com.atproto.repo.getRecord': recordNotFound },
      100,
    );
    expect((timedOut.outcome as PlatformError).kind).toBe('transient');
    const down = await publishWith({
      'com.atproto.repo.createRecord': () => Promise.reject(new TypeError('fetch failed')),
      'com.atproto.repo.getRecord': () => Promise.reject(new TypeError('fetch failed')),
    });
    expect((down.outcome as PlatformError).kind).toBe('transient');
    expect((down.outcome as PlatformError).message).toBe(
      'Bluesky could not be reached (com.atproto.repo.createRecord).',
    );
  });

  it('an account taken down is auth, without a new login', async () => {
    const { outcome, methods } = await publishWith({
      'com.atproto.repo.createRecord': () => xrpcError(401, 'AccountTakedown', 'Account has been taken down'),
    });
    expect((outcome as PlatformError).kind).toBe('auth');
    // @atproto/api tries a refresh on any 401 by itself; hayon adds no refresh or login.
    expect(methods).toEqual(['com.atproto.repo.createRecord', 'com.atproto.server.refreshSession']);
  });

  it('publish with malformed credentials rejects (not throws) with an auth error', async () => {
    const platform = createBlueskyPlatform({ fetch: fakeFetch({}).fetch, timeoutMs: 100 });
    const pending = platform.publish({ ...input([]), credentials: { service: 'https://pds.test' } });
    await expect(pending).rejects.toMatchObject({ kind: 'auth' });
  });

  it('malformed credentials are an auth error naming the fields, never the values', async () => {
    const platform = createBlueskyPlatform({ fetch: fakeFetch({}).fetch, timeoutMs: 100 });
    const err = await platform
      .verify({ service: 'not a url', identifier: 'me.test', appPassword: '' }, new AbortController().signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).kind).toBe('auth');
    expect((err as PlatformError).message).toBe(
      'Bluesky credentials are incomplete or malformed (service, appPassword).',
    );
  });
});

/** Never answers; rejects when the request is aborted (the adapter's timeout). */
function hang(_req: Request, signal: AbortSignal): Promise<Response> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
}
