import type { CallbackEvent } from '../../core/callback-event.js';
import type { Clock } from '../../core/clock.js';
import type { Callback } from '../../core/hook.js';
import { type DeliveryEvent, deliveryEventId as eventId, type Notifier } from '../notifier.js';
import type { Account, Delivery, Post } from '../../core/post.js';
import { toDeliveryView, toPostView } from '../../core/post-view.js';
import type { AccountStore } from '../../store/ports/account-store.js';
import type { CallbackStore } from '../../store/ports/callback-store.js';
import type { PostStore } from '../../store/ports/post-store.js';

/** States a delivery leaves only by an operator's hand (a revived parked delivery). */
const finalStates: readonly Delivery['state'][] = ['published', 'failed', 'cancelled'];

/**
 * Turns delivery outcomes of posts that have a `callbackUrl` into callbacks in the store's
 * outbox (the CallbackSender POSTs them): one per outcome, then `post.finished` once every
 * delivery is published, failed or cancelled. Storing first means a restart or a receiver that
 * is down loses nothing; deterministic ids mean two workers finishing a post's last two
 * deliveries together store one summary.
 */
export class CallbackNotifier implements Notifier {
  constructor(
    private readonly deps: {
      /** The outbox, and the post and accounts an event's payload describes. */
      store: CallbackStore & PostStore & AccountStore;
      clock: Clock;
      /** Told when a callback was stored, so the sender can go at once. */
      onAdded?: () => void;
    },
  ) {}

  async notify(event: DeliveryEvent): Promise<void> {
    const { post, delivery } = event;
    if (!post.callbackUrl) return;
    const { store, clock } = this.deps;
    const accounts = await store.listAccounts(post.workspaceId);
    const handle = accounts.find((a) => a.id === delivery.accountId)?.handle;
    const now = clock();
    const common = { id: eventId(event), createdAt: new Date(now).toISOString(), ...this.#about(post) };
    const view = toDeliveryView(delivery, handle);
    const body: CallbackEvent =
      event.kind === 'published'
        ? { ...common, type: 'delivery.published', delivery: view }
        : event.kind === 'retrying'
          ? {
              ...common,
              type: 'delivery.retrying',
              delivery: view,
              reason: event.reason,
              nextAttemptAt: new Date(event.nextAttemptAt).toISOString(),
            }
          : { ...common, type: 'delivery.failed', delivery: view, reason: event.reason };
    const added = await this.#add(post, body);
    const finished = await this.#finishIfDone(post.id, accounts);
    if (added || finished) this.deps.onAdded?.();
  }

  /** After a cancel: the post may be done now, with no delivery event to say so. */
  async afterCancel(post: Post): Promise<void> {
    if (post.callbackUrl && (await this.#finishIfDone(post.id))) this.deps.onAdded?.();
  }

  /** Stores `post.finished` once every delivery is published, failed or cancelled. */
  async #finishIfDone(postId: string, known?: Account[]): Promise<boolean> {
    const { store, clock } = this.deps;
    const current = await store.getPost(postId);
    if (!current?.deliveries.every((d) => finalStates.includes(d.state))) return false;
    const { post } = current;
    const now = clock();
    const accounts = known ?? (await store.listAccounts(post.workspaceId));
    return this.#add(post, {
      id: `${post.id}.finished`,
      createdAt: new Date(now).toISOString(),
      ...this.#about(post),
      type: 'post.finished',
      post: toPostView(current, now, accounts),
    });
  }

  #about(post: Post) {
    return {
      postId: post.id,
      correlationId: post.correlationId,
      ...(post.origin.kind === 'webhook' ? { hookId: post.origin.hookId } : {}),
    };
  }

  #add(post: Post, body: CallbackEvent): Promise<boolean> {
    const now = this.deps.clock();
    const callback: Callback = {
      id: body.id,
      postId: post.id,
      workspaceId: post.workspaceId,
      url: post.callbackUrl as string,
      body: JSON.stringify(body),
      signer: post.origin.kind === 'webhook' ? { kind: 'hook', hookId: post.origin.hookId } : { kind: 'workspace' },
      state: 'pending',
      attempts: 0,
      dueAt: now,
      createdAt: now,
      updatedAt: now,
    };
    return this.deps.store.addCallback(callback);
  }
}
