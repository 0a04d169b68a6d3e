import { expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/core/audit.js';
import type { AuditStore } from '../../../src/store/ports/audit-store.js';
import { T0 } from '../store-fixtures.js';

function entry(workspaceId: string, n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `aud_${String(n).padStart(3, '0')}`,
    workspaceId,
    at: T0 + n * 1000,
    actor: { kind: 'slack', id: 'U123', name: 'alice' },
    action: 'post.created',
    target: `post_${n}`,
    ...overrides,
  };
}

/** AuditStore: a workspace's entries, newest first, paged with `before`. */
export function auditStoreContract(store: () => AuditStore): void {
  it('lists a workspace’s audit entries newest first, paged with before', async () => {
    for (const n of [1, 3, 2]) await store().addAudit(entry('ws_1', n));
    await store().addAudit(entry('ws_2', 4));
    const minimal: AuditEntry = {
      id: 'aud_min',
      workspaceId: 'ws_1',
      at: T0,
      actor: { kind: 'cli' },
      action: 'secrets.rotated',
    };
    await store().addAudit(minimal);
    const withDetails = entry('ws_1', 5, { details: { targets: 2, scheduled: true, platform: 'bluesky' } });
    await store().addAudit(withDetails);
    const all = await store().listAudit('ws_1', { limit: 10 });
    expect(all.map((e) => e.id)).toEqual(['aud_005', 'aud_003', 'aud_002', 'aud_001', 'aud_min']);
    expect(all[0]).toEqual(withDetails);
    expect(all[4]).toEqual(minimal);
    expect((await store().listAudit('ws_1', { limit: 2 })).map((e) => e.id)).toEqual(['aud_005', 'aud_003']);
    const older = await store().listAudit('ws_1', { limit: 10, before: T0 + 3000 });
    expect(older.map((e) => e.id)).toEqual(['aud_002', 'aud_001', 'aud_min']);
    expect(await store().listAudit('ws_3', { limit: 10 })).toEqual([]);
  });
}
