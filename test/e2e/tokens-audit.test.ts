import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/accounts/api-tokens.js';
import { CredentialBox } from '../../src/crypto/credential-box.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';

/** `hayon <argv>` on the same data dir and key as the running test hayon (a second process, as in production). */
async function cli(h: TestHayon, key: Buffer, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { HAYON_DATA_DIR: h.dataDir, HAYON_LOG_LEVEL: 'silent', HAYON_SECRET_KEY: key.toString('hex') },
    cwd: h.dataDir,
  };
  return { code: await main(argv, io), out, err };
}

describe('API tokens, scopes and the audit log (embedded, FakePlatform)', () => {
  let h: TestHayon;
  const key = randomBytes(32);
  afterEach(async () => h?.stop());

  const start = async (options: Parameters<typeof startHayon>[0] = {}) => {
    h = await startHayon({
      platforms: { bluesky: new FakePlatform('bluesky', { maxLength: 300 }) },
      secretKey: key,
      ...options,
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  };
  const withToken = (token: string, method: string, path: string, body?: unknown) =>
    h.api(method, path, body, { authorization: `Bearer ${token}` });

  it('a revoked token is a 401; the other tokens keep working', async () => {
    await start();
    const { token, record } = await createApiToken(h.ctx.store, h.workspaceId, 'old', h.ctx.clock);
    expect((await withToken(token, 'GET', '/v1/posts')).status).toBe(200);
    const revoked = await cli(h, key, ['tokens', 'revoke', record.id]);
    expect(revoked.code).toBe(0);
    const res = await withToken(token, 'GET', '/v1/posts');
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'unauthorized', field: 'Authorization' });
    expect((await withToken(token, 'POST', '/v1/posts', { text: 'hi', targets: ['bluesky'] })).status).toBe(401);
    expect((await h.api('GET', '/v1/posts')).status).toBe(200);
  });

  it('a read-only token reads but is a 403 naming posts:write on POST /v1/posts, cancel and uploads', async () => {
    await start();
    const { token } = await createApiToken(h.ctx.store, h.workspaceId, 'dashboard', h.ctx.clock, ['posts:read']);
    const made = await (
      await h.api('POST', '/v1/posts', { text: 'later', targets: ['bluesky'], when: 'in 2 hours' })
    ).json();
    expect((await withToken(token, 'GET', '/v1/posts')).status).toBe(200);
    expect((await withToken(token, 'GET', `/v1/posts/${made.id}`)).status).toBe(200);
    for (const [path, body] of [
      ['/v1/posts', { text: 'no', targets: ['bluesky'] }],
      [`/v1/posts/${made.id}/cancel`, undefined],
      [`/v1/posts/${made.id}/publish-now`, undefined],
      ['/v1/uploads', { type: 'image/png', size: 10 }],
    ] as const) {
      const res = await withToken(token, 'POST', path, body);
      expect(res.status, path).toBe(403);
      const { error } = await res.json();
      expect(error).toMatchObject({ code: 'forbidden', field: 'Authorization' });
      expect(error.message).toContain('posts:write');
    }
    expect((await h.api('GET', `/v1/posts/${made.id}`)).status).toBe(200);
    expect((await (await h.api('GET', '/v1/posts')).json()).posts).toHaveLength(1);
    const writeOnly = await createApiToken(h.ctx.store, h.workspaceId, 'writer', h.ctx.clock, ['posts:write']);
    const read = await withToken(writeOnly.token, 'GET', '/v1/posts');
    expect(read.status).toBe(403);
    expect((await read.json()).error.message).toContain('posts:read');
  });

  it('records a post made through the API and cancelled with the CLI, with who did each', async () => {
    await start();
    const made = await (
      await h.api('POST', '/v1/posts', { text: 'audited', targets: ['bluesky'], when: 'in 1 hour' })
    ).json();
    const cancelled = await cli(h, key, ['posts', 'cancel', made.id]);
    expect(cancelled.code).toBe(0);
    const shown = await cli(h, key, ['audit', '--json']);
    const entries = JSON.parse(shown.out[0] ?? '[]');
    const [tokenRecord] = await h.ctx.store.listApiTokens(h.workspaceId);
    expect(entries.slice(0, 2)).toMatchObject([
      { action: 'post.cancelled', target: made.id, actor: { kind: 'cli' }, details: { deliveries: 1 } },
      {
        action: 'post.created',
        target: made.id,
        actor: { kind: 'api', id: tokenRecord?.id, name: 'test' },
        details: { targets: 1 },
      },
    ]);
    expect(entries.at(-1)).toMatchObject({ action: 'account.connected', actor: { kind: 'system' } });
    const lines = (await cli(h, key, ['audit'])).out;
    expect(lines[1]).toContain(`api:${tokenRecord?.id} (test)  post.created  ${made.id}`);
  });

  // post.created is written with the post, in its transaction (createPost); the other actions'
  // lines are side notes.
  it('an audit write that fails does not fail the action; it is a warning in the log', async () => {
    await start();
    const made = await h.api('POST', '/v1/posts', { text: 'to cancel', targets: ['bluesky'], when: 'in 2 hours' });
    expect(made.status).toBe(202);
    h.ctx.store.addAudit = async () => {
      throw new Error('audit table is gone');
    };
    const res = await h.api('POST', `/v1/posts/${((await made.json()) as { id: string }).id}/cancel`);
    expect(res.status).toBe(200);
    expect(h.logs.some((l) => l.msg === 'audit entry not recorded' && l.action === 'post.cancelled')).toBe(true);
  });

  it('the worker re-seals credentials it opened with a previous key, and publishes', async () => {
    const oldKey = randomBytes(32);
    await start({ previousSecretKeys: [oldKey] });
    const [account] = await h.ctx.store.listAccounts(h.workspaceId);
    const value = { identifier: 'alice.test', appPassword: 'pw' };
    await h.ctx.store.updateAccountCredentials(account!.id, new CredentialBox(oldKey).seal(account!.id, value), 1);
    const made = await (await h.api('POST', '/v1/posts', { text: 'rotated', targets: ['bluesky'] })).json();
    await h.drain();
    expect((await (await h.api('GET', `/v1/posts/${made.id}`)).json()).status).toBe('COMPLETED');
    const after = await h.ctx.store.getAccount(account!.id);
    expect(new CredentialBox(key).open(account!.id, after!.credentials)).toEqual(value);
  });
});
