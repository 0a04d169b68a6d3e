import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { WorkspacesService } from './workspaces-service.js';

describe('WorkspacesService on a SqliteStore', () => {
  let store: SqliteStore;
  let workspaces: WorkspacesService;
  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.init();
    workspaces = new WorkspacesService({ store, clock: () => 1_000 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('names the default workspace Default and any other after its id', async () => {
    expect((await workspaces.ensure()).name).toBe('Default');
    expect((await workspaces.ensure('marketing')).name).toBe('marketing');
    expect((await workspaces.list()).map((w) => w.id)).toEqual(['default', 'marketing']);
  });

  it("sets one member's time zone, keeping the other members' and the workspace's", async () => {
    await workspaces.ensure('team');
    await workspaces.updateSettings('team', { timezone: 'Europe/Berlin', timezones: { U1: 'Asia/Tokyo' } });
    const after = await workspaces.setMemberTimezone('team', 'U2', 'America/New_York');
    expect(after?.settings).toMatchObject({
      timezone: 'Europe/Berlin',
      timezones: { U1: 'Asia/Tokyo', U2: 'America/New_York' },
    });
  });
});
