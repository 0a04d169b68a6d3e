import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostView } from '../../src/core/post-view.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';
import { addBluesky, hayonText, type TextRun } from './cli-run.js';

const unavailable = pdsUnavailableReason();

// `hayon posts edit` and `hayon posts retry` on one data dir with a Bluesky account on the local
// PDS, as a person would type them; no server runs, so nothing is published here.
describe.skipIf(unavailable)('hayon posts edit and retry', () => {
  let pds: TestPds;
  let dir: string;
  let handle: string;
  const run = (...argv: string[]) => hayonText(dir, argv);
  const json = (r: TextRun) => JSON.parse(r.out) as PostView;

  beforeAll(async () => {
    pds = await startPds();
    const user = await new PdsClient(pds.url).createAccount('edit');
    handle = user.handle;
    dir = await mkdtemp(join(tmpdir(), 'hayon-cli-edit-'));
    const added = await run(...addBluesky(pds.url, user.handle, user.password));
    expect(added.code).toBe(0);
  });
  afterAll(async () => {
    await pds?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('edits the text and time of a scheduled post; bad input names the flag and changes nothing', async () => {
    const made = await run('post', 'first draft', '--to', 'bluesky', '--at', 'in 2 hours', '--json');
    expect(made.code).toBe(0);
    const { id } = json(made);
    const edited = await run(
      'posts',
      'edit',
      id,
      '--text',
      'final text',
      '--at',
      'in 5 hours',
      '--tz',
      'Asia/Tokyo',
      '--json',
    );
    expect(edited.code).toBe(0);
    const view = json(edited);
    expect(view.text).toBe('final text');
    expect(view.timezone).toBe('Asia/Tokyo');
    expect(Date.parse(view.scheduledAt)).toBeGreaterThan(Date.now() + 4.9 * 3_600_000);
    expect(view.deliveries[0]).toMatchObject({ account: handle, state: 'scheduled' });

    const past = await run('posts', 'edit', id, '--at', 'yesterday 9am');
    expect(past.code).toBe(2);
    expect(past.err).toContain('--at');
    expect(past.err).toContain('in the past');
    const tooLong = await run('posts', 'edit', id, '--text', 'word '.repeat(80));
    expect(tooLong.code).toBe(2);
    expect(tooLong.err).toContain('Too long for Bluesky');
    expect(tooLong.err).toContain('--thread');
    const nothing = await run('posts', 'edit', id);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain('nothing to change');
    expect(json(await run('posts', 'show', id, '--json')).text).toBe('final text');
  });

  it('retries a failed delivery (due again at once) and refuses a post with nothing failed, saying why', async () => {
    const { id } = json(await run('post', 'will fail', '--to', 'bluesky', '--at', 'in 1 hour', '--json'));
    // A worker tried it and gave up: what `hayon serve` leaves behind after a refusal.
    const store = new SqliteStore({ path: join(dir, 'hayon.db') });
    await store.init();
    const [delivery] = (await store.getPost(id))?.deliveries ?? [];
    await store.bringForward(id, Date.now());
    await store.takeDueByIds([delivery!.id], Date.now());
    await store.claim(delivery!.id, 'w1', Date.now(), Date.now() + 60_000);
    const error = { kind: 'invalid' as const, message: 'Bluesky refused it', at: Date.now() };
    await store.finishAttempt(delivery!.id, 'w1', { kind: 'failed', error }, Date.now());
    await store.close();
    expect(json(await run('posts', 'show', id, '--json')).status).toBe('FAILED');

    // A delivery that failed has started: an edit is refused, naming it, and changes nothing.
    const refused = await run('posts', 'edit', id, '--text', 'changed');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`Bluesky (${handle}) is failed`);
    expect(refused.err).toContain('retry what failed');
    expect(json(await run('posts', 'show', id, '--json')).text).toBe('will fail');

    const retried = await run('posts', 'retry', id);
    expect(retried.code).toBe(0);
    expect(retried.out).toContain(`bluesky:${handle}`);
    expect(retried.out).toMatch(/scheduled/);
    expect(retried.err).toContain('sends the failed deliveries now');

    const again = await run('posts', 'retry', id);
    expect(again.code).toBe(2);
    expect(again.err).toContain('Nothing to retry');
    expect(again.err).toContain(`Bluesky (${handle}) is scheduled`);
    const audit = await run('audit', '--json');
    expect(JSON.parse(audit.out).map((e: { action: string }) => e.action)).toContain('post.retried');

    // Due again and not yet started: now it can be edited before it goes out.
    expect((await run('posts', 'edit', id, '--text', 'changed')).code).toBe(0);
    const unknown = await run('posts', 'retry', 'post_nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No post with id post_nope');
  });
});
