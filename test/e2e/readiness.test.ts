import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startHayon, type TestHayon } from '../harness.js';

/** A real SQLite store whose readiness probe can be made to fail, as when the database goes away. */
class SqliteStoreThatCanGoDown extends SqliteStore {
  down = false;
  override async ping(): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (password=hunter2)');
    return super.ping();
  }
}

describe('GET /readyz', () => {
  let h: TestHayon | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is 200 while the store answers and 503 store_unavailable when it does not, without the cause', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-readyz-'));
    const store = new SqliteStoreThatCanGoDown({ path: join(dir, 'hayon.db') });
    h = await startHayon({ store, worker: false });
    const ready = await h.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });

    store.down = true;
    const down = await h.request('/readyz');
    expect(down.status).toBe(503);
    const text = await down.text();
    expect(JSON.parse(text)).toEqual({
      ok: false,
      error: { code: 'store_unavailable', message: 'The store cannot be reached.' },
    });
    expect(text).not.toMatch(/hunter2|ECONNREFUSED/);
    expect((await h.request('/healthz')).status).toBe(200);

    store.down = false;
    expect((await h.request('/readyz')).status).toBe(200);
  });
});
