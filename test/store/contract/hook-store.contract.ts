import { expect, it } from 'vitest';
import type { Hook } from '../../../src/core/hook.js';
import type { HookStore } from '../../../src/store/ports/hook-store.js';
import { T0 } from '../store-fixtures.js';

function makeHook(overrides: Partial<Hook> = {}): Hook {
  return {
    id: 'hk_1',
    workspaceId: 'ws_1',
    source: 'github',
    name: 'releases',
    template: '{{name}} {{url}}',
    targets: ['bluesky'],
    secret: 'sealed-secret',
    enabled: true,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** HookStore: a workspace's incoming webhooks, created once, changed field by field, deleted. */
export function hookStoreContract(store: () => HookStore): void {
  it('creates, reads, lists (oldest first) and deletes hooks', async () => {
    const a = makeHook({ id: 'hk_a', when: 'in 10 minutes', callbackUrl: 'https://example.com/cb' });
    const b = makeHook({ id: 'hk_b', createdAt: T0 + 1, updatedAt: T0 + 1, source: 'ghost' });
    const other = makeHook({ id: 'hk_c', workspaceId: 'ws_2' });
    await store().createHook(b);
    await store().createHook(a);
    await store().createHook(other);
    expect(await store().getHook('hk_a')).toEqual(a);
    expect(await store().listHooks('ws_1')).toEqual([a, b]);
    expect(await store().getHook('hk_missing')).toBeNull();
    expect(await store().deleteHook('hk_a')).toBe(true);
    expect(await store().deleteHook('hk_a')).toBe(false);
    expect(await store().listHooks('ws_1')).toEqual([b]);
  });

  it('refuses a second hook with the same id', async () => {
    await store().createHook(makeHook());
    await expect(store().createHook(makeHook())).rejects.toThrow();
  });

  it('updateHook changes the given fields; lastUsedAt alone keeps updatedAt', async () => {
    await store().createHook(makeHook());
    const disabled = await store().updateHook('hk_1', { enabled: false }, T0 + 5);
    expect(disabled).toEqual(makeHook({ enabled: false, updatedAt: T0 + 5 }));
    const used = await store().updateHook('hk_1', { lastUsedAt: T0 + 9 }, T0 + 9);
    expect(used).toEqual(makeHook({ enabled: false, updatedAt: T0 + 5, lastUsedAt: T0 + 9 }));
    expect(await store().getHook('hk_1')).toEqual(used);
    expect(await store().updateHook('hk_missing', { enabled: true }, T0)).toBeNull();
  });
}
