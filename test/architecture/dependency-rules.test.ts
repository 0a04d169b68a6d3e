import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The dependency rules of `npm run lint` (`.dependency-cruiser.cjs`, `scripts/check-folder-cycles.mjs`)
 * run on tiny source trees written to a temporary folder: a forbidden arrow fails them, a tree
 * that keeps to the layout passes.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const depcruise = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');
const folderCycles = path.join(root, 'scripts/check-folder-cycles.mjs');

const trees: string[] = [];
afterAll(async () => {
  await Promise.all(trees.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes `files` (path → source) under a fresh folder with a package.json, and returns it. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hayon-arch-'));
  trees.push(dir);
  const pkg = { name: 'tree', type: 'module', dependencies: { hono: '*' }, devDependencies: { vitest: '*' } };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg));
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, source] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), source);
  }
  return dir;
}

/**
 * `depcruise src` with the project's config in `dir`, as `npm run lint` runs it: its exit code and
 * the rules it says were broken ("rule: from → to").
 */
function cruise(dir: string): { code: number | null; broken: string[] } {
  const run = spawnSync(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'err'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const broken = [...run.stdout.matchAll(/^\s*error ([\w-]+): (\S+) →\s+(\S+)/gm)].map(
    (m) => `${m[1]}: ${m[2]} → ${m[3]}`,
  );
  return { code: run.status, broken };
}

describe('dependency rules (npm run lint)', () => {
  it('pass on a tree that keeps to the layout', async () => {
    const dir = await tree({
      'src/core/post.ts': 'export const post = 1;\n',
      'src/core/post.test.ts':
        "import { it } from 'vitest';\nimport { helper } from '../../test/helper.js';\nimport { post } from './post.js';\nit('x', () => helper(post));\n",
      'src/store/post-store.ts': "import { post } from '../core/post.js';\nexport const store = post;\n",
      'src/platforms/bluesky.ts': "import { post } from '../core/post.js';\nexport const bluesky = post;\n",
      'src/services/posts-service.ts':
        "import type { store } from '../store/post-store.js';\nimport { post } from '../core/post.js';\nexport const service = (s: typeof store) => s + post;\n",
      'src/http/app.ts':
        "import { Hono } from 'hono';\nimport { service } from '../services/posts-service.js';\nexport const app = [Hono, service];\n",
      'src/app/context.ts':
        "import { app } from '../http/app.js';\nimport { store } from '../store/post-store.js';\nimport { bluesky } from '../platforms/bluesky.js';\nexport const ctx = [app, store, bluesky];\n",
      'test/helper.ts': 'export const helper = (n: number) => n;\n',
    });
    expect(cruise(dir)).toEqual({ code: 0, broken: [] });
  });

  it.each([
    [
      'a core file imports the store',
      {
        'src/core/a.ts': "import { b } from '../store/b.js';\nexport const a = b;\n",
        'src/store/b.ts': 'export const b = 1;\n',
      },
      'core-is-pure: src/core/a.ts → src/store/b.ts',
    ],
    [
      'a core file imports the logger',
      {
        'src/core/a.ts': "import { log } from '../logger.js';\nexport const a = log;\n",
        'src/logger.ts': 'export const log = 1;\n',
      },
      'core-is-pure: src/core/a.ts → src/logger.ts',
    ],
    [
      'a platform imports a service',
      {
        'src/platforms/p.ts': "import { s } from '../services/s.js';\nexport const p = s;\n",
        'src/services/s.ts': 'export const s = 1;\n',
      },
      'platforms-see-no-store-services-or-ingress: src/platforms/p.ts → src/services/s.ts',
    ],
    [
      'the store imports the queue',
      {
        'src/store/s.ts': "import { q } from '../queue/q.js';\nexport const s = q;\n",
        'src/queue/q.ts': 'export const q = 1;\n',
      },
      'store-not-queue: src/store/s.ts → src/queue/q.ts',
    ],
    [
      'the queue imports the store',
      {
        'src/queue/q.ts': "import { s } from '../store/s.js';\nexport const q = s;\n",
        'src/store/s.ts': 'export const s = 1;\n',
      },
      'queue-not-store: src/queue/q.ts → src/store/s.ts',
    ],
    [
      'an adapter imports ingress',
      {
        'src/notify/n.ts': "import { b } from '../bots/b.js';\nexport const n = b;\n",
        'src/bots/b.ts': 'export const b = 1;\n',
      },
      'adapters-not-ingress-or-wiring: src/notify/n.ts → src/bots/b.ts',
    ],
    [
      'a service imports http',
      {
        'src/services/s.ts': "import { h } from '../http/h.js';\nexport const s = h;\n",
        'src/http/h.ts': 'export const h = 1;\n',
      },
      'services-not-ingress-or-wiring: src/services/s.ts → src/http/h.ts',
    ],
    [
      'a CLI command imports a Store port',
      {
        'src/cli/c.ts': "import type { PostStore } from '../store/ports/post-store.js';\nexport type C = PostStore;\n",
        'src/store/ports/post-store.ts': 'export interface PostStore { id: string }\n',
      },
      'ingress-not-store: src/cli/c.ts → src/store/ports/post-store.ts',
    ],
    [
      'shipped code imports a test helper',
      {
        'src/store/s.ts': "import { t } from '../../test/t.js';\nexport const s = t;\n",
        'test/t.ts': 'export const t = 1;\n',
      },
      'src-not-test: src/store/s.ts → test/t.ts',
    ],
    [
      'shipped code imports a devDependency',
      { 'src/store/s.ts': "import { it } from 'vitest';\nexport const s = it;\n" },
      'src-not-dev-dependencies: src/store/s.ts → ',
    ],
    [
      'two modules import each other',
      {
        'src/worker/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/worker/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
      'no-module-cycle: src/worker/a.ts → src/worker/b.ts',
    ],
  ])('fail when %s', async (_what, files, expected) => {
    const dir = await tree(files);
    const { code, broken } = cruise(dir);
    expect(broken.some((line) => line.startsWith(expected))).toBe(true);
    expect(code).not.toBe(0);
  });
});

describe('folder cycles (scripts/check-folder-cycles.mjs)', () => {
  const check = (dir: string) => spawnSync(process.execPath, [folderCycles], { cwd: dir, encoding: 'utf8' });

  it('fail when two folders import each other through different modules', async () => {
    const dir = await tree({
      'src/worker/a.ts': "import { y } from '../notify/y.js';\nexport const a = y;\n",
      'src/notify/y.ts': 'export const y = 1;\n',
      'src/notify/z.ts': "import { x } from '../worker/x.js';\nexport const z = x;\n",
      'src/worker/x.ts': 'export const x = 1;\n',
    });
    expect(cruise(dir)).toEqual({ code: 0, broken: [] });
    const run = check(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('folder cycle: src/notify, src/worker');
    expect(run.stderr).toContain('src/notify → src/worker  (src/notify/z.ts → src/worker/x.ts)');
  });

  it('pass when the arrows between folders go one way', async () => {
    const dir = await tree({
      'src/worker/a.ts': "import { y } from '../notify/y.js';\nexport const a = y;\n",
      'src/notify/y.ts': "import { c } from '../core/c.js';\nexport const y = c;\n",
      'src/core/c.ts': 'export const c = 1;\n',
    });
    const run = check(dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
