import type { Config } from '../config/config.js';
import type { Secrets } from '../config/secrets.js';
import type { Clock } from '../core/clock.js';
import { type Logger, subsystem } from '../logger.js';
import { DiskMediaStore } from '../media/disk/disk-media-store.js';
import type { MediaStore } from '../media/media-store.js';
import { S3MediaStore } from '../media/s3/s3-media-store.js';
import { UrlSigner } from '../media/url-signer.js';
import { LocalTransport } from '../queue/local/local-transport.js';
import { RabbitTransport } from '../queue/rabbitmq/rabbit-transport.js';
import type { Transport } from '../queue/transport.js';
import { MongoStore } from '../store/mongo/mongo-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';

/** The adapters `AppContext.fromConfig` picks from the configuration: store, transport, media store. */
export function createStore(config: Config): Store {
  switch (config.store.kind) {
    case 'sqlite':
      return new SqliteStore({ path: config.store.path });
    case 'mongo':
      return new MongoStore({ url: config.store.url });
  }
}

export function createTransport(config: Config, log: Logger): Transport {
  switch (config.transport.kind) {
    case 'local':
      return new LocalTransport();
    case 'rabbitmq':
      return new RabbitTransport({ url: config.transport.url, log: subsystem(log, 'rabbitmq') });
  }
}

export function createMediaStore(config: Config, secrets: Secrets, clock: Clock): MediaStore {
  const media = config.mediaStore;
  switch (media.kind) {
    case 'disk':
      return new DiskMediaStore({
        root: media.root,
        publicUrl: config.publicUrl,
        signer: new UrlSigner(secrets.secretKey),
        now: clock,
      });
    case 's3':
      return new S3MediaStore({
        bucket: media.bucket,
        region: media.region,
        endpoint: media.endpoint,
        forcePathStyle: media.forcePathStyle,
        credentials: secrets.s3Credentials,
        now: clock,
      });
  }
}
