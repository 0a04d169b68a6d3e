import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultWorkspaceId } from '../../src/services/accounts/accounts-service.js';
import { hashToken } from '../../src/services/accounts/api-tokens.js';
import { CredentialBox } from '../../src/crypto/credential-box.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const keyC = randomBytes(32);
const hex = (k: Buffer) => k.toString('hex');
const blueskySecret = { identifier: 'alice.test', appPassword: 'app-pass-for-rotation-test' };
const mastodonSecret = { instanceUrl: 'https://mastodon.example', accessToken: 'masto-token-for-rotation-test' };

async function hayon(dataDir: string, argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {
      HAYON_DATA_DIR: dataDir,
      HAYON_LOG_LEVEL: 'silent',
      HAYON_PUBLIC_URL: 'https://hayon.example',
      HAYON_SECRET_KEY: hex(keyA),
      ...env,
    },
    cwd: dataDir,
  };
  const code = await main(argv, io);
  return { code, out, err, all: [...out, ...err].join('\n') };
}

/** Opens the data dir's store directly, as a second process would. */
async function withStore<T>(dir: string, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore({ path: join(dir, 'hayon.db') });
  await store.init();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A workspace with a Bluesky and a Mastodon account whose credentials `key` sealed. */
async function seed(dir: string, key: Buffer, workspaceId = defaultWorkspaceId): Promise<void> {
  const box = new CredentialBox(key);
  await withStore(dir, async (store) => {
    await store.ensureWorkspace({ id: workspaceId, name: workspaceId, createdAt: Date.now() });
    for (const [id, platform, secret] of [
      [`acc_bsky_${workspaceId}`, 'bluesky', blueskySecret],
      [`acc_masto_${workspaceId}`, 'mastodon', mastodonSecret],
    ] as const) {
      await store.createAccount({
        id,
        workspaceId,
        platform,
        handle: `alice-${platform}`,
        remoteId: `remote-${id}`,
        credentials: box.seal(id, secret),
        health: 'active',
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    }
  });
}

describe('hayon tokens', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-security-cli-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const run = (...argv: string[]) => hayon(dir, argv);

  it('creates tokens with scopes, lists them without secret or hash, revokes one (exit 2 for an unknown id)', async () => {
    const read = await run('tokens', 'create', '--name', 'dashboard', '--scopes', 'posts:read');
    const ci = await run('tokens', 'create', '--name', 'ci');
    expect([read.code, ci.code]).toEqual([0, 0]);
    const [readToken, ciToken] = [read.out[0] ?? '', ci.out[0] ?? ''];
    expect(readToken).toMatch(/^hyn_/);
    expect(read.err.join('\n')).toContain('posts:read');
    expect(ci.err.join('\n')).toContain('posts:write, posts:read');

    const listed = await run('tokens', 'list', '--json');
    expect(listed.code).toBe(0);
    const tokens = JSON.parse(listed.out.join('\n')) as Record<string, unknown>[];
    expect(tokens.map((t) => [t.name, t.scopes])).toEqual([
      ['dashboard', ['posts:read']],
      ['ci', ['posts:write', 'posts:read']],
    ]);
    expect(tokens[0]).toMatchObject({ id: expect.stringMatching(/^tok_/), createdAt: expect.any(String) });
    for (const secret of [readToken, ciToken, hashToken(readToken), hashToken(ciToken)]) {
      expect(listed.all).not.toContain(secret);
      expect((await run('tokens', 'list')).all).not.toContain(secret);
    }

    const id = String(tokens[0]?.id);
    const revoked = await run('tokens', 'revoke', id);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toEqual([`${id} revoked`]);
    expect((await run('tokens', 'list')).out.find((l) => l.startsWith(id))).toMatch(/REVOKED \d{4}-/);
    const unknown = await run('tokens', 'revoke', 'tok_nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toContain('no API token tok_nope');
  });

  it('refuses an unknown scope with exit 2, naming it, and stores no token', async () => {
    const r = await run('tokens', 'create', '--name', 'x', '--scopes', 'posts:write,posts:delete');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('posts:delete');
    expect(JSON.parse((await run('tokens', 'list', '--json')).out.join('\n'))).toEqual([]);
  });

  it('hayon audit shows who did what, newest first, one line each, and as JSON', async () => {
    await seed(dir, keyA);
    const created = await run('tokens', 'create', '--name', 'ci');
    const id = JSON.parse((await run('tokens', 'list', '--json')).out.join('\n'))[0].id as string;
    await run('tokens', 'revoke', id);
    const hook = await run('hooks', 'create', '--source', 'github', '--targets', 'bluesky', '--json');
    const hookId = JSON.parse(hook.out[0] ?? '{}').id as string;
    await run('hooks', 'disable', hookId);

    const audit = await run('audit');
    expect(audit.code).toBe(0);
    expect(audit.out.map((l) => l.split(/\s{2}/).slice(2, 4))).toEqual([
      ['hook.disabled', hookId],
      ['hook.created', hookId],
      ['token.revoked', id],
      ['token.created', id],
    ]);
    expect(audit.out[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z {2}cli( \(.+\))? {2}hook\.disabled/);
    expect(audit.all).not.toContain(created.out[0] ?? 'no token');
    const limited = await run('audit', '--limit', '1', '--json');
    const entries = JSON.parse(limited.out[0] ?? '[]');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'hook.disabled', target: hookId, actor: { kind: 'cli' } });
    expect((await run('audit', '--workspace', 'elsewhere')).err.join('\n')).toContain('Nothing recorded yet');
    expect((await run('audit', '--limit', '0')).code).toBe(2);
  });
});

describe('hayon secrets rotate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-rotate-cli-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('re-encrypts every account and hook of every workspace with the new key; then the new key alone opens them', async () => {
    await seed(dir, keyA);
    await seed(dir, keyA, 'team-2');
    const hook = await hayon(dir, ['hooks', 'create', '--source', 'generic', '--targets', 'bluesky', '--json']);
    expect(hook.code).toBe(0);
    const { id: hookId, secret: hookSecret } = JSON.parse(hook.out[0] ?? '{}') as { id: string; secret: string };
    // An app hayon registered on a Mastodon instance, its client secret sealed with key A.
    const appKey = 'mastodon:https://mastodon.example|https://hayon.example/connect/mastodon/callback';
    await withStore(dir, (store) =>
      store.putOAuthApp({
        key: appKey,
        clientId: 'client-1',
        clientSecret: new CredentialBox(keyA).seal(`oauth:${appKey}`, { secret: 'client-secret-1' }),
        redirectUri: 'https://hayon.example/connect/mastodon/callback',
        createdAt: 1,
      }),
    );

    const rotated = await hayon(dir, ['secrets', 'rotate'], {
      HAYON_SECRET_KEY: hex(keyB),
      HAYON_SECRET_KEY_PREVIOUS: hex(keyA),
    });
    expect(rotated.code).toBe(0);
    expect(rotated.out).toEqual([
      'accounts: 4 re-encrypted with the current HAYON_SECRET_KEY (4 had been sealed with a previous key)',
      'hooks:    1 re-encrypted with the current HAYON_SECRET_KEY (1 had been sealed with a previous key)',
      'oauth:    1 registered app secrets re-encrypted (1 had been sealed with a previous key)',
    ]);
    expect(rotated.err.join('\n')).toContain('HAYON_SECRET_KEY_PREVIOUS can be removed');

    const onlyB = new CredentialBox(keyB);
    const onlyA = new CredentialBox(keyA);
    await withStore(dir, async (store) => {
      for (const ws of [defaultWorkspaceId, 'team-2']) {
        const accounts = await store.listAccounts(ws);
        expect(accounts).toHaveLength(2);
        for (const a of accounts) {
          expect(onlyB.open(a.id, a.credentials)).toEqual(a.platform === 'bluesky' ? blueskySecret : mastodonSecret);
          expect(() => onlyA.open(a.id, a.credentials)).toThrow('cannot be decrypted');
        }
      }
      const app = await store.getOAuthApp(appKey);
      expect(onlyB.open(`oauth:${appKey}`, app?.clientSecret ?? '')).toEqual({ secret: 'client-secret-1' });
      const stored = await store.getHook(hookId);
      expect(onlyB.open(`hook:${hookId}`, stored?.secret ?? '')).toEqual({ secret: hookSecret });
      const audit = await store.listAudit(defaultWorkspaceId, { limit: 1 });
      expect(audit[0]).toMatchObject({ action: 'secrets.rotated', details: { accounts: 4, hooks: 1, unreadable: 0 } });
    });
    // And the CLI with the new key alone: the hook still shows, a second rotation finds nothing stale.
    expect((await hayon(dir, ['hooks', 'show', hookId], { HAYON_SECRET_KEY: hex(keyB) })).code).toBe(0);
    const again = await hayon(dir, ['secrets', 'rotate'], { HAYON_SECRET_KEY: hex(keyB) });
    expect(again.code).toBe(0);
    expect(again.out[0]).toBe('accounts: 4 re-encrypted with the current HAYON_SECRET_KEY');
  });

  it('exits 2 naming what no key opens (never its content), and re-encrypts the rest', async () => {
    await seed(dir, keyA);
    await seed(dir, keyC, 'lost');
    const r = await hayon(dir, ['secrets', 'rotate'], {
      HAYON_SECRET_KEY: hex(keyB),
      HAYON_SECRET_KEY_PREVIOUS: hex(keyA),
    });
    expect(r.code).toBe(2);
    const errors = r.err.join('\n');
    expect(errors).toContain('the account acc_bsky_lost (workspace lost) cannot be decrypted');
    expect(errors).toContain('the account acc_masto_lost (workspace lost) cannot be decrypted');
    expect(errors).toContain('Keep HAYON_SECRET_KEY_PREVIOUS');
    for (const secret of [blueskySecret.appPassword, mastodonSecret.accessToken, hex(keyA), hex(keyB), hex(keyC)]) {
      expect(r.all).not.toContain(secret);
    }
    expect(r.out[0]).toBe(
      'accounts: 2 re-encrypted with the current HAYON_SECRET_KEY (2 had been sealed with a previous key)',
    );
    await withStore(dir, async (store) => {
      const [first] = await store.listAccounts(defaultWorkspaceId);
      expect(new CredentialBox(keyB).open(first?.id ?? '', first?.credentials ?? '')).toEqual(blueskySecret);
    });
  });
});
