import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Written by scripts/services/chromium.sh (Debian's chromium, installed with apt). */
const infoFile = join(root, '.tmp', 'services', 'chromium.json');
/** Screenshots of each page, for people to look at (gitignored). */
export const screenshotDir = join(root, 'test-output', 'browser');

/** The chromium to drive: the service script's, else Debian's path; undefined when there is none. */
export function chromiumPath(): string | undefined {
  const candidates: string[] = [];
  if (process.env.HAYON_CHROMIUM) candidates.push(process.env.HAYON_CHROMIUM);
  if (existsSync(infoFile)) {
    const path = (JSON.parse(readFileSync(infoFile, 'utf8')) as { path?: string }).path;
    if (path) candidates.push(path);
  }
  candidates.push('/usr/bin/chromium');
  return candidates.find((p) => existsSync(p));
}

/** The machine's chromium, headless, by its path (playwright never downloads a browser here). */
export function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A browser profile of its own (cookies), in a time zone, at a laptop's size. */
export function openContext(browser: Browser, timezoneId: string): Promise<BrowserContext> {
  return browser.newContext({ timezoneId, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
}

/** Saves a screenshot of the page (whole, unless `fullPage: false`) as `test-output/browser/<name>.png`. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** axe-core's serious and critical violations on the page as it is now (id, impact, where). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const w = globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } };
    const result = await w.axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(', ')}`);
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** `hayon web login` as a person runs it on the machine of `dataDir`: the link it prints. */
export async function webLoginLink(dataDir: string, publicUrl: string, secretKeyHex: string): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {
      HAYON_DATA_DIR: dataDir,
      HAYON_LOG_LEVEL: 'silent',
      HAYON_PUBLIC_URL: publicUrl,
      HAYON_SECRET_KEY: secretKeyHex,
    },
    cwd: dataDir,
  };
  const code = await main(['web', 'login'], io);
  if (code !== 0 || !out[0]) throw new Error(`hayon web login exited ${code}: ${err.join('\n')}`);
  return out[0];
}
