import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hayon-web-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function hayon(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { HAYON_DATA_DIR: dir, HAYON_LOG_LEVEL: 'silent', HAYON_SECRET_KEY: randomBytes(32).toString('hex'), ...env },
    cwd: dir,
  };
  return { code: await main(argv, io), out, err: err.join('\n') };
}

describe('hayon web login', () => {
  it('prints a one-time link on HAYON_PUBLIC_URL, stored only as its SHA-256', async () => {
    const r = await hayon(['web', 'login'], { HAYON_PUBLIC_URL: 'https://hayon.example' });
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const url = r.out[0] ?? '';
    expect(url).toMatch(/^https:\/\/hayon\.example\/app\/login\/[\w-]{43}$/);
    expect(r.err).toContain('works once');
    expect(r.err).toContain('15 minutes');
    const token = url.split('/').pop() ?? '';
    const store = new SqliteStore({ path: join(dir, 'hayon.db') });
    await store.init();
    try {
      const hash = createHash('sha256').update(token).digest('hex');
      const used = await store.useWebLogin(hash, Date.now());
      expect(used?.link).toMatchObject({ workspaceId: 'default', askedBy: { kind: 'cli' } });
      expect(JSON.stringify(used)).not.toContain(token);
    } finally {
      await store.close();
    }
  });

  it('without HAYON_PUBLIC_URL, the link is on the configured port and says so', async () => {
    const r = await hayon(['web', 'login', '--workspace', 'team'], { HAYON_PORT: '9123' });
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^http:\/\/localhost:9123\/app\/login\//);
    expect(r.err).toContain('workspace team');
    expect(r.err).toContain('HAYON_PUBLIC_URL');
  });

  it('names the subcommand it takes', async () => {
    const r = await hayon(['web', 'logout']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown subcommand "logout"');
    expect(r.err).toContain('hayon web login [--workspace W]');
  });
});
