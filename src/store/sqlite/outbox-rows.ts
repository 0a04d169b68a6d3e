/** The columns every store outbox (callbacks, chat messages) keeps for its lease and retries. */
export interface OutboxRow {
  attempts: number;
  due_at: number;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** The lease and retry fields of an item as the domain has them (null columns become absent). */
export function outboxFields(row: OutboxRow) {
  return {
    attempts: row.attempts,
    dueAt: row.due_at,
    ...(row.lease_until !== null ? { leaseUntil: row.lease_until } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Taken items in the order they are sent: earliest due first, then by id. */
export function byDueThenId(a: { dueAt: number; id: string }, b: { dueAt: number; id: string }): number {
  return a.dueAt - b.dueAt || a.id.localeCompare(b.id);
}
