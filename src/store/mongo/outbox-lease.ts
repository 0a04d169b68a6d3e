import type { Model, QueryFilter } from 'mongoose';

/** The fields every store outbox (callbacks, chat messages) keeps for its lease and retries. */
export interface OutboxDoc {
  _id: string;
  state: string;
  attempts: number;
  dueAt: Date;
  leaseUntil?: Date;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An outbox item that can be taken at `at`: pending and due, or being sent under a lapsed lease. */
export function takeableAt<D extends OutboxDoc>(at: Date): { due: QueryFilter<D>; lapsed: QueryFilter<D> } {
  return {
    due: { state: 'pending', dueAt: { $lte: at } } as QueryFilter<D>,
    lapsed: { state: 'sending', leaseUntil: { $lt: at } } as QueryFilter<D>,
  };
}

/**
 * Takes each candidate by one conditional update on its `_id` (atomic, so two senders never take
 * the same one); a candidate another sender took first is left out.
 */
export async function leaseEach<D extends OutboxDoc>(
  model: Model<D>,
  ids: readonly string[],
  now: number,
  leaseUntil: number,
): Promise<D[]> {
  const at = new Date(now);
  const { due, lapsed } = takeableAt<D>(at);
  const update = {
    $set: { state: 'sending', leaseUntil: new Date(leaseUntil), updatedAt: at },
    $inc: { attempts: 1 },
  };
  const docs: (D | null)[] = await Promise.all(
    ids.map((_id) =>
      model
        .findOneAndUpdate({ _id, $or: [due, lapsed] } as QueryFilter<D>, update, { returnDocument: 'after' })
        .lean<D>(),
    ),
  );
  return docs.filter((d): d is D => d !== null);
}

/** Taken items in the order they are sent: earliest due first, then by id. */
export function byDueThenId(a: { dueAt: number; id: string }, b: { dueAt: number; id: string }): number {
  return a.dueAt - b.dueAt || a.id.localeCompare(b.id);
}

/** How an item's send ended: sent, tried again at `dueAt`, or given up for good (`failed`, `dropped`). */
export type OutboxOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; dueAt: number; error: string }
  | { kind: 'failed' | 'dropped'; error: string };

/** The update that records an outcome and gives the lease back. */
export function finishUpdate(outcome: OutboxOutcome, at: number) {
  const updatedAt = new Date(at);
  if (outcome.kind === 'sent') return { $set: { state: 'sent', updatedAt }, $unset: { leaseUntil: 1, lastError: 1 } };
  if (outcome.kind === 'retry') {
    return {
      $set: { state: 'pending', dueAt: new Date(outcome.dueAt), lastError: outcome.error, updatedAt },
      $unset: { leaseUntil: 1 },
    };
  }
  return { $set: { state: outcome.kind, lastError: outcome.error, updatedAt }, $unset: { leaseUntil: 1 } };
}

/** The earliest due time among pending items, or null. */
export async function nextDueAt<D extends OutboxDoc>(model: Model<D>): Promise<number | null> {
  const doc = await model
    .findOne({ state: 'pending' } as QueryFilter<D>)
    .sort({ dueAt: 1 })
    .select({ dueAt: 1 })
    .lean<Pick<OutboxDoc, 'dueAt'>>();
  return doc ? doc.dueAt.getTime() : null;
}

/** The lease and retry fields of an item as the domain has them (absent when unset). */
export function outboxFields(doc: OutboxDoc) {
  return {
    attempts: doc.attempts,
    dueAt: doc.dueAt.getTime(),
    ...(doc.leaseUntil ? { leaseUntil: doc.leaseUntil.getTime() } : {}),
    ...(doc.lastError !== undefined ? { lastError: doc.lastError } : {}),
    createdAt: doc.createdAt.getTime(),
    updatedAt: doc.updatedAt.getTime(),
  };
}
