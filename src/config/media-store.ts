import path from 'node:path';
import type { HayonEnv } from './env.js';
import { ConfigError, flag, url } from './values.js';

/** Where attachments are kept: files under the data directory, or an S3 bucket. */
export type MediaStoreConfig =
  | { kind: 'disk'; root: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint?: string | undefined;
      /**
       * The S3 endpoint as clients and platforms reach it, for presigned URLs (upload and
       * download); `HAYON_S3_PUBLIC_URL`, default the endpoint hayon itself uses. Set it when
       * hayon reaches the store at an inside address (`http://minio:9000` in docker-compose)
       * that Threads, Instagram, Facebook and API clients cannot.
       */
      publicEndpoint?: string | undefined;
      forcePathStyle: boolean;
    };

/** The media store from `HAYON_S3_*`: S3 when a bucket is named, else `{dataDir}/media`. */
export function mediaStoreConfig(env: HayonEnv, dataDir: string): MediaStoreConfig {
  if (!env.s3Bucket) {
    if (env.s3Endpoint) throw new ConfigError('HAYON_S3_ENDPOINT is set but HAYON_S3_BUCKET is not.');
    if (env.s3PublicUrl) throw new ConfigError('HAYON_S3_PUBLIC_URL is set but HAYON_S3_BUCKET is not.');
    return { kind: 'disk', root: path.join(dataDir, 'media') };
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(env.s3Bucket)) {
    throw new ConfigError(`HAYON_S3_BUCKET is not a valid bucket name: "${env.s3Bucket}".`);
  }
  return {
    kind: 's3',
    bucket: env.s3Bucket,
    region: env.s3Region || 'us-east-1',
    ...(env.s3Endpoint ? { endpoint: url('HAYON_S3_ENDPOINT', env.s3Endpoint, ['http:', 'https:']) } : {}),
    ...(env.s3PublicUrl
      ? { publicEndpoint: url('HAYON_S3_PUBLIC_URL', env.s3PublicUrl, ['http:', 'https:']).replace(/\/+$/, '') }
      : {}),
    forcePathStyle: flag('HAYON_S3_FORCE_PATH_STYLE', env.s3ForcePathStyle),
  };
}
