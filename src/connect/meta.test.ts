import { describe, expect, it } from 'vitest';
import type { ConnectState } from '../core/connect.js';
import { HayonError } from '../core/errors.js';
import { FacebookConnect, InstagramConnect, jsonId, type MetaConnectDeps, metaReason, ThreadsConnect } from './meta.js';

const state = {} as ConnectState;
const ctx = { redirectUri: 'https://hayon.example/connect/x/callback', token: 'id.mac' };
const code = new URLSearchParams({ code: 'c1' });

/** A fetch answering by `METHOD path` (version removed), in order; records each URL. */
function scriptedFetch(answers: Record<string, string[]>) {
  const urls: URL[] = [];
  const fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(input);
    urls.push(url);
    const route = `${init.method ?? 'GET'} ${url.pathname.replace(/^\/v[\d.]+/, '')}`;
    const body = answers[route]?.shift();
    if (body === undefined) throw new Error(`unexpected ${route}`);
    const status = body.startsWith('{"error"') ? 400 : 200;
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

const deps = (fetch: typeof globalThis.fetch, more: Partial<MetaConnectDeps> = {}): MetaConnectDeps => ({
  fetch,
  timeoutMs: 1000,
  clock: () => 1_000_000,
  clientId: '1234',
  clientSecret: 'app-secret',
  oauthUrl: 'https://www.facebook.com',
  apiUrl: 'https://graph.facebook.com/v26.0',
  ...more,
});

const login = (pages: unknown[]) => ({
  'GET /oauth/access_token': [
    JSON.stringify({ access_token: 'short', token_type: 'bearer' }),
    JSON.stringify({ access_token: 'long', expires_in: 5_183_944 }),
  ],
  'GET /me/accounts': [JSON.stringify({ data: pages })],
});
const page = (id: string, name: string, tasks?: string[]) => ({
  id,
  name,
  access_token: `token-${id}`,
  ...(tasks ? { tasks } : {}),
});

const error = async (p: Promise<unknown>) => {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(HayonError);
  return e as HayonError;
};

describe('jsonId and metaReason', () => {
  it('reads a 17-digit id exactly, where JSON.parse would round it', () => {
    const text = '{"access_token":"t","user_id":17841400000000001}';
    expect(String(JSON.parse(text).user_id)).not.toBe('17841400000000001');
    expect(jsonId(text, 'user_id')).toBe('17841400000000001');
    expect(jsonId('{"user_id": "42"}', 'user_id')).toBe('42');
    expect(jsonId('{"id":"1"}', 'user_id')).toBeUndefined();
  });

  it("gives Meta's own words", () => {
    expect(metaReason({ error: { message: 'Invalid verification code format.', code: 100 } }, 400)).toBe(
      'Invalid verification code format.',
    );
    expect(metaReason({ error_message: 'Permissions error' }, 400)).toBe('Permissions error');
    expect(metaReason({}, 502)).toBe('answered 502');
  });
});

describe('FacebookConnect', () => {
  it("opens the dialog of the Graph API's version with the Pages scopes", async () => {
    const started = await new FacebookConnect(deps(scriptedFetch({}).fetch)).start(state, ctx);
    const url = new URL(started.kind === 'redirect' ? started.url : '');
    expect(`${url.origin}${url.pathname}`).toBe('https://www.facebook.com/v26.0/dialog/oauth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '1234',
      redirect_uri: ctx.redirectUri,
      state: 'id.mac',
      scope: 'pages_show_list,pages_manage_posts,pages_read_engagement',
      response_type: 'code',
    });
  });

  it('exchanges the code for a long-lived user token and offers the Pages one may post on', async () => {
    const { fetch, urls } = scriptedFetch(
      login([page('1', 'Bakery', ['CREATE_CONTENT', 'MANAGE']), page('2', 'Fans', ['ANALYZE']), page('3', 'Old')]),
    );
    const finished = await new FacebookConnect(deps(fetch)).finish(state, ctx, code);
    expect(Object.fromEntries(urls[0]?.searchParams ?? [])).toEqual({
      client_id: '1234',
      client_secret: 'app-secret',
      redirect_uri: ctx.redirectUri,
      code: 'c1',
    });
    expect(Object.fromEntries(urls[1]?.searchParams ?? [])).toMatchObject({
      grant_type: 'fb_exchange_token',
      fb_exchange_token: 'short',
    });
    expect(urls[2]?.searchParams.get('access_token')).toBe('long');
    // At the default Graph API the accounts keep no apiUrl: they follow the adapter's.
    expect(finished).toEqual({
      kind: 'choose',
      options: [
        { id: '1', label: 'Bakery (Facebook Page)', credentials: { pageId: '1', pageAccessToken: 'token-1' } },
        { id: '3', label: 'Old (Facebook Page)', credentials: { pageId: '3', pageAccessToken: 'token-3' } },
      ],
    });
  });

  it('says so when no Page can be posted on, and keeps a non-default Graph API address', async () => {
    const none = await error(
      new FacebookConnect(deps(scriptedFetch(login([page('2', 'Fans', ['ANALYZE'])])).fetch)).finish(state, ctx, code),
    );
    expect(none.publicMessage).toMatch(/^You may not create content on Fans/);
    const fake = deps(scriptedFetch(login([page('1', 'Bakery')])).fetch, { apiUrl: 'http://127.0.0.1:9/v26.0' });
    const finished = await new FacebookConnect(fake).finish(state, ctx, code);
    expect(finished.kind === 'choose' && finished.options[0]?.credentials.apiUrl).toBe('http://127.0.0.1:9/v26.0');
  });
});

describe('InstagramConnect', () => {
  it("offers each Page's Instagram account once, with the Page token", async () => {
    const answers = login([page('1', 'Bakery'), page('2', 'Studio'), page('3', 'Studio again')]);
    const { fetch, urls } = scriptedFetch({
      ...answers,
      'GET /1': [JSON.stringify({ id: '1' })],
      'GET /2': [JSON.stringify({ id: '2', instagram_business_account: { id: '178', username: 'studio' } })],
      'GET /3': [JSON.stringify({ id: '3', instagram_business_account: { id: '178', username: 'studio' } })],
    });
    const finished = await new InstagramConnect(deps(fetch)).finish(state, ctx, code);
    expect(urls.find((u) => u.pathname.endsWith('/2'))?.searchParams.get('fields')).toBe(
      'instagram_business_account{id,username}',
    );
    expect(finished).toEqual({
      kind: 'choose',
      options: [
        {
          id: '178',
          label: '@studio (through the Page Studio again)',
          credentials: { igUserId: '178', accessToken: 'token-3' },
        },
      ],
    });
  });

  it('names the Pages when none has an Instagram account, and passes on a refused exchange', async () => {
    const { fetch } = scriptedFetch({ ...login([page('1', 'Bakery')]), 'GET /1': [JSON.stringify({ id: '1' })] });
    const none = await error(new InstagramConnect(deps(fetch)).finish(state, ctx, code));
    expect(none.publicMessage).toMatch(/^None of your Facebook Pages \(Bakery\) has an Instagram/);
    const bad = scriptedFetch({
      'GET /oauth/access_token': ['{"error":{"message":"Invalid verification code format.","code":100}}'],
    });
    const refused = await error(new InstagramConnect(deps(bad.fetch)).finish(state, ctx, code));
    expect([refused.status, refused.publicMessage]).toEqual([
      400,
      'Facebook refused: Invalid verification code format.',
    ]);
  });
});

describe('ThreadsConnect', () => {
  const threads = (fetch: typeof globalThis.fetch, apiUrl = 'https://graph.threads.net/v1.0') =>
    new ThreadsConnect(deps(fetch, { clientId: '99', oauthUrl: 'https://threads.com', apiUrl }));

  it('opens the authorize window with the publishing and reply scopes', async () => {
    const started = await threads(scriptedFetch({}).fetch).start(state, ctx);
    const url = new URL(started.kind === 'redirect' ? started.url : '');
    expect(`${url.origin}${url.pathname}`).toBe('https://threads.com/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('threads_basic,threads_content_publish,threads_manage_replies');
  });

  it('keeps the exact user id, the long-lived token and when it expires', async () => {
    const { fetch, urls } = scriptedFetch({
      'POST /oauth/access_token': ['{"access_token":"short","user_id":17841400000000001}'],
      'GET /access_token': [JSON.stringify({ access_token: 'long', token_type: 'bearer', expires_in: 5_183_944 })],
    });
    const finished = await threads(fetch).finish(state, ctx, code);
    expect(urls.map((u) => `${u.origin}${u.pathname}`)).toEqual([
      'https://graph.threads.net/oauth/access_token',
      'https://graph.threads.net/access_token',
    ]);
    expect(Object.fromEntries(urls[1]?.searchParams ?? [])).toEqual({
      grant_type: 'th_exchange_token',
      client_secret: 'app-secret',
      access_token: 'short',
    });
    expect(finished).toEqual({
      kind: 'connect',
      credentials: { userId: '17841400000000001', accessToken: 'long', expiresAt: 1_000_000 + 5_183_944_000 },
    });
  });

  it('refuses an answer without a token or a user id', async () => {
    const { fetch } = scriptedFetch({ 'POST /oauth/access_token': ['{"access_token":"short"}'] });
    expect((await error(threads(fetch).finish(state, ctx, code))).publicMessage).toBe(
      'Threads gave no access token: start again.',
    );
  });
});
