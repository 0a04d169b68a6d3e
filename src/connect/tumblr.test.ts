import { describe, expect, it } from 'vitest';
import type { ConnectState } from '../core/connect.js';
import { HayonError } from '../core/errors.js';
import { blogOptions, TumblrConnect, tumblrReason } from './tumblr.js';

const state = {} as ConnectState;
const ctx = { redirectUri: 'https://hayon.example/connect/tumblr/callback', token: 'id.mac' };

/** A fetch that answers each path with the next scripted answer, and records what was asked. */
function scriptedFetch(answers: Record<string, (Response | Error)[]>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string | URL, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const next = answers[new URL(url).pathname]?.shift();
    if (!next) throw new Error(`unexpected ${url}`);
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const userInfo = (blogs: unknown[]) => json({ meta: { status: 200 }, response: { user: { name: 'alice', blogs } } });

function provider(fetch: typeof globalThis.fetch) {
  return new TumblrConnect({
    fetch,
    timeoutMs: 1000,
    clock: () => 1_000_000,
    clientId: 'key',
    clientSecret: 'secret',
    oauthUrl: 'https://www.tumblr.com',
    apiUrl: 'https://api.tumblr.com',
  });
}

const error = async (p: Promise<unknown>) => {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(HayonError);
  return e as HayonError;
};

describe('TumblrConnect', () => {
  it('sends the browser to the authorize page with the posting and refresh scopes', async () => {
    const started = await provider(scriptedFetch({}).fetch).start(state, ctx);
    expect(started.kind).toBe('redirect');
    const url = new URL(started.kind === 'redirect' ? started.url : '');
    expect(`${url.origin}${url.pathname}`).toBe('https://www.tumblr.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'key',
      response_type: 'code',
      scope: 'basic write offline_access',
      state: 'id.mac',
      redirect_uri: ctx.redirectUri,
    });
  });

  it('exchanges the code, then offers each blog with the tokens, their expiry and the app key', async () => {
    const { fetch, calls } = scriptedFetch({
      '/v2/oauth2/token': [json({ access_token: 'at', refresh_token: 'rt', expires_in: 2520, token_type: 'bearer' })],
      '/v2/user/info': [
        userInfo([
          { name: 'alice', title: 'Alice', url: 'https://alice.tumblr.com/' },
          { name: 'side', title: 'Side notes', url: 'https://www.side.example/' },
          { title: 'no name' },
        ]),
      ],
    });
    const finished = await provider(fetch).finish(state, ctx, new URLSearchParams({ code: 'c1' }));
    expect(Object.fromEntries(new URLSearchParams(String(calls[0]?.init.body)))).toEqual({
      grant_type: 'authorization_code',
      code: 'c1',
      client_id: 'key',
      client_secret: 'secret',
      redirect_uri: ctx.redirectUri,
    });
    expect(new Headers(calls[1]?.init.headers).get('authorization')).toBe('Bearer at');
    const tokens = {
      accessToken: 'at',
      refreshToken: 'rt',
      expiresAt: 1_000_000 + 2_520_000,
      clientId: 'key',
      clientSecret: 'secret',
    };
    expect(finished).toEqual({
      kind: 'choose',
      options: [
        { id: 'alice', label: 'alice (alice.tumblr.com)', credentials: { blog: 'alice', ...tokens } },
        { id: 'side', label: 'side "Side notes" (www.side.example)', credentials: { blog: 'side', ...tokens } },
      ],
    });
  });

  it('leaves out a refresh token and an expiry Tumblr did not give', () => {
    const [option] = blogOptions({ response: { user: { blogs: [{ name: 'b' }] } } }, { accessToken: 'at' });
    expect(option).toEqual({ id: 'b', label: 'b', credentials: { blog: 'b', accessToken: 'at' } });
  });

  it("refuses with Tumblr's words: a refused code is the caller's (400), a failing Tumblr is upstream (502)", async () => {
    const refused = await error(
      provider(
        scriptedFetch({
          '/v2/oauth2/token': [json({ error: 'invalid_grant', error_description: 'Invalid code' }, 400)],
        }).fetch,
      ).finish(state, ctx, new URLSearchParams({ code: 'c' })),
    );
    expect([refused.status, refused.publicMessage]).toEqual([400, 'Tumblr refused: Invalid code.']);
    const failing = await error(
      provider(
        scriptedFetch({ '/v2/oauth2/token': [json({ meta: { status: 503, msg: 'Unavailable' } }, 503)] }).fetch,
      ).finish(state, ctx, new URLSearchParams({ code: 'c' })),
    );
    expect([failing.status, failing.publicMessage]).toEqual([502, 'Tumblr refused: Unavailable.']);
    const away = await error(
      provider(scriptedFetch({ '/v2/oauth2/token': [new TypeError('fetch failed')] }).fetch).finish(
        state,
        ctx,
        new URLSearchParams({ code: 'c' }),
      ),
    );
    expect(away.publicMessage).toBe('Could not reach Tumblr.');
  });

  it('refuses a callback without a code, and an account without a blog', async () => {
    expect((await error(provider(scriptedFetch({}).fetch).finish(state, ctx, new URLSearchParams()))).field).toBe(
      'code',
    );
    const { fetch } = scriptedFetch({
      '/v2/oauth2/token': [json({ access_token: 'at' })],
      '/v2/user/info': [userInfo([])],
    });
    const none = await error(provider(fetch).finish(state, ctx, new URLSearchParams({ code: 'c' })));
    expect(none.publicMessage).toBe('This Tumblr account has no blog to post to.');
  });

  it('reads the reason from each of Tumblr’s answer shapes', () => {
    expect(tumblrReason({ error: 'invalid_client' }, 401)).toBe('invalid_client');
    expect(
      tumblrReason(
        { meta: { msg: 'Unauthorized' }, errors: [{ title: 'Unauthorized', detail: 'Unable to authorize' }] },
        401,
      ),
    ).toBe('Unable to authorize');
    expect(tumblrReason({}, 418)).toBe('answered 418');
  });
});
