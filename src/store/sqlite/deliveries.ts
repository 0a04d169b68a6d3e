import type Database from 'better-sqlite3';
import type { Delivery } from '../../core/post.js';
import type { AttemptOutcome, Claim, DeliveryProgress } from '../ports/delivery-store.js';
import { type DeliveryRow, json, toDelivery } from './rows.js';

const clearLease = 'lease_owner = NULL, lease_expires_at = NULL';

/**
 * The delivery lifecycle on the SQLite store's connection: taking due deliveries, claiming them
 * under a lease, recording progress and the outcome of each attempt. Each state change is one
 * conditional UPDATE, which keeps several processes sharing the file (WAL) safe.
 */
export class SqliteDeliveries {
  constructor(private readonly sql: (source: string) => Database.Statement) {}

  reviveDelivery(id: string, now: number, to: 'queued' | 'scheduled' = 'queued'): boolean {
    return (
      this.sql(
        `UPDATE deliveries SET state = ?, attempts = 0, due_at = ?, updated_at = ? WHERE id = ? AND state = 'failed'`,
      ).run(to, now, now, id).changes === 1
    );
  }

  getDelivery(id: string): Delivery | null {
    const row = this.sql('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
    return row ? toDelivery(row) : null;
  }

  takeDue(now: number, limit: number): Delivery[] {
    const rows = this.sql(
      `UPDATE deliveries SET state = 'queued', updated_at = @now
       WHERE state = 'scheduled' AND due_at <= @now AND id IN (
         SELECT id FROM deliveries WHERE state = 'scheduled' AND due_at <= @now ORDER BY due_at, id LIMIT @limit)
       RETURNING *`,
    ).all({ now, limit }) as DeliveryRow[];
    return sortByDue(rows).map(toDelivery);
  }

  takeDueByIds(ids: readonly string[], now: number): Delivery[] {
    if (ids.length === 0) return [];
    const rows = this.sql(
      `UPDATE deliveries SET state = 'queued', updated_at = @now
       WHERE state = 'scheduled' AND due_at <= @now AND id IN (SELECT value FROM json_each(@ids))
       RETURNING *`,
    ).all({ now, ids: JSON.stringify(ids) }) as DeliveryRow[];
    return sortByDue(rows).map(toDelivery);
  }

  nextDueAt(): number | null {
    const row = this.sql(`SELECT MIN(due_at) AS due FROM deliveries WHERE state = 'scheduled'`).get() as {
      due: number | null;
    };
    return row.due;
  }

  claim(id: string, owner: string, now: number, leaseUntil: number): Claim | null {
    // Two compare-and-sets rather than one, so that we know which state the claim came from.
    const set = `UPDATE deliveries SET state = 'publishing', attempts = attempts + 1,
      lease_owner = @owner, lease_expires_at = @leaseUntil, updated_at = @now`;
    const params = { id, owner, now, leaseUntil };
    const queued = this.sql(`${set} WHERE id = @id AND state = 'queued' AND due_at <= @now RETURNING *`).get(params);
    if (queued) return { delivery: toDelivery(queued as DeliveryRow), from: 'queued' };
    const unknown = this.sql(`${set} WHERE id = @id AND state = 'unknown' RETURNING *`).get(params);
    if (unknown) return { delivery: toDelivery(unknown as DeliveryRow), from: 'unknown' };
    return null;
  }

  renewLease(id: string, owner: string, leaseUntil: number): boolean {
    return (
      this.sql(
        `UPDATE deliveries SET lease_expires_at = ? WHERE id = ? AND state = 'publishing' AND lease_owner = ?`,
      ).run(leaseUntil, id, owner).changes === 1
    );
  }

  saveProgress(id: string, owner: string, progress: DeliveryProgress, at: number): boolean {
    const sets = ['updated_at = @at'];
    if (progress.chain) sets.push('chain = @chain');
    if (progress.checkpoint !== undefined) sets.push('checkpoint = @checkpoint');
    const changes = this.sql(
      `UPDATE deliveries SET ${sets.join(', ')} WHERE id = @id AND state = 'publishing' AND lease_owner = @owner`,
    ).run({
      id,
      owner,
      at,
      chain: json(progress.chain),
      checkpoint: progress.checkpoint ? JSON.stringify(progress.checkpoint) : null,
    }).changes;
    return changes === 1;
  }

  finishAttempt(id: string, owner: string, outcome: AttemptOutcome, at: number): boolean {
    const where = `WHERE id = @id AND state = 'publishing' AND lease_owner = @owner`;
    const base = { id, owner, at };
    let changes: number;
    if (outcome.kind === 'published') {
      changes = this.sql(
        `UPDATE deliveries SET state = 'published', result = @result, published_at = @publishedAt,
         ${clearLease}, updated_at = @at ${where}`,
      ).run({ ...base, result: JSON.stringify(outcome.result), publishedAt: outcome.at }).changes;
    } else if (outcome.kind === 'retry') {
      changes = this.sql(
        `UPDATE deliveries SET state = @state, due_at = @dueAt, last_error = @error, attempts = attempts - @refund,
         ${clearLease}, updated_at = @at ${where}`,
      ).run({
        ...base,
        state: outcome.state,
        dueAt: outcome.dueAt,
        error: JSON.stringify(outcome.error),
        refund: outcome.refundAttempt ? 1 : 0,
      }).changes;
    } else {
      changes = this.sql(
        `UPDATE deliveries SET state = 'failed', last_error = @error, ${clearLease}, updated_at = @at ${where}`,
      ).run({ ...base, error: JSON.stringify(outcome.error) }).changes;
    }
    return changes === 1;
  }

  expireLeases(now: number, limit: number): Delivery[] {
    const rows = this.sql(
      `UPDATE deliveries SET state = 'unknown', ${clearLease}, due_at = @now, updated_at = @now
       WHERE state = 'publishing' AND lease_expires_at < @now AND id IN (
         SELECT id FROM deliveries WHERE state = 'publishing' AND lease_expires_at < @now
         ORDER BY lease_expires_at, id LIMIT @limit)
       RETURNING *`,
    ).all({ now, limit }) as DeliveryRow[];
    return sortByDue(rows).map(toDelivery);
  }

  takeStranded(state: 'queued' | 'unknown', olderThan: number, now: number, limit: number): Delivery[] {
    const rows = this.sql(
      `UPDATE deliveries SET due_at = @now, updated_at = @now
       WHERE state = @state AND due_at < @olderThan AND id IN (
         SELECT id FROM deliveries WHERE state = @state AND due_at < @olderThan
         ORDER BY due_at, id LIMIT @limit)
       RETURNING *`,
    ).all({ state, olderThan, now, limit }) as DeliveryRow[];
    return rows.map(toDelivery).sort((a, b) => a.id.localeCompare(b.id));
  }
}

/** RETURNING gives rows in no promised order. */
function sortByDue(rows: DeliveryRow[]): DeliveryRow[] {
  return rows.sort((a, b) => a.due_at - b.due_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
