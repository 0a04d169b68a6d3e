import { expect, it } from 'vitest';
import type { ConnectState, OAuthApp } from '../../../src/core/connect.js';
import type { ConnectStore } from '../../../src/store/ports/connect-store.js';
import { T0 } from '../store-fixtures.js';

function makeState(overrides: Partial<ConnectState> = {}): ConnectState {
  return {
    id: 'cs_1',
    workspaceId: 'ws_1',
    platform: 'mastodon',
    actor: { kind: 'slack', id: 'U1', name: 'alice' },
    data: { instanceUrl: 'https://mastodon.example' },
    createdAt: T0,
    expiresAt: T0 + 600_000,
    ...overrides,
  };
}

/** ConnectStore: OAuth flows (merged, expired, taken once) and the OAuth clients registered per key. */
export function connectStoreContract(store: () => ConnectStore): void {
  it('stores a flow, merges data into it, and hands it out once', async () => {
    await store().putConnectState(makeState());
    expect(await store().updateConnectState('cs_1', { codeVerifier: 'v' })).toBe(true);
    expect(await store().getConnectState('cs_1')).toEqual(
      makeState({ data: { instanceUrl: 'https://mastodon.example', codeVerifier: 'v' } }),
    );
    const [a, b] = await Promise.all([store().takeConnectState('cs_1'), store().takeConnectState('cs_1')]);
    expect([a, b].filter((s) => s !== null)).toHaveLength(1);
    expect(await store().getConnectState('cs_1')).toBeNull();
    expect(await store().updateConnectState('cs_1', { x: 1 })).toBe(false);
  });

  it('removes flows past their expiry when a new one is stored', async () => {
    await store().putConnectState(makeState({ id: 'old', expiresAt: T0 + 10 }));
    await store().putConnectState(makeState({ id: 'new', createdAt: T0 + 20, expiresAt: T0 + 1000 }));
    expect(await store().getConnectState('old')).toBeNull();
    expect(await store().getConnectState('new')).not.toBeNull();
  });

  it('keeps the first OAuth client registered for a key', async () => {
    const app: OAuthApp = {
      key: 'mastodon:https://mastodon.example',
      clientId: 'id-1',
      clientSecret: 'sealed-1',
      redirectUri: 'https://hayon.example/connect/mastodon/callback',
      createdAt: T0,
    };
    expect(await store().getOAuthApp(app.key)).toBeNull();
    expect(await store().putOAuthApp(app)).toEqual(app);
    expect(await store().putOAuthApp({ ...app, clientId: 'id-2' })).toEqual(app);
    expect(await store().getOAuthApp(app.key)).toEqual(app);
    expect(await store().listOAuthApps()).toEqual([app]);
    expect(await store().resealOAuthApp(app.key, 'sealed-2', 'not-current')).toBe(false);
    expect(await store().resealOAuthApp(app.key, 'sealed-2', 'sealed-1')).toBe(true);
    expect(await store().getOAuthApp(app.key)).toEqual({ ...app, clientSecret: 'sealed-2' });
  });
}
