import type { Clock } from '../core/clock.js';
import type { PlatformId } from '../core/post.js';
import type { RetryPolicy } from '../core/retry-policy.js';
import type { Logger } from '../logger.js';
import type { MediaStore } from '../media/media-store.js';
import type { DownloadOptions, Downloaded } from '../net/safe-fetch.js';
import type { CallbackSenderOptions } from '../notify/callbacks/callback-sender.js';
import type { ChatSenderOptions } from '../notify/chat/chat-sender.js';
import type { Notifier } from '../notify/notifier.js';
import type { MediaLoader, Platform } from '../platforms/platform.js';
import type { Transport } from '../queue/transport.js';
import type { Store } from '../store/store.js';
import type { SchedulerOptions } from '../worker/scheduler.js';
import type { SweeperOptions } from '../worker/sweeper.js';

/** What tests (and later adapters) can replace; everything else comes from config. */
export interface AppOverrides {
  store?: Store;
  transport?: Transport;
  platforms?: Partial<Record<PlatformId, Platform>>;
  fetch?: typeof fetch;
  loadMedia?: MediaLoader;
  mediaStore?: MediaStore;
  /** Replaces the SSRF-safe attachment download (tests serve attachments without a network). */
  download?: (url: string, options: DownloadOptions) => Promise<Downloaded>;
  notifier?: Notifier;
  clock?: Clock;
  log?: Logger;
  retry?: RetryPolicy;
  scheduler?: Partial<SchedulerOptions>;
  sweeper?: Partial<SweeperOptions>;
  callbacks?: Partial<CallbackSenderOptions>;
  chat?: Partial<ChatSenderOptions>;
}
