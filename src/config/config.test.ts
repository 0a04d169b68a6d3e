import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envToConfig } from './config.js';
import type { HayonEnv } from './env.js';

const cwd = path.resolve('/srv/hayon');

function configError(env: HayonEnv): ConfigError {
  try {
    envToConfig(env, cwd);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`envToConfig accepted ${JSON.stringify(env)}`);
}

describe('envToConfig: defaults', () => {
  const config = envToConfig({}, cwd);

  it('puts the data dir under the working directory, and the SQLite file in it', () => {
    expect(config.dataDir).toBe(path.join(cwd, 'data'));
    expect(config.store).toEqual({ kind: 'sqlite', path: path.join(cwd, 'data', 'hayon.db') });
  });

  it('listens on 0.0.0.0:8787 and is reached at http://localhost:8787', () => {
    expect(config.port).toBe(8787);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('http://localhost:8787');
  });

  it('uses the in-process transport, info logs, UTC and the documented worker limits', () => {
    expect(config.transport).toEqual({ kind: 'local' });
    expect(config.logLevel).toBe('info');
    expect(config.defaultTimezone).toBe('UTC');
    expect(config.worker).toEqual({
      concurrency: 16,
      maxAttempts: 6,
      leaseMs: 120_000,
      sweepIntervalMs: 10_000,
      strandedAfterMs: 60_000,
      strandedWhileBusyAfterMs: 600_000,
    });
    expect(config.platformTimeoutMs).toBe(30_000);
    expect(config.mediaMaxBytes).toBe(50 * 1024 * 1024);
  });

  it('ends web page sessions after 12 hours unused or 7 days in all, unless told otherwise', () => {
    expect(config.webSessions).toEqual({ idleMs: 12 * 3_600_000, absoluteMs: 7 * 86_400_000 });
    expect(envToConfig({ webIdleHours: '1', webSessionDays: '30' }, cwd).webSessions).toEqual({
      idleMs: 3_600_000,
      absoluteMs: 30 * 86_400_000,
    });
  });

  it('treats empty strings as unset', () => {
    expect(envToConfig({ port: '', dataDir: '', logLevel: '', defaultTimezone: '' }, cwd)).toEqual(config);
  });
});

describe('envToConfig: values given', () => {
  it('resolves a relative data dir from the working directory and keeps an absolute one', () => {
    expect(envToConfig({ dataDir: 'var/db' }, cwd).dataDir).toBe(path.join(cwd, 'var', 'db'));
    const abs = path.resolve('/tmp/hayon-data');
    const config = envToConfig({ dataDir: abs }, cwd);
    expect(config.dataDir).toBe(abs);
    expect(config.store).toEqual({ kind: 'sqlite', path: path.join(abs, 'hayon.db') });
  });

  it('derives the public URL from the port, and strips a trailing slash from a given one', () => {
    expect(envToConfig({ port: '9000' }, cwd).publicUrl).toBe('http://localhost:9000');
    expect(envToConfig({ publicUrl: 'https://hayon.example.com/' }, cwd).publicUrl).toBe('https://hayon.example.com');
  });

  it('presigns S3 URLs on HAYON_S3_PUBLIC_URL when set (docker-compose: minio inside, a public address outside)', () => {
    const s3 = { s3Bucket: 'hayon-media', s3Endpoint: 'http://minio:9000', s3ForcePathStyle: 'true' };
    expect(envToConfig(s3, cwd).mediaStore).toEqual({
      kind: 's3',
      bucket: 'hayon-media',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
    });
    expect(envToConfig({ ...s3, s3PublicUrl: 'https://media.example.com/' }, cwd).mediaStore).toMatchObject({
      endpoint: 'http://minio:9000',
      publicEndpoint: 'https://media.example.com',
    });
    expect(() => envToConfig({ ...s3, s3PublicUrl: 'minio' }, cwd)).toThrow('HAYON_S3_PUBLIC_URL');
    expect(() => envToConfig({ s3PublicUrl: 'https://media.example.com' }, cwd)).toThrow(
      'HAYON_S3_PUBLIC_URL is set but HAYON_S3_BUCKET is not.',
    );
  });

  it('selects MongoDB by HAYON_MONGODB_URL and RabbitMQ by HAYON_AMQP_URL', () => {
    const config = envToConfig(
      { mongodbUrl: 'mongodb://db:27017/hayon', amqpUrl: 'amqps://user:pw@mq.example.com/vhost' },
      cwd,
    );
    expect(config.store).toEqual({ kind: 'mongo', url: 'mongodb://db:27017/hayon' });
    expect(config.transport).toEqual({ kind: 'rabbitmq', url: 'amqps://user:pw@mq.example.com/vhost' });
    expect(envToConfig({ mongodbUrl: 'mongodb+srv://cluster.example.net/hayon' }, cwd).store.kind).toBe('mongo');
  });

  it('reads the worker, timeout and size settings', () => {
    const config = envToConfig(
      {
        workerConcurrency: '4',
        maxAttempts: '3',
        leaseSeconds: '30',
        sweepIntervalMs: '500',
        strandedAfterMs: '2000',
        strandedWhileBusyAfterMs: '30000',
        platformTimeoutMs: '5000',
        mediaMaxBytes: '2048',
        logLevel: 'debug',
        defaultTimezone: 'Europe/Berlin',
        host: '127.0.0.1',
      },
      cwd,
    );
    expect(config.worker).toEqual({
      concurrency: 4,
      maxAttempts: 3,
      leaseMs: 30_000,
      sweepIntervalMs: 500,
      strandedAfterMs: 2_000,
      strandedWhileBusyAfterMs: 30_000,
    });
    expect(config.platformTimeoutMs).toBe(5000);
    expect(config.mediaMaxBytes).toBe(2048);
    expect(config.logLevel).toBe('debug');
    expect(config.defaultTimezone).toBe('Europe/Berlin');
    expect(config.host).toBe('127.0.0.1');
  });
});

describe('envToConfig: Bluesky video service', () => {
  it('is off by default (videos go to the PDS as blobs), and a given URL loses its trailing slash', () => {
    expect(envToConfig({}, cwd).bluesky.videoUrl).toBeUndefined();
    expect(envToConfig({ blueskyVideoUrl: 'https://video.bsky.app/' }, cwd).bluesky.videoUrl).toBe(
      'https://video.bsky.app',
    );
    expect(configError({ blueskyVideoUrl: 'video.bsky.app' }).message).toContain('HAYON_BLUESKY_VIDEO_URL');
  });
});

describe('envToConfig: a bad value throws a ConfigError naming its variable', () => {
  const cases: [string, HayonEnv, string][] = [
    ['HAYON_PORT', { port: 'abc' }, 'abc'],
    ['HAYON_PORT', { port: '70000' }, '70000'],
    ['HAYON_PORT', { port: '80.5' }, '80.5'],
    ['HAYON_PUBLIC_URL', { publicUrl: 'ftp://x' }, 'http'],
    ['HAYON_PUBLIC_URL', { publicUrl: 'not a url' }, 'URL'],
    ['HAYON_LOG_LEVEL', { logLevel: 'loud' }, 'info'],
    ['HAYON_DEFAULT_TIMEZONE', { defaultTimezone: 'Mars/X' }, 'Mars/X'],
    ['HAYON_MONGODB_URL', { mongodbUrl: 'http://x' }, 'mongodb://'],
    ['HAYON_AMQP_URL', { amqpUrl: 'http://x' }, 'amqp://'],
    ['HAYON_WORKER_CONCURRENCY', { workerConcurrency: '0' }, '"0"'],
    ['HAYON_MAX_ATTEMPTS', { maxAttempts: 'many' }, 'many'],
    ['HAYON_LEASE_SECONDS', { leaseSeconds: '0' }, '"0"'],
    ['HAYON_SWEEP_INTERVAL_MS', { sweepIntervalMs: '10' }, '"10"'],
    ['HAYON_WEB_IDLE_HOURS', { webIdleHours: '0' }, '"0"'],
    ['HAYON_WEB_SESSION_DAYS', { webSessionDays: 'a week' }, 'a week'],
  ];
  it.each(cases)('%s from %j', (variable, env, hint) => {
    const e = configError(env);
    expect(e.name).toBe('ConfigError');
    expect(e.message).toContain(variable);
    expect(e.message).toContain(hint);
  });
});
