import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startHayon } from '../harness.js';

// Where someone who just started hayon finds their way: the address, the start line, the stop.
describe('orientation', () => {
  it('GET / leads to the docs, and the serve log names them; a stop is logged', async () => {
    const h = await startHayon({ listen: true });
    const res = await h.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/docs');
    const serving = h.logs.find((l) => l.msg === 'hayon serving');
    expect(serving?.docs).toBe(`${h.ctx.config.publicUrl}/docs`);
    await h.stop();
    expect(h.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['hayon stopping', 'hayon stopped']));
  });

  describe('hayon serve, as a process', () => {
    let dir: string;
    let child: ChildProcess | undefined;
    afterAll(async () => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('names the docs URL and, with no account, the command to connect one; says when it stopped', async () => {
      dir = await mkdtemp(join(tmpdir(), 'hayon-serve-'));
      const port = String(20_000 + Math.floor(Math.random() * 20_000));
      // Run from a folder of its own, as a person would; tsx's loader is named by path from here.
      const tsx = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
      child = spawn(
        process.execPath,
        ['--import', tsx, join(process.cwd(), 'src/cli/run.ts'), 'serve', '--port', port],
        {
          cwd: dir,
          env: { ...process.env, HAYON_DATA_DIR: join(dir, 'data'), HAYON_LOG_LEVEL: 'silent' },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        void exited.then((code) => reject(new Error(`hayon serve exited (${code}):\n${stderr}`)));
        const timer = setTimeout(() => reject(new Error(`no start line in 30 s:\n${stderr}`)), 30_000);
        child?.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('Ctrl-C stops') && stderr.includes('No account')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(stderr).toContain(`starting a new, empty data directory at ${join(dir, 'data')}`);
      expect(stderr).toContain(`hayon listening on http://localhost:${port}`);
      expect(stderr).toContain(`API docs: http://localhost:${port}/docs`);
      expect(stderr).toContain('No account is connected yet: hayon accounts connect bluesky');
      const root = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      // The URLs it hands out (here the document's server) are on that port too.
      const doc = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as {
        servers: { url: string }[];
      };
      expect(doc.servers[0]?.url).toBe(`http://localhost:${port}`);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('hayon stopped');
    }, 60_000);
  });
});
