import { expect, it } from 'vitest';
import type { Callback } from '../../../src/core/hook.js';
import type { CallbackStore } from '../../../src/store/ports/callback-store.js';
import { T0 } from '../store-fixtures.js';

function makeCallback(overrides: Partial<Callback> = {}): Callback {
  return {
    id: 'dlv_1.published',
    postId: 'post_1',
    workspaceId: 'ws_1',
    url: 'https://example.com/hook',
    body: '{"type":"delivery.published"}',
    signer: { kind: 'hook', hookId: 'hk_1' },
    state: 'pending',
    attempts: 0,
    dueAt: T0,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** CallbackStore: the outbox, each callback stored once, taken by one sender under a lease, finished. */
export function callbackStoreContract(store: () => CallbackStore): void {
  it('addCallback stores an event once: the same id again writes nothing', async () => {
    const c = makeCallback();
    expect(await store().addCallback(c)).toBe(true);
    expect(await store().addCallback({ ...c, body: 'other' })).toBe(false);
    expect(await store().listCallbacks('post_1')).toEqual([c]);
  });

  it('takeDueCallbacks takes due pending callbacks once, with a lease and one more attempt', async () => {
    await store().addCallback(makeCallback({ id: 'c1', dueAt: T0 }));
    await store().addCallback(makeCallback({ id: 'c2', dueAt: T0 + 10 }));
    await store().addCallback(makeCallback({ id: 'c3', dueAt: T0 + 1000 }));
    expect(await store().nextCallbackDueAt()).toBe(T0);
    const taken = await store().takeDueCallbacks(T0 + 10, T0 + 60_000, 10);
    expect(taken.map((c) => [c.id, c.state, c.attempts, c.leaseUntil])).toEqual([
      ['c1', 'sending', 1, T0 + 60_000],
      ['c2', 'sending', 1, T0 + 60_000],
    ]);
    expect(await store().takeDueCallbacks(T0 + 10, T0 + 60_000, 10)).toEqual([]);
    expect(await store().nextCallbackDueAt()).toBe(T0 + 1000);
  });

  it('two senders taking at once never share a callback', async () => {
    for (let i = 0; i < 12; i++) await store().addCallback(makeCallback({ id: `c${i}`, dueAt: T0 + i }));
    const [a, b] = await Promise.all([
      store().takeDueCallbacks(T0 + 100, T0 + 60_000, 12),
      store().takeDueCallbacks(T0 + 100, T0 + 60_000, 12),
    ]);
    const ids = [...(a ?? []), ...(b ?? [])].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(12);
  });

  it('a callback whose sender died (lease ran out) is taken again', async () => {
    await store().addCallback(makeCallback());
    await store().takeDueCallbacks(T0, T0 + 100, 10);
    expect(await store().takeDueCallbacks(T0 + 50, T0 + 150, 10)).toEqual([]);
    const again = await store().takeDueCallbacks(T0 + 101, T0 + 200, 10);
    expect(again.map((c) => [c.id, c.attempts, c.leaseUntil])).toEqual([['dlv_1.published', 2, T0 + 200]]);
  });

  it('finishCallback records sent, retry (pending again at its time) and failed', async () => {
    await store().addCallback(makeCallback({ id: 'sent' }));
    await store().addCallback(makeCallback({ id: 'retry' }));
    await store().addCallback(makeCallback({ id: 'failed' }));
    await store().takeDueCallbacks(T0, T0 + 100, 10);
    await store().finishCallback('sent', { kind: 'sent' }, T0 + 1);
    await store().finishCallback('retry', { kind: 'retry', dueAt: T0 + 30, error: 'answered 500' }, T0 + 1);
    await store().finishCallback('failed', { kind: 'failed', error: 'gave up' }, T0 + 1);
    const byId = Object.fromEntries((await store().listCallbacks('post_1')).map((c) => [c.id, c]));
    expect(byId.sent).toMatchObject({ state: 'sent', attempts: 1, updatedAt: T0 + 1 });
    expect(byId.sent?.leaseUntil).toBeUndefined();
    expect(byId.retry).toMatchObject({ state: 'pending', dueAt: T0 + 30, lastError: 'answered 500' });
    expect(byId.failed).toMatchObject({ state: 'failed', lastError: 'gave up' });
    expect(await store().takeDueCallbacks(T0 + 29, T0 + 100, 10)).toEqual([]);
    expect((await store().takeDueCallbacks(T0 + 30, T0 + 100, 10)).map((c) => [c.id, c.attempts])).toEqual([
      ['retry', 2],
    ]);
    expect(await store().nextCallbackDueAt()).toBeNull();
  });
}
