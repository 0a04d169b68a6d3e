import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, envToConfig } from './config.js';
import type { HayonEnv } from './env.js';
import { envToSecrets } from './secrets.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hayon-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secretsFor = (env: HayonEnv) => envToSecrets(env, envToConfig({ ...env, dataDir: dir }, dir));
const keyFile = () => path.join(dir, 'secret.key');

describe('envToSecrets: HAYON_SECRET_KEY', () => {
  it('reads 64 hex characters (either case) as the 32-byte key', () => {
    const key = randomBytes(32);
    expect(secretsFor({ secretKey: key.toString('hex') }).secretKey.equals(key)).toBe(true);
    expect(secretsFor({ secretKey: key.toString('hex').toUpperCase() }).secretKey.equals(key)).toBe(true);
  });

  it('reads base64 as the 32-byte key, surrounding whitespace ignored', () => {
    const key = randomBytes(32);
    expect(secretsFor({ secretKey: ` ${key.toString('base64')}\n` }).secretKey.equals(key)).toBe(true);
  });

  it('writes no key file when the key is given', () => {
    secretsFor({ secretKey: randomBytes(32).toString('hex') });
    expect(fs.existsSync(keyFile())).toBe(false);
  });

  const wrong: [string, string][] = [
    ['16 bytes of hex', randomBytes(16).toString('hex')],
    ['63 hex characters', randomBytes(32).toString('hex').slice(1)],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['a short password', 'hunter2'],
  ];
  it.each(wrong)('refuses %s, naming the variable and not echoing the value', (_, raw) => {
    let error: unknown;
    try {
      secretsFor({ secretKey: raw });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('HAYON_SECRET_KEY');
    expect(message).toContain('32 bytes');
    expect(message).not.toContain(raw);
  });
});

describe('envToSecrets: the generated key file (SQLite without HAYON_SECRET_KEY)', () => {
  it('generates a 32-byte key once, readable by the owner only, and reuses it', () => {
    const first = secretsFor({});
    expect(first.secretKey).toHaveLength(32);
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
    const content = fs.readFileSync(keyFile(), 'utf8');
    expect(content.trim()).toBe(first.secretKey.toString('hex'));

    const second = secretsFor({});
    expect(second.secretKey.equals(first.secretKey)).toBe(true);
    expect(fs.readFileSync(keyFile(), 'utf8')).toBe(content);
  });

  it('creates a missing data dir for the key', () => {
    const nested = path.join(dir, 'a', 'b');
    const config = envToConfig({ dataDir: nested }, dir);
    expect(envToSecrets({}, config).secretKey).toHaveLength(32);
    expect(fs.existsSync(path.join(nested, 'secret.key'))).toBe(true);
  });

  it('refuses a key file that holds no 32-byte key, naming the file', () => {
    fs.writeFileSync(keyFile(), 'abcd\n');
    expect(() => secretsFor({})).toThrow(ConfigError);
    expect(() => secretsFor({})).toThrow(keyFile());
  });

  it('prefers HAYON_SECRET_KEY over an existing key file', () => {
    secretsFor({});
    const key = randomBytes(32);
    expect(secretsFor({ secretKey: key.toString('hex') }).secretKey.equals(key)).toBe(true);
  });
});

describe('envToSecrets: MongoDB', () => {
  it('refuses to start without HAYON_SECRET_KEY, and generates nothing', () => {
    expect(() => secretsFor({ mongodbUrl: 'mongodb://db/hayon' })).toThrow(ConfigError);
    expect(() => secretsFor({ mongodbUrl: 'mongodb://db/hayon' })).toThrow(/HAYON_SECRET_KEY must be set/);
    expect(fs.existsSync(keyFile())).toBe(false);
  });

  it('accepts a given key', () => {
    const key = randomBytes(32);
    expect(
      secretsFor({ mongodbUrl: 'mongodb://db/hayon', secretKey: key.toString('base64') }).secretKey.equals(key),
    ).toBe(true);
  });
});

describe('envToSecrets: HAYON_SECRET_KEY_PREVIOUS', () => {
  const current = randomBytes(32).toString('hex');

  it('is empty when unset or blank', () => {
    expect(secretsFor({ secretKey: current }).previousSecretKeys).toEqual([]);
    expect(secretsFor({ secretKey: current, secretKeyPrevious: ' ' }).previousSecretKeys).toEqual([]);
  });

  it('reads a comma-separated list, hex or base64, in order', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const keys = secretsFor({
      secretKey: current,
      secretKeyPrevious: `${a.toString('hex')}, ${b.toString('base64')}`,
    }).previousSecretKeys;
    expect(keys.map((k) => k.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
  });

  it.each([
    ['a short key', 'hunter2', 'HAYON_SECRET_KEY_PREVIOUS'],
    ['a bad second key', `${randomBytes(32).toString('hex')},abcd`, 'HAYON_SECRET_KEY_PREVIOUS (key 2 of 2)'],
    ['an empty entry', `${randomBytes(32).toString('hex')},,`, 'HAYON_SECRET_KEY_PREVIOUS (key 2 of 3) is empty'],
  ])('refuses %s with a ConfigError naming the variable, not echoing the value', (_, raw, named) => {
    let error: unknown;
    try {
      secretsFor({ secretKey: current, secretKeyPrevious: raw });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(named);
    for (const part of raw.split(',').filter(Boolean)) expect((error as Error).message).not.toContain(part);
  });
});
