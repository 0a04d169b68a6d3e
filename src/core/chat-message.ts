/** The chat app a message goes to. */
export type ChatApp = 'slack' | 'discord';

export type ChatMessageState = 'pending' | 'sending' | 'sent' | 'dropped';

/**
 * What to send: a message with a fixed body (a thread reply, an alert), or the post's status
 * message edited into its summary, which is rendered from the store when it is sent (so an edit
 * that waited through an outage shows the post as it is then, not as it was).
 */
export type ChatRequest =
  | { op: 'post'; channelId: string; body: Record<string, unknown> }
  | { op: 'summary'; channelId: string; messageId: string; postId: string };

/**
 * One message in the chat outbox: kept in the store until Slack or Discord took it, so an outage
 * or a worker killed after publishing delays a reply and never loses it. Messages of one thread
 * (`thread`) go out in the order they were stored (`seq`).
 */
export interface ChatMessage {
  /** Deterministic (the event and where it goes), so one reply is stored once. */
  id: string;
  chat: ChatApp;
  /** The conversation whose order is kept: `slack:C1:1700000000.0001`, `discord:123`. */
  thread: string;
  /** Its place in the thread, given by the store when it is added (1, 2, …). */
  seq: number;
  workspaceId: string;
  postId?: string | undefined;
  request: ChatRequest;
  state: ChatMessageState;
  attempts: number;
  dueAt: number;
  leaseUntil?: number | undefined;
  lastError?: string | undefined;
  createdAt: number;
  updatedAt: number;
}

export type ChatMessageOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; dueAt: number; error: string }
  | { kind: 'dropped'; error: string };
