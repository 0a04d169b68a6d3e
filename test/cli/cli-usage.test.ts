import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { defaultWorkspaceId } from '../../src/services/accounts/accounts-service.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** Runs `hayon <argv>` in-process with exactly this environment, from `cwd`. */
async function hayon(cwd: string, argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { HAYON_LOG_LEVEL: 'silent', ...env },
    cwd,
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const commands = [
  'serve',
  'worker',
  'post',
  'posts',
  'accounts',
  'tokens',
  'queue',
  'workspace',
  'discord',
  'hooks',
  'audit',
  'secrets',
];

// What a newcomer meets first: help, a mistyped flag, a fresh folder.
describe('hayon CLI for a newcomer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-cli-usage-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const run = (...argv: string[]) => hayon(dir, argv, { HAYON_DATA_DIR: dir });

  it.each(commands)('hayon %s --help, -h and hayon help %s print its usage and exit 0', async (name) => {
    for (const argv of [
      [name, '--help'],
      [name, '-h'],
      ['help', name],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(new RegExp(`^usage: hayon ${name}\\b`));
      expect(r.err).toBe('');
    }
  });

  it('help after a subcommand or among flags is help too, never a parse error', async () => {
    const posts = await run('posts', 'list', '--help');
    expect(posts.code).toBe(0);
    expect(posts.out).toContain('posts list');
    const post = await run('post', 'hello', '--to', 'bluesky', '-h');
    expect(post.code).toBe(0);
    expect(post.out).toContain('--at');
    expect(await run('posts', 'list')).toMatchObject({ code: 0, out: '' });
  });

  it('a help for a command that does not exist is exit 2 naming it', async () => {
    const r = await run('help', 'publish');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "publish"');
  });

  it('an unknown flag names the flag and points at --help, exit 2', async () => {
    const r = await run('posts', 'list', '--limt', '5');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'hayon: unknown flag --limt for hayon posts (hayon posts --help lists its flags; a text that starts with - goes after --)',
    );
    const missing = await run('post', 'hi', '--to');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('hayon: --to needs a value, as in --to VALUE (hayon post --help lists its flags)');
    const valued = await run('posts', 'list', '--json=yes');
    expect(valued.code).toBe(2);
    expect(valued.err).toContain('--json takes no value');
    expect(`${r.err}${missing.err}${valued.err}`).not.toMatch(/parseArgs|ERR_PARSE|Unknown option/);
  });

  it('--thread takes auto or off, and says so for anything else', async () => {
    const r = await run('post', 'hi', '--to', 'bluesky', '--thread=maybe');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--thread takes auto or off, not "maybe"');
  });

  it('names the CLI flag, never the API field, in a refusal', async () => {
    const r = await run('post', 'hi', '--to', 'bluesky', '--at', 'banana');
    expect(r.code).toBe(2);
    expect(r.err).toContain('(--at)');
    expect(r.err).not.toContain('(when)');
    const zone = await run('post', 'hi', '--to', 'bluesky', '--tz', 'Mars/Olympus');
    expect(zone.err).toContain('(--tz)');
  });

  it('hooks create on a fresh data directory says which account to connect, not that a workspace is missing', async () => {
    const r = await run('hooks', 'create', '--source', 'github', '--targets', 'bluesky');
    expect(r.code).toBe(2);
    expect(r.err).toContain('No bluesky account is connected to this workspace.');
    expect(r.err).toContain('Connect one first: hayon accounts connect bluesky');
    expect(r.err).toContain('(--targets, value 1)');
    expect(r.err).not.toContain('There is no workspace');
  });

  it('says when it starts a new, empty data directory, where, and how to point elsewhere', async () => {
    const fresh = join(dir, 'elsewhere');
    const r = await hayon(dir, ['tokens', 'list'], { HAYON_DATA_DIR: fresh });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`starting a new, empty data directory at ${fresh}`);
    expect(r.err).toContain('set HAYON_DATA_DIR to use another');
    expect(existsSync(join(fresh, 'hayon.db'))).toBe(true);
    const again = await hayon(dir, ['tokens', 'list'], { HAYON_DATA_DIR: fresh });
    expect(again.err).not.toContain('new, empty data directory');
    // Without HAYON_DATA_DIR: ./data of the folder it runs in.
    const here = await hayon(dir, ['tokens', 'list'], {});
    expect(here.err).toContain(`starting a new, empty data directory at ${join(dir, 'data')}`);
  });

  it('a help or a usage error creates no data directory', async () => {
    const fresh = join(dir, 'untouched');
    expect((await hayon(dir, ['post', '--help'], { HAYON_DATA_DIR: fresh })).code).toBe(0);
    expect((await hayon(dir, ['post', 'hi'], { HAYON_DATA_DIR: fresh })).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('URLs the CLI prints', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-cli-urls-'));
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

  it('use the configured port when HAYON_PUBLIC_URL is not set, and say how to set it', async () => {
    const r = await hayon(dir, ['hooks', 'create', '--source', 'github', '--targets', 'bluesky'], {
      HAYON_DATA_DIR: dir,
      HAYON_PORT: '9123',
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^url: +http:\/\/localhost:9123\/v1\/hooks\/hk_/m);
    expect(r.err).toContain('set HAYON_PUBLIC_URL');
  });

  it('use HAYON_PUBLIC_URL when it is set, without the note', async () => {
    const r = await hayon(dir, ['hooks', 'create', '--source', 'github', '--targets', 'bluesky'], {
      HAYON_DATA_DIR: dir,
      HAYON_PUBLIC_URL: 'https://hayon.example.org',
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^url: +https:\/\/hayon\.example\.org\/v1\/hooks\/hk_/m);
    expect(r.err).not.toContain('HAYON_PUBLIC_URL');
  });
});
