import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/accounts/api-tokens.js';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';
import { startHayon, type TestHayon } from '../harness.js';

/** Follows hayon's redirect to the provider, lets the fake "user" approve, and returns where it sends the browser back. */
async function throughProvider(location: string): Promise<URL> {
  const res = await fetch(location, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

// Connecting accounts in a browser, against FakeMastodonServer's documented OAuth (app
// registration, authorize, token with PKCE), and Bluesky against the real local PDS.
describe('connecting accounts', () => {
  let h: TestHayon;
  let mastodon: FakeMastodonServer;
  let now: number;

  beforeEach(async () => {
    mastodon = await new FakeMastodonServer().start();
    now = Date.now();
    h = await startHayon({
      env: { fetchAllowHosts: new URL(mastodon.url).host, publicUrl: 'https://hayon.example' },
      clock: () => now,
    });
  });
  afterEach(async () => {
    await h.stop();
    await mastodon.stop();
  });

  const link = (data: Record<string, unknown> = { instance: mastodon.url }) =>
    h.ctx.connect.link(h.workspaceId, 'mastodon', { kind: 'cli' }, data);
  /** A request to hayon for a URL it made (its public origin is not listening in tests). */
  const open = (url: string | URL, init?: RequestInit) => {
    const u = new URL(url);
    return h.request(`${u.pathname}${u.search}`, init);
  };

  it('connects a Mastodon account through OAuth with PKCE, registering hayon on the instance once', async () => {
    const { url } = await link();
    expect(url).toMatch(/^https:\/\/hayon\.example\/connect\/mastodon\/start\?workspace=default&state=/);
    const start = await open(url);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin).toBe(mastodon.url);
    expect(authorize.searchParams.get('scope')).toBe('read:accounts write:statuses write:media');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe('https://hayon.example/connect/mastodon/callback');
    const back = await throughProvider(authorize.toString());
    const done = await open(back);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Mastodon connected');
    const [account] = await h.ctx.accounts.list(h.workspaceId);
    expect(account).toMatchObject({ platform: 'mastodon', handle: expect.stringContaining('alice'), health: 'active' });
    // The credentials are the token Mastodon issued, sealed.
    expect(h.ctx.box.open(account?.id ?? '', account?.credentials ?? '')).toMatchObject({
      accessToken: mastodon.token,
    });

    // A second flow reuses the app registered on the instance.
    const again = await open((await link()).url);
    await open(await throughProvider(again.headers.get('location') ?? ''));
    expect(mastodon.apps).toHaveLength(1);
    expect(await h.ctx.accounts.list(h.workspaceId)).toHaveLength(1);
  });

  it('refuses a reused, a forged and an expired state, and connects nothing', async () => {
    const start = await open((await link()).url);
    const back = await throughProvider(start.headers.get('location') ?? '');
    expect((await open(back)).status).toBe(200);
    const reused = await open(back);
    expect(reused.status).toBe(403);
    expect(await reused.text()).toContain('already used');

    const forged = new URL((await link()).url);
    const [id] = (forged.searchParams.get('state') ?? '').split('.');
    forged.searchParams.set('state', `${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    const refused = await open(forged);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('not made by hayon');

    const late = await link();
    now += 16 * 60_000;
    const expired = await open(late.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
    expect(await h.ctx.accounts.list(h.workspaceId)).toHaveLength(1);
  });

  it('says nothing was connected when the user refuses on Mastodon', async () => {
    mastodon.denyNext = true;
    const start = await open((await link()).url);
    const denied = await open(await throughProvider(start.headers.get('location') ?? ''));
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('Nothing was connected');
    expect(await h.ctx.accounts.list(h.workspaceId)).toEqual([]);
  });

  it('asks for the instance when the link names none, and refuses one on a private network', async () => {
    const ask = await open((await link({})).url);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('name="instance"');
    const privateOne = await open((await link({ instance: 'http://10.0.0.5' })).url);
    expect(privateOne.status).toBe(400);
    expect(await privateOne.text()).toContain('private network');
    expect(mastodon.apps).toHaveLength(0);
  });

  it('gives a link through the API to a token with accounts:manage, and a 403 naming the scope otherwise', async () => {
    const { token } = await createApiToken(h.ctx.store, h.workspaceId, 'admin tool', h.ctx.clock, ['accounts:manage']);
    const res = await h.request('/v1/connect/mastodon', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ instance: mastodon.url }),
    });
    expect(res.status).toBe(201);
    const { url, expiresAt } = await res.json();
    expect(url).toMatch(/^https:\/\/hayon\.example\/connect\/mastodon\/start\?/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(now);
    const flow = await h.ctx.store.getConnectState(new URL(url).searchParams.get('state')?.split('.')[0] ?? '');
    expect(flow?.actor).toMatchObject({ kind: 'api', name: 'admin tool' });
    const denied = await h.api('POST', '/v1/connect/mastodon', {});
    expect(denied.status).toBe(403);
    expect((await denied.json()).error).toMatchObject({
      field: 'Authorization',
      message: expect.stringContaining('accounts:manage'),
    });
  });

  it('refuses a link opened for another workspace, and a platform hayon cannot connect', async () => {
    const wrong = new URL((await link()).url);
    wrong.searchParams.set('workspace', 'other');
    expect((await open(wrong)).status).toBe(403);
    expect((await h.request('/connect/myspace/start?state=x')).status).toBe(404);
  });
});

const pdsSkip = pdsUnavailableReason();
describe.skipIf(pdsSkip !== undefined)(
  `connecting a Bluesky account (real PDS)${pdsSkip ? ` (skipped: ${pdsSkip})` : ''}`,
  () => {
    let pds: TestPds;
    let h: TestHayon;
    beforeAll(async () => {
      pds = await startPds();
    });
    afterAll(() => pds.stop());
    beforeEach(async () => {
      h = await startHayon({
        env: {
          publicUrl: 'https://hayon.example',
          blueskyResolverUrl: pds.url,
          ...(pds.plcUrl ? { blueskyPlcUrl: pds.plcUrl } : {}),
        },
      });
    });
    afterEach(() => h.stop());

    const submit = async (handle: string, appPassword: string) => {
      const { url } = await h.ctx.connect.link(h.workspaceId, 'bluesky', { kind: 'cli' });
      const u = new URL(url);
      const form = await h.request(`${u.pathname}${u.search}`);
      const html = await form.text();
      expect(html).toContain('name="appPassword"');
      const state = /name="state" value="([^"]+)"/.exec(html)?.[1] ?? '';
      return h.request('/connect/bluesky/callback', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ state: state.replace(/&#46;/g, '.'), handle, appPassword }).toString(),
      });
    };

    it('finds the PDS from the handle and checks the app password by logging in', async () => {
      if (!pds.plcUrl)
        return console.log('skipped: the running PDS does not say where its PLC is (restart scripts/test-services.sh)');
      const account = await new PdsClient(pds.url).createAccount('conn');
      const refused = await submit(account.handle, 'wrong-password');
      expect(refused.status).toBe(401);
      const page = await refused.text();
      expect(page).toContain('Bluesky refused this identifier and app password');
      expect(page).toContain('App passwords');
      expect(page).not.toMatch(/reconnect/i);
      expect(await h.ctx.accounts.list(h.workspaceId)).toEqual([]);
      const done = await submit(account.handle, account.password);
      expect(done.status).toBe(200);
      const [connected] = await h.ctx.accounts.list(h.workspaceId);
      expect(connected).toMatchObject({ platform: 'bluesky', handle: account.handle, remoteId: account.did });
      expect(h.ctx.box.open(connected?.id ?? '', connected?.credentials ?? '')).toMatchObject({ service: pds.url });
    });
  },
);
