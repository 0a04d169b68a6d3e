import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultWorkspaceId } from '../../src/services/accounts/accounts-service.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

async function hayon(dataDir: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { HAYON_DATA_DIR: dataDir, HAYON_LOG_LEVEL: 'silent', HAYON_PUBLIC_URL: 'https://hayon.example' },
    cwd: dataDir,
  };
  const code = await main(argv, io);
  return { code, out, err, all: [...out, ...err].join('\n') };
}

// `hayon hooks`: a workspace with one Bluesky account (seeded in the store directly: the CLI's
// own account flow needs a PDS and is tested in cli.test.ts).
describe('hayon hooks', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-hooks-cli-'));
    const store = new SqliteStore({ path: join(dir, 'hayon.db') });
    await store.init();
    await store.ensureWorkspace({ id: defaultWorkspaceId, name: 'Default', createdAt: Date.now() });
    await store.createAccount({
      id: 'acc_1',
      workspaceId: defaultWorkspaceId,
      platform: 'bluesky',
      handle: 'alice.test',
      remoteId: 'did:plc:alice',
      credentials: 'sealed',
      health: 'active',
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
    await store.close();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const run = (...argv: string[]) => hayon(dir, argv);

  it('creates a hook and prints its URL and secret once; list shows it without the secret', async () => {
    const created = await run('hooks', 'create', '--source', 'github', '--targets', 'bluesky', '--name', 'releases');
    expect(created.code).toBe(0);
    const url = created.out.find((l) => l.startsWith('url:'))?.split(/\s+/)[1] ?? '';
    const secret = created.out.find((l) => l.startsWith('secret:'))?.split(/\s+/)[1] ?? '';
    expect(url).toMatch(/^https:\/\/hayon\.example\/v1\/hooks\/hk_[\w-]+$/);
    expect(secret).toMatch(/^hks_[\w-]{40,}$/);
    expect(created.err.join('\n')).toContain('shown once');
    const listed = await run('hooks', 'list');
    expect(listed.code).toBe(0);
    expect(listed.all).toContain(url);
    expect(listed.all).toContain('releases');
    expect(listed.all).not.toContain(secret);
    const id = url.split('/').pop() ?? '';
    expect((await run('hooks', 'disable', id)).out).toEqual([`${id} disabled`]);
    expect((await run('hooks', 'show', id)).all).toContain('DISABLED');
    const rotated = await run('hooks', 'rotate-secret', id);
    expect(rotated.out[0]).toMatch(/^secret: hks_/);
    expect(rotated.out[0]).not.toContain(secret);
    expect((await run('hooks', 'delete', id)).code).toBe(0);
    expect((await run('hooks', 'show', id)).code).toBe(2);
  });

  it.each([
    [['--source', 'rss', '--targets', 'bluesky'], 'source'],
    [['--source', 'github', '--targets', 'bluesky', '--template', '{{title}}'], 'template'],
    [['--source', 'generic', '--targets', 'bluesky', '--template', 'Hi {{name'], 'template'],
    [['--source', 'github', '--targets', 'tumblr'], 'tumblr'],
    [['--source', 'github', '--targets', 'bluesky', '--when', 'last week'], 'when'],
    [['--source', 'github', '--targets', 'bluesky', '--callback', 'http://10.0.0.1/x'], 'HAYON_FETCH_ALLOW_HOSTS'],
    [['--source', 'github', '--targets', 'bluesky', '--callback', 'http://10.0.0.1/x'], '--callback'],
    [['--source', 'github'], '--targets'],
  ])('refuses %j with exit 2, naming what is wrong, and stores no hook', async (flags, named) => {
    const r = await run('hooks', 'create', ...flags);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(named);
    expect((await run('hooks', 'list')).out.join('\n')).toContain('No webhooks yet');
  });

  it('accounts connect prints a single-use link to open in a browser; an unknown platform is exit 2', async () => {
    const r = await run('accounts', 'connect', 'mastodon', '--instance', 'mastodon.social');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(
      /^https:\/\/hayon\.example\/connect\/mastodon\/start\?workspace=default&state=[\w-]+\.[\w-]+$/,
    );
    expect(r.err.join('\n')).toContain('works once');
    const bad = await run('accounts', 'connect', 'myspace');
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('mastodon');
  });

  it('prints the workspace callback secret, the same each time', async () => {
    const a = await run('workspace', 'callback-secret');
    const b = await run('workspace', 'callback-secret');
    expect(a.code).toBe(0);
    expect(a.out[0]).toMatch(/^hcs_[\w-]{40,}$/);
    expect(b.out[0]).toBe(a.out[0]);
  });
});
