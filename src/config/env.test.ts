import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';

describe('readEnv', () => {
  it('maps every HAYON_* variable of a plain object to its field', () => {
    const env = readEnv({
      HAYON_DATA_DIR: '/var/lib/hayon',
      HAYON_PORT: '9000',
      HAYON_HOST: '127.0.0.1',
      HAYON_PUBLIC_URL: 'https://hayon.example.com',
      HAYON_LOG_LEVEL: 'debug',
      HAYON_SECRET_KEY: 'k'.repeat(64),
      HAYON_MONGODB_URL: 'mongodb://db/hayon',
      HAYON_AMQP_URL: 'amqp://mq',
      HAYON_WORKER_CONCURRENCY: '8',
      HAYON_MAX_ATTEMPTS: '4',
      HAYON_LEASE_SECONDS: '60',
      HAYON_DEFAULT_TIMEZONE: 'Asia/Tokyo',
      HAYON_PLATFORM_TIMEOUT_MS: '1000',
      HAYON_MEDIA_MAX_BYTES: '4096',
    });
    expect(env).toEqual({
      dataDir: '/var/lib/hayon',
      port: '9000',
      host: '127.0.0.1',
      publicUrl: 'https://hayon.example.com',
      logLevel: 'debug',
      secretKey: 'k'.repeat(64),
      mongodbUrl: 'mongodb://db/hayon',
      amqpUrl: 'amqp://mq',
      workerConcurrency: '8',
      maxAttempts: '4',
      leaseSeconds: '60',
      defaultTimezone: 'Asia/Tokyo',
      platformTimeoutMs: '1000',
      mediaMaxBytes: '4096',
    });
  });

  it('ignores variables without the HAYON_ prefix and leaves unset ones undefined', () => {
    const env = readEnv({ PORT: '1234', MONGODB_URL: 'mongodb://elsewhere', HAYON_PORT: '9000' });
    expect(env.port).toBe('9000');
    expect(env.mongodbUrl).toBeUndefined();
    expect(Object.values(env).filter((v) => v !== undefined)).toEqual(['9000']);
  });
});
