import { expect, it } from 'vitest';
import type { WebLoginLink, WebSessionRecord, WebSessionStore } from '../../../src/store/ports/web-session-store.js';
import { T0 } from '../store-fixtures.js';

const day = 86_400_000;

function makeLink(overrides: Partial<WebLoginLink> = {}): WebLoginLink {
  return {
    hash: 'a'.repeat(64),
    workspaceId: 'ws_1',
    askedBy: { kind: 'slack', id: 'U1', name: 'alice' },
    createdAt: T0,
    expiresAt: T0 + 900_000,
    ...overrides,
  };
}

function makeSession(overrides: Partial<WebSessionRecord> = {}): WebSessionRecord {
  return {
    hash: 'b'.repeat(64),
    workspaceId: 'ws_1',
    actor: { kind: 'web', id: 'slack:U1', name: 'alice' },
    csrfToken: 'csrf-1',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: T0 + 7 * day,
    ...overrides,
  };
}

/** WebSessionStore: sign-in links used once, sessions stored, touched and removed. */
export function webSessionStoreContract(store: () => WebSessionStore): void {
  it('hands a link out as a first use once, then says it was used', async () => {
    await store().putWebLogin(makeLink());
    const [a, b] = await Promise.all([
      store().useWebLogin('a'.repeat(64), T0 + 1000),
      store().useWebLogin('a'.repeat(64), T0 + 1001),
    ]);
    expect([a?.firstUse, b?.firstUse].sort()).toEqual([false, true]);
    expect((a?.firstUse ? a : b)?.link).toEqual(makeLink());
    const again = await store().useWebLogin('a'.repeat(64), T0 + 5000);
    expect(again?.firstUse).toBe(false);
    expect(again?.link.usedAt).toBeGreaterThanOrEqual(T0 + 1000);
    expect(await store().useWebLogin('c'.repeat(64), T0)).toBeNull();
  });

  it('removes links expired a day before a new one, and keeps recent ones', async () => {
    await store().putWebLogin(makeLink({ hash: '1'.repeat(64), expiresAt: T0 + 900_000 }));
    await store().putWebLogin(makeLink({ hash: '2'.repeat(64), createdAt: T0 + 2 * day, expiresAt: T0 + 2 * day }));
    await store().putWebLogin(makeLink({ hash: '3'.repeat(64), createdAt: T0 + 2 * day + 60_000 }));
    expect(await store().useWebLogin('1'.repeat(64), T0 + 2 * day)).toBeNull();
    expect((await store().useWebLogin('2'.repeat(64), T0 + 2 * day))?.firstUse).toBe(true);
  });

  it('stores a session, touches it, and removes it once', async () => {
    await store().putWebSession(makeSession());
    expect(await store().getWebSession('b'.repeat(64))).toEqual(makeSession());
    await store().touchWebSession('b'.repeat(64), T0 + 60_000);
    expect((await store().getWebSession('b'.repeat(64)))?.lastSeenAt).toBe(T0 + 60_000);
    expect(await store().deleteWebSession('b'.repeat(64))).toBe(true);
    expect(await store().getWebSession('b'.repeat(64))).toBeNull();
    expect(await store().deleteWebSession('b'.repeat(64))).toBe(false);
  });

  it('removes sessions past their end when a new one is stored', async () => {
    await store().putWebSession(makeSession({ hash: '1'.repeat(64), expiresAt: T0 + day }));
    await store().putWebSession(
      makeSession({ hash: '2'.repeat(64), createdAt: T0 + 2 * day, lastSeenAt: T0 + 2 * day, expiresAt: T0 + 9 * day }),
    );
    expect(await store().getWebSession('1'.repeat(64))).toBeNull();
    expect(await store().getWebSession('2'.repeat(64))).not.toBeNull();
  });
}
