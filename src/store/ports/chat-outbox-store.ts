import type { ChatMessage, ChatMessageOutcome } from '../../core/chat-message.js';

/**
 * The chat outbox: thread replies, summary edits and alerts to send to Slack or Discord, taken
 * under a lease as callbacks are, and in order per thread.
 */
export interface ChatOutboxStore {
  /**
   * Stores a message to send, with the next `seq` of its thread (the given one is ignored);
   * false, and nothing written, when one with its id exists.
   */
  addChatMessage(message: ChatMessage): Promise<boolean>;
  /**
   * Atomically takes up to `limit` messages that are `pending` and due, or `sending` under a lease
   * that ran out before `now`, and that are the first unsent (`pending` or `sending`) of their
   * thread: each becomes `sending` until `leaseUntil`, attempts + 1. Two senders never get the
   * same message, and a thread's later message never goes before its earlier one.
   */
  takeDueChatMessages(now: number, leaseUntil: number, limit: number): Promise<ChatMessage[]>;
  /** Records an attempt: `sent`, back to `pending` at `dueAt`, or `dropped` for good. */
  finishChatMessage(id: string, outcome: ChatMessageOutcome, at: number): Promise<void>;
  /** A thread's messages in order, whatever their state (tests, the fault suite). */
  listChatMessages(thread: string): Promise<ChatMessage[]>;
  /** The earliest `dueAt` among pending messages, or null. */
  nextChatMessageDueAt(): Promise<number | null>;
}
