import type { AuditLog } from '../audit-log.js';
import type { Clock } from '../../core/clock.js';
import type { MediaIntake } from '../../core/media-intake.js';
import type { Account, Author, Origin, PlatformId, Post, PostWithDeliveries } from '../../core/post.js';
import type { ResolvedSchedule } from '../../core/schedule.js';
import type { Platform } from '../../platforms/platform.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { DeliveryStore } from '../../store/ports/delivery-store.js';
import type { PostStore } from '../../store/ports/post-store.js';
import type { WorkspaceStore } from '../../store/ports/workspace-store.js';
import type { ResultsChannels } from './results-port.js';

export interface CreatePostContext {
  workspaceId: string;
  origin: Origin;
  author?: Author;
  idempotencyKey?: string | undefined;
  /** Used when the request names no time zone. */
  defaultTimezone?: string;
  /**
   * Do not hand a post due now to the scheduler yet: the caller first makes the place its
   * results go (a Discord thread), then calls `dispatch`. The scheduler's scan sends it anyway
   * if the caller never does.
   */
  holdDispatch?: boolean;
}

export interface CreatePostOutcome {
  created: boolean;
  value: PostWithDeliveries;
  schedule: ResolvedSchedule;
  /** The accounts the post's deliveries go to (for showing handles). */
  accounts: Account[];
}

export type { TargetMeasure } from '../../core/target-measure.js';

export interface PostsServiceDeps {
  /**
   * Posts, the workspace's accounts they target, its settings (whether images need alt text), and
   * a failed delivery given a new life (a retry).
   */
  store: PostStore & AccountStore & WorkspaceStore & Pick<DeliveryStore, 'reviveDelivery' | 'markDeliveryDeleted'>;
  platforms: Partial<Record<PlatformId, Platform>>;
  clock: Clock;
  /** The account's decrypted credentials, for platforms whose rules depend on the account. */
  openCredentials(account: Account): Record<string, unknown>;
  /** Stores credentials a platform changed while deleting a post (a refreshed session), sealed. */
  saveCredentials?: (account: Account, credentials: Record<string, unknown>) => Promise<void>;
  /** HAYON_DEFAULT_TIMEZONE: the zone of a workspace's slots when it sets none (an edit to "next slot"). */
  defaultTimezone?: string;
  /** How long checking content with the platforms may take in all; default 10 s. */
  validateTimeoutMs?: number;
  /** Told when deliveries become due at `at`, so an in-process scheduler can set its timer. */
  onScheduled?: (at: number) => void;
  /** Told of a post just stored whose deliveries are due now, so they can be sent at once. */
  onDueNow?: (created: PostWithDeliveries) => void;
  /** Brings attachments into the media store before the post is accepted. */
  media: MediaIntake;
  /** Refuses a callback URL hayon may not call (a private network): a HayonError about `callbackUrl`. */
  checkCallbackUrl?: (url: string) => Promise<void>;
  /** Removes attachments an edit replaced from the media store. */
  removeMedia?: (keys: string[]) => Promise<void>;
  /** Told of each post stored (the log, metrics). */
  onCreated?: (created: PostWithDeliveries) => void;
  /** Told after a cancel (a callback receiver hears that the post is finished). */
  onCancelled?: (post: Post) => Promise<void>;
  /** Shows posts from the API, the CLI and webhooks in the workspace's results channels, with their outcomes. */
  results?: ResultsChannels;
  /**
   * Records who made, cancelled, hurried, retried and edited each post (never fails the action);
   * `post.created` is written by the store with the post, in its transaction (`entry`).
   */
  audit?: Pick<AuditLog, 'record' | 'entry'>;
}
