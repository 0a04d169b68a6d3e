import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { defaultWorkspaceId } from '../src/services/accounts/accounts-service.js';
import { createApiToken } from '../src/services/accounts/api-tokens.js';
import { AppContext, type AppOverrides } from '../src/app/app-context.js';
import { envToConfig } from '../src/config/config.js';
import type { HayonEnv } from '../src/config/env.js';
import { createHttpApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { ServeRole } from '../src/roles/serve-role.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely and check them with expect
export type Answer = any;

/** A Response whose JSON is typed loosely for assertions. */
export interface TestResponse {
  status: number;
  headers: Headers;
  json(): Promise<Answer>;
  text(): Promise<string>;
}

export interface TestHayon {
  ctx: AppContext;
  app: ReturnType<typeof createHttpApp>;
  token: string;
  workspaceId: string;
  dataDir: string;
  /** Every log line written, as parsed JSON. */
  logs: Record<string, unknown>[];
  /** A request to the app with the token and JSON body set. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** A raw request to the app (no token added). */
  request(path: string, init?: RequestInit): Promise<TestResponse>;
  /** Waits until nothing is due, queued or in flight (work scheduled later is left alone). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions extends AppOverrides {
  env?: HayonEnv;
  /** Run the worker (default true). */
  worker?: boolean;
  /** Open a real port too (for benchmarks); the port is on `ctx.config.port` after start. */
  listen?: boolean;
  /** The port to listen on with `listen` (default: a free one). */
  listenPort?: number;
  /** HAYON_SECRET_KEY (default: random) and HAYON_SECRET_KEY_PREVIOUS (default: none). */
  secretKey?: Buffer;
  previousSecretKeys?: Buffer[];
}

/**
 * Boots the real roles (store on a temp-dir SQLite file, scheduler, sweeper, worker) with the
 * given overrides. Seeds the default workspace and an API token.
 */
export async function startHayon(
  options: StartOptions = {},
): Promise<TestHayon & { port?: number; metricsPort?: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hayon-test-'));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const config = envToConfig({ logLevel: 'info', ...options.env, dataDir });
  const env = options.env ?? {};
  const ctx = await AppContext.fromConfig(
    config,
    {
      secretKey: options.secretKey ?? randomBytes(32),
      previousSecretKeys: options.previousSecretKeys ?? [],
      ...(env.slackBotToken
        ? {
            slack: {
              botToken: env.slackBotToken,
              signingSecret: env.slackSigningSecret,
              appToken: env.slackAppToken,
            },
          }
        : {}),
      ...(env.discordToken ? { discordToken: env.discordToken } : {}),
      ...(env.metricsToken ? { metricsToken: env.metricsToken } : {}),
    },
    { log: createLogger(config.logLevel, sink), ...options },
  );
  await ctx.accounts.ensureWorkspace();
  const { token } = await createApiToken(ctx.store, defaultWorkspaceId, 'test', ctx.clock);
  const app = createHttpApp(ctx);
  let port: number | undefined;
  let role: ServeRole | undefined;
  if (options.listen) {
    role = new ServeRole(ctx, { worker: options.worker ?? true, port: options.listenPort ?? 0, host: '127.0.0.1' });
    port = await role.start();
  } else {
    if (options.worker ?? true) {
      await ctx.worker.start();
      ctx.callbacks.start();
      ctx.chat.start();
    }
    ctx.scheduler.start();
    ctx.sweeper.start();
  }
  const request = async (p: string, init?: RequestInit): Promise<TestResponse> => app.request(p, init);
  const api = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(p, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const drain = async (timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await ctx.store.countDeliveries();
      const next = await ctx.store.nextDueAt();
      const busy = (counts.queued ?? 0) + (counts.publishing ?? 0) + (counts.unknown ?? 0);
      if (busy === 0 && (next === null || next > ctx.clock())) return;
      if (Date.now() > deadline) throw new Error(`drain timed out: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    ctx,
    app,
    token,
    workspaceId: defaultWorkspaceId,
    dataDir,
    logs,
    api,
    request,
    drain,
    ...(port !== undefined ? { port } : {}),
    ...(role?.metricsPort !== undefined ? { metricsPort: role.metricsPort } : {}),
    async stop() {
      if (role) await role.stop();
      else await ctx.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds (every 20 ms), or throws after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
