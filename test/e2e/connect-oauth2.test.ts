import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { facebookScopes, instagramScopes, threadsScopes } from '../../src/connect/meta.js';
import { tumblrScopes } from '../../src/connect/tumblr.js';
import { AppContext } from '../../src/app/app-context.js';
import { envToConfig } from '../../src/config/config.js';
import type { HayonEnv } from '../../src/config/env.js';
import { envToSecrets, type Secrets } from '../../src/config/secrets.js';
import { createPlatforms } from '../../src/platforms/registry.js';
import { createTumblrPlatform } from '../../src/platforms/tumblr/tumblr-platform.js';
import { FakeFacebookServer } from '../fakes/fake-facebook-server.js';
import { FakeMetaGraphServer, metaErrors } from '../fakes/fake-meta-graph-server.js';
import { FakeTumblrServer } from '../fakes/fake-tumblr-server.js';
import { startHayon, type TestHayon, type TestResponse, waitFor } from '../harness.js';
import { makePng } from '../platforms/bluesky/png.js';

// startHayon builds Secrets itself (Slack's and Discord's only): the apps' secrets are added here,
// as envToSecrets adds them from HAYON_TUMBLR_CLIENT_SECRET, HAYON_META_APP_SECRET and
// HAYON_THREADS_APP_SECRET.
let appSecrets: Pick<Secrets, 'tumblrClientSecret' | 'metaAppSecret' | 'threadsAppSecret'> = {};
const fromConfig = AppContext.fromConfig.bind(AppContext);
vi.spyOn(AppContext, 'fromConfig').mockImplementation((config, secrets, overrides) =>
  fromConfig(config, { ...secrets, ...appSecrets }, overrides),
);

/** Follows hayon's redirect to the provider; the fake "user" answers at once with a 302 back to hayon. */
async function throughProvider(start: TestResponse): Promise<URL> {
  expect(start.status).toBe(302);
  const res = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

/** The choose page's (new) state and the accounts it offers. */
function chooseForm(html: string): { state: string; accounts: string[] } {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  const state = decode(/name="state" value="([^"]+)"/.exec(html)?.[1] ?? '');
  const accounts = [...html.matchAll(/name="account" value="([^"]+)"/g)].map((m) => decode(m[1] ?? ''));
  return { state, accounts };
}

describe('connecting Tumblr, Facebook, Instagram and Threads with OAuth 2 (fake servers)', () => {
  let h: TestHayon;
  let tumblr: FakeTumblrServer;
  let graph: FakeMetaGraphServer;
  let facebook: FakeFacebookServer;
  let graphOrigin: string;

  beforeEach(async () => {
    [tumblr, graph, facebook] = await Promise.all([
      new FakeTumblrServer().start(),
      new FakeMetaGraphServer().start(),
      new FakeFacebookServer().start(),
    ]);
    graphOrigin = new URL(graph.url).origin;
    appSecrets = {
      tumblrClientSecret: tumblr.options.oauth2.clientSecret,
      metaAppSecret: graph.apps.facebook.secret,
      threadsAppSecret: graph.apps.threads.secret,
    };
    const deps = { fetch: globalThis.fetch, timeoutMs: 10_000 };
    h = await startHayon({
      env: {
        publicUrl: 'https://hayon.example',
        ...appSecrets,
        tumblrClientId: tumblr.options.oauth2.clientId,
        tumblrOauthUrl: tumblr.url,
        tumblrApiUrl: tumblr.url,
        metaAppId: graph.apps.facebook.id,
        metaOauthUrl: graphOrigin,
        metaGraphUrl: `${graphOrigin}/v26.0`,
        threadsAppId: graph.apps.threads.id,
        threadsOauthUrl: graphOrigin,
        threadsGraphUrl: graph.url,
      },
      // The Tumblr adapter takes its API base as a factory option, not from config.
      platforms: { ...createPlatforms(deps), tumblr: createTumblrPlatform(deps, { apiUrl: tumblr.url }) },
      download: async (url) => ({ bytes: Buffer.from(makePng(64, 64)), contentType: 'image/png', finalUrl: url }),
    });
  });
  afterEach(async () => {
    await h?.stop();
    await Promise.all([tumblr?.stop(), graph?.stop(), facebook?.stop()]);
  });

  /** A request to hayon for a URL it made (its public origin is not listening in tests). */
  const open = (url: string | URL, init?: RequestInit) => {
    const u = new URL(url);
    return h.request(`${u.pathname}${u.search}`, init);
  };
  const start = async (platform: string) =>
    open((await h.ctx.connect.link(h.workspaceId, platform, { kind: 'cli' })).url);
  const choose = (platform: string, state: string, accounts: string[]) =>
    h.request(`/connect/${platform}/choose`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['state', state],
        ...accounts.map((a): [string, string] => ['account', a]),
      ]).toString(),
    });
  const accounts = () => h.ctx.accounts.list(h.workspaceId);
  const sealed = async () => {
    const [account] = await accounts();
    return h.ctx.box.open(account?.id ?? '', account?.credentials ?? '');
  };
  const publish = async (body: Record<string, unknown>) => {
    const res = await h.api('POST', '/v1/posts', body);
    expect(res.status).toBe(202);
    const { id } = await res.json();
    await waitFor(async () => (await (await h.api('GET', `/v1/posts/${id}`)).json()).status === 'COMPLETED');
  };
  /** A refusal ends on a page that says so, with its status, and nothing is stored. */
  const refused = async (res: TestResponse, status: number, says: string | RegExp) => {
    expect(res.status).toBe(status);
    const html = await res.text();
    expect(html).toContain('Nothing was connected');
    expect(html).toMatch(says);
  };

  it('Tumblr: picks one of two blogs, keeps the tokens sealed for refreshing, and publishes with them', async () => {
    const before = Date.now();
    const begun = await start('tumblr');
    const authorize = new URL(begun.headers.get('location') ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${tumblr.url}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: tumblr.options.oauth2.clientId,
      response_type: 'code',
      scope: tumblrScopes,
      redirect_uri: 'https://hayon.example/connect/tumblr/callback',
    });
    const page = await open(await throughProvider(begun));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Choose Tumblr accounts');
    const form = chooseForm(html);
    expect(form.accounts).toEqual(['fakeblog', 'sideblog']);
    const done = await choose('tumblr', form.state, ['sideblog']);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Tumblr connected');
    expect((await choose('tumblr', form.state, ['fakeblog'])).status).toBe(403);

    expect((await accounts()).map((a) => [a.platform, a.handle])).toEqual([['tumblr', 'sideblog']]);
    const creds = await sealed();
    expect(creds).toMatchObject({
      blog: 'sideblog',
      accessToken: tumblr.accessToken,
      refreshToken: tumblr.options.oauth2.refreshToken,
      clientId: tumblr.options.oauth2.clientId,
      clientSecret: tumblr.options.oauth2.clientSecret,
    });
    expect(creds.expiresAt).toBeGreaterThanOrEqual(before + 2520_000);
    expect(creds.expiresAt).toBeLessThanOrEqual(Date.now() + 2520_000);

    await publish({ text: 'Hello from a connected blog', targets: ['tumblr'] });
    expect(tumblr.posts).toMatchObject([{ blog: 'sideblog', auth: 'oauth2' }]);
  });

  it('Tumblr: a refusal, a refused code and a reused state connect nothing', async () => {
    tumblr.denyNext = true;
    await refused(await open(await throughProvider(await start('tumblr'))), 400, 'The user denied the request');
    tumblr.failNext('POST /v2/oauth2/token', {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
    });
    await refused(
      await open(await throughProvider(await start('tumblr'))),
      400,
      'Tumblr refused: Invalid authorization code',
    );
    const back = await throughProvider(await start('tumblr'));
    expect((await open(back)).status).toBe(200);
    await refused(await open(back), 403, 'already used');
    expect(await accounts()).toEqual([]);
  });

  it('Facebook: picks one of two Pages, keeps its Page token, and publishes on it', async () => {
    const begun = await start('facebook');
    const dialog = new URL(begun.headers.get('location') ?? '');
    expect(`${dialog.origin}${dialog.pathname}`).toBe(`${graphOrigin}/v26.0/dialog/oauth`);
    expect(dialog.searchParams.get('scope')).toBe(facebookScopes);
    expect(dialog.searchParams.get('client_id')).toBe(graph.apps.facebook.id);
    const page = await open(await throughProvider(begun));
    const html = await page.text();
    expect(html).toContain('Hayon Bakery (Facebook Page)');
    expect(html).toContain('Hayon Studio (Facebook Page)');
    const form = chooseForm(html);
    expect(form.accounts).toEqual([facebook.pageId, '104729318400002']);
    const done = await choose('facebook', form.state, [facebook.pageId]);
    expect(await done.text()).toContain('Facebook connected');

    const [account] = await accounts();
    expect(account).toMatchObject({ platform: 'facebook', handle: 'Hayon Bakery', remoteId: facebook.pageId });
    expect(await sealed()).toEqual({
      pageId: facebook.pageId,
      pageAccessToken: facebook.token,
      apiUrl: `${graphOrigin}/v26.0`,
    });

    graph.pagesApi = facebook.url;
    await publish({ text: 'Fresh bread at nine', targets: ['facebook'] });
    expect(facebook.posts).toMatchObject([{ message: 'Fresh bread at nine' }]);
  });

  it('Facebook: a refusal, a refused code, a login without Pages and a reused state connect nothing', async () => {
    graph.denyNext = true;
    await refused(await open(await throughProvider(await start('facebook'))), 400, 'Permissions error');
    graph.failNext('GET /oauth/access_token', metaErrors.invalidParameter('Invalid verification code format.'));
    await refused(
      await open(await throughProvider(await start('facebook'))),
      400,
      'Facebook refused: Invalid verification code format.',
    );
    graph.pages = [];
    await refused(await open(await throughProvider(await start('facebook'))), 400, 'manages no Page');
    const back = await throughProvider(await start('facebook'));
    await open(back);
    await refused(await open(back), 403, 'already used');
    expect(await accounts()).toEqual([]);
  });

  it("Instagram: connects the account linked to one of the Pages, with that Page's token, and publishes an image", async () => {
    const begun = await start('instagram');
    expect(new URL(begun.headers.get('location') ?? '').searchParams.get('scope')).toBe(instagramScopes);
    // One Page of two has an Instagram account: nothing to choose.
    const done = await open(await throughProvider(begun));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Instagram connected');
    const [account] = await accounts();
    expect(account).toMatchObject({ platform: 'instagram', handle: graph.username, remoteId: graph.userId });
    expect(await sealed()).toEqual({
      igUserId: graph.userId,
      accessToken: graph.token,
      apiUrl: `${graphOrigin}/v26.0`,
    });

    await publish({
      text: 'The studio today',
      media: [{ url: 'https://media.example/studio.png', alt: 'An empty studio' }],
      targets: ['instagram'],
    });
    expect(graph.published).toMatchObject([
      { text: 'The studio today', mediaType: 'IMAGE', altText: 'An empty studio' },
    ]);
  });

  it('Instagram: no Page with an account, a reused state and a refusal connect nothing', async () => {
    graph.pages = graph.pages.filter((p) => !p.instagram);
    await refused(
      await open(await throughProvider(await start('instagram'))),
      400,
      'None of your Facebook Pages (Hayon Bakery) has an Instagram professional account',
    );
    const back = await throughProvider(await start('instagram'));
    await open(back);
    await refused(await open(back), 403, 'already used');
    graph.denyNext = true;
    await refused(await open(await throughProvider(await start('instagram'))), 400, 'Permissions error');
    expect(await accounts()).toEqual([]);
  });

  it('Threads: exchanges the code for a long-lived token, keeps its expiry, and publishes', async () => {
    const before = Date.now();
    const begun = await start('threads');
    const window = new URL(begun.headers.get('location') ?? '');
    expect(`${window.origin}${window.pathname}`).toBe(`${graphOrigin}/oauth/authorize`);
    expect(Object.fromEntries(window.searchParams)).toMatchObject({
      client_id: graph.apps.threads.id,
      scope: threadsScopes,
      response_type: 'code',
      redirect_uri: 'https://hayon.example/connect/threads/callback',
    });
    const done = await open(await throughProvider(begun));
    expect(await done.text()).toContain('Threads connected');
    const [account] = await accounts();
    expect(account).toMatchObject({ platform: 'threads', handle: graph.username, remoteId: graph.userId });
    const creds = await sealed();
    expect(creds).toMatchObject({ userId: graph.userId, accessToken: graph.token, apiUrl: graph.url });
    expect(creds.expiresAt).toBeGreaterThanOrEqual(before + 5_183_944_000);
    expect(creds.expiresAt).toBeLessThanOrEqual(Date.now() + 5_183_944_000);

    await publish({ text: 'Hello, Threads', targets: ['threads'] });
    expect(graph.published).toMatchObject([{ text: 'Hello, Threads', mediaType: 'TEXT' }]);
  });

  it('Threads: a refusal, refused or failed exchanges and a reused state connect nothing', async () => {
    graph.denyNext = true;
    await refused(await open(await throughProvider(await start('threads'))), 400, 'Permissions error');
    graph.failNext('POST /oauth/access_token', metaErrors.invalidParameter('Invalid verification code format.'));
    await refused(
      await open(await throughProvider(await start('threads'))),
      400,
      'Threads refused: Invalid verification',
    );
    graph.failNext('GET /access_token', metaErrors.serverError());
    await refused(await open(await throughProvider(await start('threads'))), 500, 'An unexpected error has occurred');
    const back = await throughProvider(await start('threads'));
    expect((await open(back)).status).toBe(200);
    await refused(await open(back), 403, 'already used');
    expect(await accounts()).toHaveLength(1);
  });

  it('offers a flow per configured app, and none for an app without its id', async () => {
    expect(h.ctx.connect.platforms().sort()).toEqual(
      ['bluesky', 'facebook', 'instagram', 'mastodon', 'threads', 'tumblr'].sort(),
    );
    const bare = await startHayon();
    try {
      const res = await bare.request('/connect/tumblr/start?state=x');
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('(it has: mastodon, bluesky)');
    } finally {
      await bare.stop();
    }
  });
});

describe('connect app settings (HAYON_TUMBLR_*, HAYON_META_*, HAYON_THREADS_*)', () => {
  const config = (env: HayonEnv) => envToConfig({ dataDir: '/tmp/hayon-unused', ...env });
  const all: HayonEnv = {
    tumblrClientId: 'ck',
    tumblrClientSecret: 'cs',
    metaAppId: '1234',
    metaAppSecret: 'ms',
    threadsAppId: '5678',
    threadsAppSecret: 'ts',
  };

  it('has no app by default, and the platforms’ own addresses by default', () => {
    expect(config({}).connect).toEqual({});
    expect(config(all).connect).toEqual({
      tumblr: { clientId: 'ck', oauthUrl: 'https://www.tumblr.com', apiUrl: 'https://api.tumblr.com' },
      meta: { clientId: '1234', oauthUrl: 'https://www.facebook.com', apiUrl: 'https://graph.facebook.com/v26.0' },
      threads: { clientId: '5678', oauthUrl: 'https://threads.com', apiUrl: 'https://graph.threads.net/v1.0' },
    });
    expect(config({ ...all, metaGraphUrl: 'http://127.0.0.1:9/v26.0/' }).connect.meta?.apiUrl).toBe(
      'http://127.0.0.1:9/v26.0',
    );
  });

  it('keeps the secrets out of the config and in the secrets', () => {
    const env = { ...all, secretKey: randomBytes(32).toString('hex') };
    expect(JSON.stringify(config(env))).not.toMatch(/"(cs|ms|ts)"/);
    expect(envToSecrets(env, config(env))).toMatchObject({
      tumblrClientSecret: 'cs',
      metaAppSecret: 'ms',
      threadsAppSecret: 'ts',
    });
  });

  it('refuses half an app, a Meta app id that is not a number, and a bad address, naming the variable', () => {
    expect(() => config({ metaAppSecret: 'ms' })).toThrow('HAYON_META_APP_SECRET is set but HAYON_META_APP_ID is not.');
    expect(() => config({ tumblrClientId: 'ck' })).toThrow(
      'HAYON_TUMBLR_CLIENT_SECRET must be set with HAYON_TUMBLR_CLIENT_ID.',
    );
    expect(() => config({ ...all, threadsAppId: 'threads' })).toThrow(/^HAYON_THREADS_APP_ID must be the app id/);
    expect(() => config({ ...all, tumblrOauthUrl: 'www.tumblr.com' })).toThrow(
      'HAYON_TUMBLR_OAUTH_URL is not a valid URL.',
    );
  });
});
