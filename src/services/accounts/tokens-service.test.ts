import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit-log.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { WorkspacesService } from '../workspaces-service.js';
import { TokensService } from './tokens-service.js';

const T0 = 1_750_004_800_000;
const ada = { kind: 'cli' as const, name: 'ada' };

describe('TokensService on a SqliteStore', () => {
  let store: SqliteStore;
  let now: number;
  let recorded: AuditRecord[];
  let tokens: TokensService;
  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.init();
    now = T0;
    recorded = [];
    const clock = () => now;
    tokens = new TokensService({
      store,
      workspaces: new WorkspacesService({ store, clock }),
      clock,
      audit: { record: async (entry) => void recorded.push(entry) },
      touchEveryMs: 60_000,
    });
  });
  afterEach(async () => {
    await store.close();
  });

  it('makes the workspace on first use and records who created the token, never its secret', async () => {
    const { token, record } = await tokens.create('team', 'ci', ada, ['posts:read']);
    expect((await store.getWorkspace('team'))?.name).toBe('team');
    expect(recorded).toEqual([
      {
        workspaceId: 'team',
        actor: ada,
        action: 'token.created',
        target: record.id,
        details: { name: 'ci', scopes: 'posts:read' },
      },
    ]);
    expect(JSON.stringify(recorded)).not.toContain(token);
  });

  it('records the last use of a token at most once a minute', async () => {
    const { token, record } = await tokens.create('default', 'ci', ada);
    const lastUsed = async () => (await tokens.list('default')).find((t) => t.id === record.id)?.lastUsedAt;
    expect((await tokens.authenticate(token))?.id).toBe(record.id);
    expect(await lastUsed()).toBe(T0);
    now = T0 + 30_000;
    await tokens.authenticate(token);
    expect(await lastUsed()).toBe(T0);
    now = T0 + 61_000;
    await tokens.authenticate(token);
    expect(await lastUsed()).toBe(T0 + 61_000);
  });

  it('a revoked token authenticates no more; a second revoke records nothing; an unknown id is null', async () => {
    const { token, record } = await tokens.create('default', 'ci', ada);
    expect((await tokens.revoke('default', record.id, ada))?.name).toBe('ci');
    expect(await tokens.revoke('default', record.id, ada)).not.toBeNull();
    expect(await tokens.authenticate(token)).toBeNull();
    expect(recorded.map((r) => r.action)).toEqual(['token.created', 'token.revoked']);
    expect(await tokens.revoke('other', record.id, ada)).toBeNull();
    expect(await tokens.authenticate('hyn_not-a-token')).toBeNull();
  });
});
