import type { ChatApp, ChatMessage, ChatRequest } from '../../core/chat-message.js';
import type { Clock } from '../../core/clock.js';
import type { ChatOutboxStore } from '../../store/ports/chat-outbox-store.js';

/** What a notifier gives to send; the outbox adds the state, the times and the thread's seq. */
export interface ChatItem {
  id: string;
  chat: ChatApp;
  thread: string;
  workspaceId: string;
  postId?: string | undefined;
  request: ChatRequest;
}

/**
 * Where the chat notifiers and alerts put what they send: the store's chat outbox, which the
 * ChatSender sends. Stored before the worker acks its message, so a worker killed after
 * publishing leaves its replies here for the next sender.
 */
export class ChatOutbox {
  constructor(
    private readonly deps: {
      store: ChatOutboxStore;
      clock: Clock;
      /** Told when a message was stored, so the sender can go at once. */
      onAdded?: (() => void) | undefined;
    },
  ) {}

  /** Stores the items in order (one thread's items in the order given). */
  async add(...items: ChatItem[]): Promise<void> {
    let added = false;
    for (const item of items) {
      const now = this.deps.clock();
      const message: ChatMessage = {
        ...item,
        seq: 0,
        state: 'pending',
        attempts: 0,
        dueAt: now,
        createdAt: now,
        updatedAt: now,
      };
      if (await this.deps.store.addChatMessage(message)) added = true;
    }
    if (added) this.deps.onAdded?.();
  }
}
