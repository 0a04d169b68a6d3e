import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostView } from '../../src/core/post-view.js';
import { createBlueskyPlatform } from '../../src/platforms/bluesky/bluesky-platform.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';
import { addBluesky, hayonText, type TextRun } from './cli-run.js';

const unavailable = pdsUnavailableReason();

// `hayon posts delete` and `hayon accounts remove` on one data dir with a Bluesky account on the
// local PDS, as a person would type them. No server runs here, so the test publishes the post as
// `hayon serve` would have (the Bluesky adapter, the store's claim and outcome) first.
describe.skipIf(unavailable)('hayon posts delete, hayon accounts remove', () => {
  let pds: TestPds;
  let client: PdsClient;
  let dir: string;
  let user: { handle: string; did: string; password: string };
  let accountId: string;
  const run = (...argv: string[]) => hayonText(dir, argv);
  const view = (r: TextRun) => JSON.parse(r.out) as PostView;

  beforeAll(async () => {
    pds = await startPds();
    client = new PdsClient(pds.url);
    user = await client.createAccount('cli');
    dir = await mkdtemp(join(tmpdir(), 'hayon-cli-delete-'));
    const added = await run(...addBluesky(pds.url, user.handle, user.password));
    expect(added.code).toBe(0);
    accountId = added.out.split(/\s+/)[0] ?? '';
  });
  afterAll(async () => {
    await pds?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Publishes the post's one delivery to the PDS and records it, as a worker does. */
  async function publishAsServeWould(postId: string): Promise<string> {
    const store = new SqliteStore({ path: join(dir, 'hayon.db') });
    await store.init();
    try {
      const found = await store.getPost(postId);
      const delivery = found!.deliveries[0]!;
      const account = (await store.getAccount(delivery.accountId))!;
      await store.takeDueByIds([delivery.id], Date.now());
      await store.claim(delivery.id, 'w1', Date.now(), Date.now() + 60_000);
      const result = await createBlueskyPlatform({ fetch, timeoutMs: 10_000 }).publish({
        deliveryId: delivery.id,
        key: delivery.id,
        content: { text: found!.post.content.text, media: [] },
        account,
        credentials: { service: pds.url, identifier: user.handle, appPassword: user.password },
        saveCredentials: async () => {},
        saveCheckpoint: async () => {},
        loadMedia: async () => {
          throw new Error('no media');
        },
        signal: AbortSignal.timeout(10_000),
      });
      await store.finishAttempt(delivery.id, 'w1', { kind: 'published', result, at: Date.now() }, Date.now());
      return result.remoteId;
    } finally {
      await store.close();
    }
  }

  it('deletes a published post from the PDS; a second delete and an unknown id exit 2 saying why', async () => {
    const { id } = view(await run('post', 'a post to take down', '--to', 'bluesky', '--json'));
    const uri = await publishAsServeWould(id);
    const rkey = uri.split('/').at(-1) ?? '';
    expect(await client.getRecord(user.did, rkey)).toMatchObject({ uri });

    const deleted = await run('posts', 'delete', id);
    expect(deleted.code).toBe(0);
    expect(deleted.out).toContain(`${id}  DELETED`);
    expect(deleted.out).toMatch(new RegExp(`bluesky:${user.handle.replace(/\./g, '\\.')}\\s+deleted`));
    await expect(client.getRecord(user.did, rkey)).rejects.toThrow(/RecordNotFound/);

    const again = await run('posts', 'delete', id);
    expect(again.code).toBe(2);
    expect(again.err).toBe('hayon: This post was already deleted: nothing changed. (<id>)');
    const unknown = await run('posts', 'delete', 'post_nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No post with id post_nope.');
    const usage = await run('posts', 'delete');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('hayon posts delete <id>');

    const json = JSON.parse((await run('posts', 'show', id, '--json')).out) as PostView;
    expect(json.deliveries[0]?.state).toBe('deleted');
  });

  it('refuses to remove an account whose posts wait, naming them and --cancel-waiting; with it, removes it', async () => {
    const { id, scheduledAt } = view(await run('post', 'later on', '--to', 'bluesky', '--at', 'in 2 hours', '--json'));
    const refused = await run('accounts', 'remove', accountId);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`still has 1 post waiting to go out: post ${id} at ${scheduledAt} (scheduled)`);
    expect(refused.err).toContain('Remove it with --cancel-waiting to cancel it too');
    expect((await run('accounts', 'list')).out).toContain(accountId);

    const removed = await run('accounts', 'remove', accountId, '--cancel-waiting');
    expect(removed.code).toBe(0);
    expect(removed.out).toBe(`Removed ${accountId}  bluesky:${user.handle}; 1 waiting delivery cancelled.`);
    expect((await run('accounts', 'list')).out).not.toContain(accountId);
    expect(view(await run('posts', 'show', id, '--json')).status).toBe('CANCELLED');
    const gone = await run('accounts', 'remove', accountId);
    expect(gone.code).toBe(2);
    expect(gone.err).toContain(`No account with id ${accountId}.`);

    const audit = JSON.parse((await run('audit', '--json')).out) as { action: string; target: string }[];
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['post.deleted', 'account.removed']));
    expect(audit.find((e) => e.action === 'account.removed')?.target).toBe(accountId);
  });
});
