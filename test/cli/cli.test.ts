import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PostView } from '../../src/core/post-view.js';
import { solidPng } from '../fakes/images.js';
import { PdsClient } from '../platforms/bluesky/pds-client.js';
import { pdsUnavailableReason, startPds, type TestPds } from '../servers/bluesky/harness.js';
import { addBluesky, hayon } from './cli-run.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hayon-cli-'));
}

describe('hayon CLI', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const run = (...argv: string[]) => hayon(dir, argv);

  it('prints the help and exits 2 without a command', async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.out.join('\n')).toContain('hayon post "<text>" --to bluesky');
    expect(r.out.join('\n')).toContain('hayon accounts add bluesky');
  });

  it.each(['help', '--help', '-h'])('prints the help and exits 0 for %s', async (arg) => {
    const r = await run(arg);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('hayon tokens create --name NAME');
  });

  it('refuses an unknown command, naming it', async () => {
    const r = await run('publsh', 'hi');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('unknown command "publsh"');
    expect(r.out).toEqual([]);
  });

  it('refuses a post without --to', async () => {
    const r = await run('post', 'hi');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('missing --to');
  });

  it('refuses an unknown flag, naming it', async () => {
    const r = await run('post', 'hi', '--to', 'bluesky', '--shedule', 'tomorrow');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--shedule');
  });

  it('refuses two text arguments', async () => {
    const r = await run('post', 'hello', 'world', '--to', 'bluesky');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('put the text in quotes');
  });

  it('refuses serve --port abc before starting anything', async () => {
    const r = await run('serve', '--port', 'abc');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--port must be a port number');
  });

  it('creates an API token, a new one each time', async () => {
    const first = await run('tokens', 'create', '--name', 'ci');
    expect(first.code).toBe(0);
    expect(first.out).toHaveLength(1);
    expect(first.out[0]).toMatch(/^hyn_[A-Za-z0-9_-]+$/);
    expect(first.err.join('\n')).toContain('shown once');

    const second = await run('tokens', 'create', '--name', 'ci');
    expect(second.code).toBe(0);
    expect(second.out[0]).toMatch(/^hyn_/);
    expect(second.out[0]).not.toBe(first.out[0]);
  });

  it('refuses tokens create without --name', async () => {
    const r = await run('tokens', 'create');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('missing --name');
  });

  it('lists no accounts on an empty data dir, with a hint on stderr', async () => {
    const r = await run('accounts', 'list');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toContain('hayon accounts add bluesky');
    const json = await run('accounts', 'list', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toEqual([]);
  });

  it('refuses a post to bluesky when no account is connected, and stores nothing', async () => {
    const r = await run('post', 'hi', '--to', 'bluesky');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('No bluesky account is connected to this workspace.');
    expect(r.err.join('\n')).toContain('(--to, value 1)');
    expect(r.err.join('\n')).toContain('Connect one first: hayon accounts connect bluesky');
    expect(r.err.join('\n')).not.toContain('targets[0]');
    const list = await run('posts', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toEqual([]);
  });

  it('says a post that does not exist is not found', async () => {
    const r = await run('posts', 'show', 'post_nope');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('No post with id post_nope.');
  });

  it('refuses accounts add bluesky without --app-password', async () => {
    const r = await run('accounts', 'add', 'bluesky', '--identifier', 'me.bsky.social');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('missing --app-password');
  });

  it('asks for a credentials file for a mastodon account, showing its shape', async () => {
    const r = await run('accounts', 'add', 'mastodon');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('give the mastodon credentials as a JSON file');
    expect(r.err.join('\n')).toContain('"instanceUrl"');
  });

  it('refuses a credentials file that is not a JSON object', async () => {
    const file = join(dir, 'creds.json');
    await writeFile(file, '["token"]');
    const r = await run('accounts', 'add', 'threads', '--credentials-file', file);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('must hold one JSON object');
    const missing = await run('accounts', 'add', 'threads', '--credentials-file', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('cannot read --credentials-file');
  });

  it('refuses an --service that is not a URL', async () => {
    const r = await run('accounts', 'add', 'bluesky', '--identifier', 'a', '--app-password', 'b', '--service', 'nope');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--service must be a URL');
  });

  it('reports a bad environment variable by name with exit 2', async () => {
    const r = await hayon(dir, ['tokens', 'create', '--name', 'ci'], { HAYON_PORT: 'abc' });
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('HAYON_PORT');
    expect(r.out).toEqual([]);
  });
});

const unavailable = pdsUnavailableReason();
if (unavailable) console.warn(`Skipping the CLI tests against a local Bluesky PDS: ${unavailable}`);

// One data dir through the whole flow, as a person would use the CLI; the steps run in order.
describe.skipIf(unavailable)('hayon CLI against a real local Bluesky PDS', () => {
  let pds: TestPds;
  let user: { handle: string; did: string; password: string };
  let dir: string;
  let postId: string;
  const run = (...argv: string[]) => hayon(dir, argv);

  beforeAll(async () => {
    pds = await startPds();
    user = await new PdsClient(pds.url).createAccount('cli');
    dir = await tempDir();
  });
  afterAll(async () => {
    await pds?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a wrong app password with exit 2, never echoing the password', async () => {
    const wrong = `wrong-${user.password}-pw`;
    const r = await run(...addBluesky(pds.url, user.handle, wrong));
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('Bluesky refused this identifier and app password');
    expect(r.err.join('\n')).toContain('App passwords');
    expect(r.err.join('\n')).toContain('(--app-password)');
    expect(r.err.join('\n')).not.toMatch(/reconnect/i);
    expect(r.all).not.toContain(wrong);
    expect(r.all).not.toContain(user.password);
    const list = await run('accounts', 'list');
    expect(list.out).toEqual([]);
  });

  it('connects the account and prints its handle', async () => {
    const r = await run(...addBluesky(pds.url, user.handle, user.password));
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain(`bluesky:${user.handle}`);
    expect(r.all).not.toContain(user.password);
  });

  it('lists the account as active', async () => {
    const r = await run('accounts', 'list');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toContain(`bluesky:${user.handle}`);
    expect(r.out[0]).toMatch(/\sactive$/);
  });

  it('schedules a post in 2 hours, read in Europe/Berlin', async () => {
    const before = Date.now();
    const r = await run(
      'post',
      'hello from the cli',
      '--to',
      'bluesky',
      '--at',
      'in 2 hours',
      '--tz',
      'Europe/Berlin',
      '--json',
    );
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out.join('\n')) as PostView;
    postId = view.id;
    expect(view.status).toBe('SCHEDULED');
    expect(view.text).toBe('hello from the cli');
    expect(view.timezone).toBe('Europe/Berlin');
    const at = Date.parse(view.scheduledAt);
    expect(at).toBeGreaterThanOrEqual(before + 2 * 3_600_000 - 60_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000 + 60_000);
    expect(view.deliveries).toHaveLength(1);
    expect(view.deliveries[0]).toMatchObject({ platform: 'bluesky', account: user.handle, state: 'scheduled' });
  });

  it('--no-link-preview stores linkPreview: false on the post', async () => {
    const args = ['post', 'notes at https://example.org/notes', '--to', 'bluesky', '--at', 'in 3 hours', '--json'];
    const off = JSON.parse((await run(...args, '--no-link-preview')).out.join('\n')) as PostView;
    expect(off.linkPreview).toBe(false);
    const on = JSON.parse((await run(...args)).out.join('\n')) as PostView;
    expect(on).not.toHaveProperty('linkPreview');
    for (const id of [off.id, on.id]) expect((await run('posts', 'cancel', id)).code).toBe(0);
  });

  it('splits a long text into a thread with --thread, and refuses it without', async () => {
    const text = 'A sentence that goes on for a while, to fill a post. '.repeat(12).trim();
    const refused = await run('post', text, '--to', 'bluesky', '--at', 'in 3 hours');
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain('Too long for Bluesky by');
    expect(refused.err.join('\n')).toContain('add --thread to split it into a thread');
    const r = await run('post', text, '--to', 'bluesky', '--at', 'in 3 hours', '--thread');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/thread: 0\/3 parts/);
    const id = r.out[0]?.split(' ')[0] ?? '';
    expect((await run('posts', 'cancel', id)).code).toBe(0);
    // The words of the API and of hayon hooks work too.
    const auto = await run('post', text, '--to', 'bluesky', '--at', 'in 3 hours', '--thread', 'auto');
    expect(auto.code).toBe(0);
    expect(auto.out.join('\n')).toMatch(/thread: 0\/3 parts/);
    expect((await run('posts', 'cancel', auto.out[0]?.split(' ')[0] ?? '')).code).toBe(0);
    const off = await run('post', text, '--to', 'bluesky', '--at', 'in 3 hours', '--thread', 'off');
    expect(off.code).toBe(2);
    expect(off.err.join('\n')).toContain('Too long for Bluesky by');
  });

  it('attaches a local file with --media and --alt, and refuses a missing file or a text file with exit 2', async () => {
    await writeFile(join(dir, 'box.png'), await solidPng(30, 20));
    await writeFile(join(dir, 'notes.png'), 'just words, named like a picture');
    const r = await run(
      'post',
      'with a picture',
      '--to',
      'bluesky',
      '--at',
      'in 3 hours',
      '--media',
      'box.png',
      '--alt',
      'A red box',
      '--json',
    );
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out.join('\n')) as PostView;
    expect(view.media).toEqual([
      { type: 'image/png', size: expect.any(Number), width: 30, height: 20, alt: 'A red box' },
    ]);
    expect((await run('posts', 'cancel', view.id)).code).toBe(0);

    const missing = await run('post', 'x', '--to', 'bluesky', '--media', 'nope.png');
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('--media nope.png: no such file');
    const text = await run('post', 'x', '--to', 'bluesky', '--media', 'notes.png');
    expect(text.code).toBe(2);
    expect(text.err.join('\n')).toContain('is not a JPEG, PNG, GIF or WebP image, or an MP4 video');
  });

  it('workspace set --require-alt-text on refuses images without alt text', async () => {
    expect((await run('workspace', 'set', '--require-alt-text', 'maybe')).code).toBe(2);
    const set = await run('workspace', 'set', '--require-alt-text', 'on');
    expect(set.code).toBe(0);
    expect(set.out.join('\n')).toContain('require alt text on images: on');
    const refused = await run('post', 'x', '--to', 'bluesky', '--at', 'in 3 hours', '--media', 'box.png');
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain('requires alt text');
    expect((await run('workspace', 'set', '--require-alt-text', 'off')).code).toBe(0);
    expect((await run('workspace', 'show')).out.join('\n')).toContain('require alt text on images: off');
  });

  it('shows the post with its delivery', async () => {
    const r = await run('posts', 'show', postId);
    expect(r.code).toBe(0);
    expect(r.out[0]).toContain(postId);
    expect(r.out[0]).toContain('SCHEDULED');
    expect(r.out.join('\n')).toContain(`bluesky:${user.handle}`);
    expect(r.out.join('\n')).toContain('scheduled');
  });

  it('lists the post with the start of its text', async () => {
    const r = await run('posts', 'list');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain(postId);
    expect(r.out.find((l) => l.startsWith(postId))).toContain('"hello from the cli"');
  });

  it('cancels the post, then refuses to cancel it again', async () => {
    const cancelled = await run('posts', 'cancel', postId, '--json');
    expect(cancelled.code).toBe(0);
    const view = JSON.parse(cancelled.out.join('\n')) as PostView;
    expect(view.status).toBe('CANCELLED');
    expect(view.deliveries.map((d) => d.state)).toEqual(['cancelled']);

    const shown = await run('posts', 'show', postId);
    expect(shown.out[0]).toContain('CANCELLED');

    const again = await run('posts', 'cancel', postId);
    expect(again.code).toBe(2);
    expect(again.err.join('\n')).toContain('Nothing left to cancel');
  });
});
