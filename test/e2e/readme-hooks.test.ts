import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';

const run = promisify(execFile);

/** The `run: |` script of the README's GitHub Actions step, as the runner would get it. */
function actionsStep(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
  const marker = readme.findIndex((l) => l.includes('# hayon-actions-step'));
  const start = readme.findIndex((l, i) => i > marker && l.trim() === 'run: |');
  const indent = (readme[start + 1] ?? '').search(/\S/);
  const lines: string[] = [];
  for (const line of readme.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/) < indent) break;
    lines.push(line.slice(indent));
  }
  return lines.join('\n');
}

const tools = ['bash', 'jq', 'openssl', 'curl'];
const missing = await Promise.all(
  tools.map((t) =>
    run('sh', ['-c', `command -v ${t}`]).then(
      () => null,
      () => t,
    ),
  ),
);
const absent = missing.filter(Boolean).join(', ');
if (absent) console.log(`readme-hooks: skipped, needs ${absent} (scripts/test-services.sh installs them)`);

// The README's GitHub Actions step, run as written against a listening hayon: its shell
// signature must be the one hayon checks, and a re-run of the job must not post twice.
describe.skipIf(absent !== '')('README: the GitHub Actions step that announces a release', () => {
  let h: TestHayon & { port?: number };
  let bluesky: FakePlatform;
  beforeAll(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    h = await startHayon({ platforms: { bluesky }, listen: true });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterAll(() => h.stop());

  it('posts the release once, even when the job runs twice', async () => {
    const { url, secret } = await h.ctx.hooks.create(h.workspaceId, {
      source: 'generic',
      name: 'releases',
      template: '{{repo}} {{tag}} is out: {{name}} {{url}}',
      targets: ['bluesky'],
    });
    const env = {
      PATH: process.env.PATH ?? '',
      HAYON_HOOK_URL: url.replace(h.ctx.config.publicUrl, `http://127.0.0.1:${h.port}`),
      HAYON_HOOK_SECRET: secret,
      GITHUB_REPOSITORY: 'acme/rocket',
      NAME: 'Rocket 2.0 "Liftoff"',
      TAG: 'v2.0.0',
      URL: 'https://github.com/acme/rocket/releases/tag/v2.0.0',
      RELEASE_ID: '1234567',
    };
    const first = await run('bash', ['-eo', 'pipefail', '-c', actionsStep()], { env });
    const again = await run('bash', ['-eo', 'pipefail', '-c', actionsStep()], { env });
    const a = JSON.parse(first.stdout);
    expect(a.text).toBe(
      'acme/rocket v2.0.0 is out: Rocket 2.0 "Liftoff" https://github.com/acme/rocket/releases/tag/v2.0.0',
    );
    expect(JSON.parse(again.stdout).id).toBe(a.id);
    await h.drain();
    expect(bluesky.posts.size).toBe(1);
  });
});
