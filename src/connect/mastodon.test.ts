import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectState, OAuthApp } from '../core/connect.js';
import { HayonError } from '../core/errors.js';
import { CredentialBox } from '../crypto/credential-box.js';
import type { ConnectStore } from '../store/ports/connect-store.js';
import { FakeMastodonServer } from '../../test/fakes/fake-mastodon-server.js';
import { MastodonConnect } from './mastodon.js';

const ctx = { redirectUri: 'https://hayon.example/connect/mastodon/callback', token: 'id.mac' };

/** The part of the store the connect flow uses: registered apps, in memory. */
function appStore(): Pick<ConnectStore, 'getOAuthApp' | 'putOAuthApp'> {
  const apps = new Map<string, OAuthApp>();
  return {
    getOAuthApp: async (key) => apps.get(key) ?? null,
    putOAuthApp: async (app) => {
      if (!apps.has(app.key)) apps.set(app.key, app);
      return apps.get(app.key) as OAuthApp;
    },
  };
}

describe('MastodonConnect through masto, against FakeMastodonServer', () => {
  let server: FakeMastodonServer;
  let connect: MastodonConnect;
  beforeEach(async () => {
    server = await new FakeMastodonServer().start();
    connect = new MastodonConnect({
      store: appStore() as ConnectStore,
      box: new CredentialBox(randomBytes(32)),
      clock: () => 1_000_000,
      publicUrl: 'https://hayon.example',
      allowHosts: [new URL(server.url).host],
      timeoutMs: 2_000,
    });
  });
  afterEach(() => server.stop());

  const start = async () => {
    let kept: Record<string, unknown> = {};
    const state = { workspaceId: 'default', data: {} } as unknown as ConnectState;
    const begun = await connect.start(state, ctx, new URLSearchParams({ instance: server.url }), async (d) => {
      kept = d;
    });
    return { begun, state: { ...state, data: kept } as ConnectState };
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('expected a refusal'),
      (e: unknown) => e as HayonError,
    );

  it('registers hayon once, and exchanges the code with its PKCE verifier', async () => {
    await start();
    const { begun, state } = await start();
    if (begun.kind !== 'redirect') return expect.fail('expected a redirect');
    const back = await fetch(begun.url, { redirect: 'manual' });
    const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const done = await connect.finish(state, ctx, new URLSearchParams({ code }));
    expect(done).toEqual({ kind: 'connect', credentials: { instanceUrl: server.url, accessToken: server.token } });
    expect(server.apps).toMatchObject([
      { redirectUri: ctx.redirectUri, scopes: 'read:accounts write:statuses write:media' },
    ]);
  });

  it("a refused code is the instance's refusal in its words, naming the instance field", async () => {
    const { state } = await start();
    const e = await refusal(connect.finish(state, ctx, new URLSearchParams({ code: 'forged' })));
    expect(e).toBeInstanceOf(HayonError);
    expect(e).toMatchObject({ code: 'invalid_request', field: 'instance' });
    expect(e.userMessage).toBe(
      `${new URL(server.url).host} The provided authorization grant is invalid, expired, revoked or was issued to another client.`,
    );
    expect(e.userMessage).not.toContain('client-secret');
  });

  it('an instance that refuses registration, or cannot be reached, says so', async () => {
    server.failNext('POST /api/v1/apps', {
      status: 422,
      body: { error: "Validation failed: Redirect URI can't be blank" },
    });
    const refused = await refusal(start());
    expect(refused.userMessage).toContain("Validation failed: Redirect URI can't be blank");
    server.failNext('POST /api/v1/apps', { status: 404, body: '<html><h1>Not Found</h1></html>' });
    const notMastodon = await refusal(start());
    expect(notMastodon).toMatchObject({
      code: 'invalid_request',
      field: 'instance',
      userMessage: `${new URL(server.url).host} did not answer as a Mastodon server does (is it one?).`,
    });
    await server.stop();
    const gone = await refusal(start());
    expect(gone).toMatchObject({ code: 'platform_error', userMessage: `Could not reach ${new URL(server.url).host}.` });
    server = await new FakeMastodonServer().start();
  });
});
