import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** Runs `hayon <argv>` in-process against a data dir, collecting what it writes. */
async function hayon(dataDir: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { HAYON_DATA_DIR: dataDir, HAYON_LOG_LEVEL: 'silent' },
    cwd: dataDir,
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// `hayon workspace set` for the results channels (item 5) and the queue's slots (item 6).
describe('hayon workspace set: results channels and slots', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hayon-cli-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));
  const run = (...argv: string[]) => hayon(dir, argv);

  it('sets the slots, zone and results channels, and shows them', async () => {
    const set = await run(
      'workspace',
      'set',
      '--slots',
      'mon-fri 09:00,13:00; sat 10:00',
      '--timezone',
      'Europe/Berlin',
      '--slack-results',
      'C0RESULTS',
      '--discord-results',
      '123456789012345678',
    );
    expect(set.code).toBe(0);
    expect(set.out).toContain('results of API, CLI and webhook posts: Slack <#C0RESULTS>, Discord 123456789012345678');
    expect(set.out).toContain(
      'queue slots ("next slot"): mon 09:00,13:00; tue 09:00,13:00; wed 09:00,13:00; thu 09:00,13:00; fri 09:00,13:00; sat 10:00 (Europe/Berlin)',
    );
    const json = JSON.parse((await run('workspace', 'show', '--json')).out);
    expect(json.settings.resultChannels).toEqual({ slack: 'C0RESULTS', discord: '123456789012345678' });
    // none takes a setting away again.
    const cleared = await run('workspace', 'set', '--slack-results', 'none', '--slots', 'none');
    expect(cleared.out).toContain('results of API, CLI and webhook posts: Discord 123456789012345678');
    expect(cleared.out).toContain('queue slots ("next slot"): none');
  });

  it('refuses a schedule that does not parse with exit 2, naming the part, the flag and an example', async () => {
    const r = await run('workspace', 'set', '--slots', 'mon-fry 09:00');
    expect(r.code).toBe(2);
    expect(r.err).toContain("could not read 'mon-fry' in --slots: days are mon, tue, wed, thu, fri, sat, sun");
    expect(r.err).toContain('For example: --slots "mon-fri 09:00,13:00; sat 10:00"');
    const bad = await run('workspace', 'set', '--slack-results', '#general');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--slack-results takes a channel id (C…) or none');
    expect(JSON.parse((await run('workspace', 'show', '--json')).out).settings.slots).toBeUndefined();
  });

  it('post --at "next slot" without slots exits 2 saying how to set them', async () => {
    const r = await run('post', 'queued', '--to', 'bluesky', '--at', 'next slot');
    expect(r.code).toBe(2);
    expect(r.err).toContain('hayon workspace set --slots "mon-fri 09:00,13:00; sat 10:00"');
    expect(r.err).toContain('--at');
  });
});
