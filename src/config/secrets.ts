import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import type { HayonEnv } from './env.js';

/** Step 3 of 3: secrets, kept apart from Config so that logging a config can never leak them. */
export interface Secrets {
  /** 32 bytes for AES-256-GCM credential encryption. */
  secretKey: Buffer;
  /** `HAYON_S3_ACCESS_KEY_ID` + `HAYON_S3_SECRET_ACCESS_KEY`; absent: the AWS SDK's own chain. */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `HAYON_SLACK_BOT_TOKEN`, `HAYON_SLACK_SIGNING_SECRET`, `HAYON_SLACK_APP_TOKEN`. */
  slack?: { botToken: string; signingSecret?: string | undefined; appToken?: string | undefined } | undefined;
  /** `HAYON_DISCORD_TOKEN`: the bot token. */
  discordToken?: string | undefined;
}

const keyFileName = 'secret.key';

function decodeKey(raw: string, where: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${where} must be 32 bytes, as 64 hex characters or base64 (try: openssl rand -hex 32).`);
  }
  return key;
}

/**
 * `HAYON_SECRET_KEY` when set. On the embedded default (SQLite) without it, a key is generated
 * once into `{dataDir}/secret.key` with 0600 permissions and read back on later starts. A
 * scaled deployment must set it: each process would otherwise make its own.
 */
export function envToSecrets(env: HayonEnv, config: Config): Secrets {
  const s3 = s3Credentials(env);
  const slack = env.slackBotToken
    ? { botToken: env.slackBotToken, signingSecret: env.slackSigningSecret, appToken: env.slackAppToken }
    : undefined;
  return {
    secretKey: secretKey(env, config),
    ...(s3 ? { s3Credentials: s3 } : {}),
    ...(slack ? { slack } : {}),
    ...(env.discordToken ? { discordToken: env.discordToken } : {}),
  };
}

function s3Credentials(env: HayonEnv): Secrets['s3Credentials'] {
  if (!env.s3AccessKeyId && !env.s3SecretAccessKey) return undefined;
  if (!env.s3AccessKeyId || !env.s3SecretAccessKey) {
    throw new ConfigError('HAYON_S3_ACCESS_KEY_ID and HAYON_S3_SECRET_ACCESS_KEY must be set together.');
  }
  return { accessKeyId: env.s3AccessKeyId, secretAccessKey: env.s3SecretAccessKey };
}

function secretKey(env: HayonEnv, config: Config): Buffer {
  if (env.secretKey) return decodeKey(env.secretKey, 'HAYON_SECRET_KEY');
  if (config.store.kind !== 'sqlite') {
    throw new ConfigError('HAYON_SECRET_KEY must be set when HAYON_MONGODB_URL is (every process needs the same key).');
  }
  const file = path.join(config.dataDir, keyFileName);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process made it first: read theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return decodeKey(fs.readFileSync(file, 'utf8'), file);
}
