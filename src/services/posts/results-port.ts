import type { Account, PostWithDeliveries, ResultThreads } from '../../core/post.js';
import type { TargetMeasure } from '../../core/target-measure.js';

/** The workspace's results channels (`WorkspaceSettings.resultChannels`). */
export interface ResultChannelIds {
  slack?: string | undefined;
  discord?: string | undefined;
}

/**
 * The message a post from the API, the CLI or a webhook gets in the workspace's results
 * channels: the same message, with the same thread of outcomes, as a chat `/post` gets
 * (src/notify/results-messages.ts posts them; the delivery notifier replies in their threads).
 * A channel that cannot be reached is left out and logged there: the post goes ahead without it.
 */
export interface ResultsChannels {
  /** Posts the message in each channel (on Discord with a thread on it); the ones that were posted. */
  open(
    channels: ResultChannelIds,
    value: PostWithDeliveries,
    accounts: readonly Account[],
    measures: readonly TargetMeasure[],
  ): Promise<ResultThreads>;
  /** Redraws the messages to the post as it is now (it moved to another slot). */
  refresh(threads: ResultThreads, value: PostWithDeliveries, accounts: readonly Account[]): Promise<void>;
  /** Deletes the messages again: the post they announced was not stored. */
  withdraw(threads: ResultThreads): Promise<void>;
  /**
   * Says on the messages that the post may not have been stored (the database stopped answering
   * with it on its way): not deleted, as it may have been, and then its replies come here. A
   * request sent again with its idempotency key finds out and refreshes or withdraws them.
   */
  unconfirmed(threads: ResultThreads): Promise<void>;
}
