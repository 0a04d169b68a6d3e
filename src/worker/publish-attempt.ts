import type { Clock } from '../core/clock.js';
import { type ResolvedContent, type ResolvedMedia, resolveContent } from '../core/content.js';
import type { Account, Delivery, Post } from '../core/post.js';
import type { CredentialBox } from '../crypto/credential-box.js';
import type { Logger } from '../logger.js';
import type {
  AccountContext,
  ImageLimits,
  MediaLoader,
  Platform,
  PublishInput,
  PublishResult,
} from '../platforms/platform.js';
import type { DeliveryProgress, DeliveryStore } from '../store/ports/delivery-store.js';
import type { AccountStore } from '../store/ports/account-store.js';

/** One attempt at one delivery: what the worker loaded after its claim. */
export type Attempt = { post: Post; delivery: Delivery; account: Account; platform: Platform; startedAt: number };

/** What publishing an attempt uses (a part of the DeliveryWorker's dependencies). */
export interface PublishDeps {
  /** The attempt's progress, and credentials a platform refreshed or a new key sealed. */
  store: Pick<DeliveryStore, 'saveProgress'> & Pick<AccountStore, 'updateAccountCredentials'>;
  box: CredentialBox;
  loadMedia: MediaLoader;
  /** The attachments in the version that fits a platform, with URLs it can fetch. */
  media?: { forPlatform(media: readonly ResolvedMedia[], limits: ImageLimits): Promise<ResolvedMedia[]> } | undefined;
  clock: Clock;
  log: Logger;
}

/**
 * Publishes the delivery: one post, or a thread part by part from the first one not yet
 * published (`delivery.chain`), each part a reply to the one before. Each part has its own key
 * (`dlv_…`, `dlv_….1`, …); the chain is saved after each part, so a retry resumes and never
 * repeats one. When the last attempt's outcome is unknown, the platform is asked first.
 */
export async function publishAttempt(
  deps: PublishDeps,
  owner: string,
  attempt: Attempt,
  uncertain: boolean,
  signal: AbortSignal,
): Promise<PublishResult> {
  const { box, store, clock } = deps;
  const { post, delivery, account, platform } = attempt;
  const { value: credentials, stale } = box.unseal(account.id, account.credentials);
  if (stale) await reseal(deps, account, credentials);
  const content = await fitMedia(deps, resolveContent(post, delivery.platform), platform, {
    account,
    credentials,
    signal,
  });
  const parts = delivery.parts;
  const chain = [...(delivery.chain ?? [])];
  let checkpoint = delivery.checkpoint;
  const save = async (progress: DeliveryProgress) => {
    if (!(await store.saveProgress(delivery.id, owner, progress, clock()))) {
      throw new Error('lease lost while publishing; the next attempt resumes');
    }
  };
  const first = chain.length;
  const total = parts?.length ?? 1;
  for (let n = first; n < total; n++) {
    const key = n === 0 ? delivery.id : `${delivery.id}.${n}`;
    const root = chain[0];
    const parent = chain[n - 1];
    const input: PublishInput = {
      deliveryId: delivery.id,
      key,
      content: !parts
        ? content
        : n === 0
          ? { ...content, text: parts[0] ?? '' }
          : { ...content, text: parts[n] ?? '', media: [] },
      replyTo: root && parent ? { root, parent } : undefined,
      account,
      credentials,
      saveCredentials: (c) => store.updateAccountCredentials(account.id, box.seal(account.id, c), clock()),
      checkpoint: checkpoint?.key === key ? checkpoint.data : undefined,
      saveCheckpoint: async (data) => {
        checkpoint = { key, data };
        await save({ checkpoint });
      },
      loadMedia: deps.loadMedia,
      signal,
    };
    // A previous attempt may have reached the platform before its worker died: look first.
    const found = uncertain && n === first ? await platform.reconcile(input) : null;
    const result = found ?? (await platform.publish(input));
    chain.push({ remoteId: result.remoteId, url: result.url, ...(result.cid ? { cid: result.cid } : {}) });
    if (parts) await save({ chain, checkpoint: null });
  }
  const head = chain[0];
  if (!head) throw new Error('nothing was published');
  return head;
}

/**
 * Credentials that only a previous HAYON_SECRET_KEY opens are stored again sealed with the
 * current one. Only while the stored value is still the one we opened: a session another
 * worker refreshed meanwhile is newer and stays. A failure here is logged and the publish goes on.
 */
async function reseal(deps: PublishDeps, account: Account, credentials: Record<string, unknown>): Promise<void> {
  const { box, store, clock, log } = deps;
  try {
    await store.updateAccountCredentials(account.id, box.seal(account.id, credentials), clock(), account.credentials);
    log.info({ accountId: account.id }, 'credentials sealed with the current key');
  } catch (err) {
    log.warn({ err, accountId: account.id }, 'credentials could not be sealed with the current key');
  }
}

/** Stored attachments in the version within the platform's limits, made once and kept. */
async function fitMedia(
  deps: PublishDeps,
  content: ResolvedContent,
  platform: Platform,
  ctx: AccountContext,
): Promise<ResolvedContent> {
  const { media } = deps;
  if (!media || !content.media.some((m) => m.key)) return content;
  return { ...content, media: await media.forPlatform(content.media, await platform.imageLimits(ctx)) };
}
