import type Database from 'better-sqlite3';
import type { ChatMessage, ChatMessageOutcome } from '../../core/chat-message.js';
import { byDueThenId, type OutboxRow, outboxFields } from './outbox-rows.js';

interface ChatRow extends OutboxRow {
  id: string;
  chat: ChatMessage['chat'];
  thread: string;
  seq: number;
  workspace_id: string;
  post_id: string | null;
  request: string;
  state: ChatMessage['state'];
}

function toMessage(row: ChatRow): ChatMessage {
  return {
    id: row.id,
    chat: row.chat,
    thread: row.thread,
    seq: row.seq,
    workspaceId: row.workspace_id,
    ...(row.post_id !== null ? { postId: row.post_id } : {}),
    request: JSON.parse(row.request) as ChatMessage['request'],
    state: row.state,
    ...outboxFields(row),
  };
}

/**
 * The chat outbox on the SQLite store's connection. Adding and taking are one statement each,
 * run under SQLite's write lock: the next `seq` of a thread is read in the INSERT, and a take
 * only sees messages with no earlier unsent one in their thread.
 */
export class SqliteChatOutbox {
  constructor(private readonly sql: (source: string) => Database.Statement) {}

  addChatMessage(m: ChatMessage): boolean {
    const result = this.sql(
      `INSERT INTO chat_outbox (id, chat, thread, seq, workspace_id, post_id, request, state, attempts, due_at,
        lease_until, last_error, created_at, updated_at)
       VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_outbox WHERE thread = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ).run(
      m.id,
      m.chat,
      m.thread,
      m.thread,
      m.workspaceId,
      m.postId ?? null,
      JSON.stringify(m.request),
      m.state,
      m.attempts,
      m.dueAt,
      m.leaseUntil ?? null,
      m.lastError ?? null,
      m.createdAt,
      m.updatedAt,
    );
    return result.changes > 0;
  }

  takeDueChatMessages(now: number, leaseUntil: number, limit: number): ChatMessage[] {
    const rows = this.sql(
      `UPDATE chat_outbox SET state = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
       WHERE id IN (
         SELECT c.id FROM chat_outbox c
         WHERE ((c.state = 'pending' AND c.due_at <= ?) OR (c.state = 'sending' AND c.lease_until < ?))
           AND NOT EXISTS (SELECT 1 FROM chat_outbox e WHERE e.thread = c.thread AND e.seq < c.seq
                           AND e.state IN ('pending', 'sending'))
         ORDER BY c.due_at, c.seq
         LIMIT ?)
       RETURNING *`,
    ).all(leaseUntil, now, now, now, limit) as ChatRow[];
    return rows.map(toMessage).sort(byDueThenId);
  }

  finishChatMessage(id: string, outcome: ChatMessageOutcome, at: number): void {
    if (outcome.kind === 'retry') {
      this.sql(
        "UPDATE chat_outbox SET state = 'pending', due_at = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ?",
      ).run(outcome.dueAt, outcome.error, at, id);
    } else {
      this.sql('UPDATE chat_outbox SET state = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ?').run(
        outcome.kind,
        outcome.kind === 'dropped' ? outcome.error : null,
        at,
        id,
      );
    }
  }

  listChatMessages(thread: string): ChatMessage[] {
    return (this.sql('SELECT * FROM chat_outbox WHERE thread = ? ORDER BY seq').all(thread) as ChatRow[]).map(
      toMessage,
    );
  }

  nextChatMessageDueAt(): number | null {
    const row = this.sql("SELECT MIN(due_at) AS at FROM chat_outbox WHERE state = 'pending'").get() as {
      at: number | null;
    };
    return row.at;
  }
}
