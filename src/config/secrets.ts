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
  /**
   * `HAYON_SECRET_KEY_PREVIOUS`: keys used before the current one, still tried when opening
   * credentials and used beside it to sign callbacks, while a rotation is under way. Empty by
   * default.
   */
  previousSecretKeys: Buffer[];
  /** `HAYON_S3_ACCESS_KEY_ID` + `HAYON_S3_SECRET_ACCESS_KEY`; absent: the AWS SDK's own chain. */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `HAYON_SLACK_BOT_TOKEN`, `HAYON_SLACK_SIGNING_SECRET`, `HAYON_SLACK_APP_TOKEN`. */
  slack?: { botToken: string; signingSecret?: string | undefined; appToken?: string | undefined } | undefined;
  /** `HAYON_DISCORD_TOKEN`: the bot token. */
  discordToken?: string | undefined;
  /** `HAYON_METRICS_TOKEN`: the bearer token `GET /metrics` asks for; without it the route is off. */
  metricsToken?: string | undefined;
  /** `HAYON_TUMBLR_CLIENT_SECRET`: the Tumblr app's OAuth consumer secret (connect flow, token refresh). */
  tumblrClientSecret?: string | undefined;
  /** `HAYON_META_APP_SECRET`: the Meta app's secret (Facebook Login for Facebook Pages and Instagram). */
  metaAppSecret?: string | undefined;
  /** `HAYON_THREADS_APP_SECRET`: the Threads app secret (not the Meta app's: Threads has its own). */
  threadsAppSecret?: string | undefined;
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
    previousSecretKeys: previousSecretKeys(env.secretKeyPrevious),
    ...(s3 ? { s3Credentials: s3 } : {}),
    ...(slack ? { slack } : {}),
    ...(env.discordToken ? { discordToken: env.discordToken } : {}),
    ...(env.metricsToken ? { metricsToken: env.metricsToken } : {}),
    // envToConfig has checked that each secret comes with its app id.
    ...(env.tumblrClientSecret ? { tumblrClientSecret: env.tumblrClientSecret } : {}),
    ...(env.metaAppSecret ? { metaAppSecret: env.metaAppSecret } : {}),
    ...(env.threadsAppSecret ? { threadsAppSecret: env.threadsAppSecret } : {}),
  };
}

function s3Credentials(env: HayonEnv): Secrets['s3Credentials'] {
  if (!env.s3AccessKeyId && !env.s3SecretAccessKey) return undefined;
  if (!env.s3AccessKeyId || !env.s3SecretAccessKey) {
    throw new ConfigError('HAYON_S3_ACCESS_KEY_ID and HAYON_S3_SECRET_ACCESS_KEY must be set together.');
  }
  return { accessKeyId: env.s3AccessKeyId, secretAccessKey: env.s3SecretAccessKey };
}

/** Comma-separated keys, each as HAYON_SECRET_KEY is written; a bad one is named by its place, never echoed. */
function previousSecretKeys(raw: string | undefined): Buffer[] {
  if (!raw?.trim()) return [];
  const parts = raw.split(',').map((p) => p.trim());
  return parts.map((part, i) => {
    const where =
      parts.length > 1 ? `HAYON_SECRET_KEY_PREVIOUS (key ${i + 1} of ${parts.length})` : 'HAYON_SECRET_KEY_PREVIOUS';
    if (!part) throw new ConfigError(`${where} is empty: separate keys with single commas.`);
    return decodeKey(part, where);
  });
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
