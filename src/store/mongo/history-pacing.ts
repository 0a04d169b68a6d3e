import { type Connection, type Model, Schema } from 'mongoose';
import type { AttemptRecord, DeliveryBreakdownRow } from '../../core/history.js';
import type { PaceLedger } from '../../core/pacing.js';
import type { DeliveryState, PlatformId } from '../../core/post.js';
import { isDuplicateKey } from './errors.js';
import type { Models } from './schemas.js';

interface AttemptDoc {
  _id: string;
  postId: string;
  startedAt: number;
  record: AttemptRecord;
}

interface PacingDoc {
  _id: string;
  version: number;
  /** The ledger's `spent` as JSON (the stored format since the first version of this store). */
  spent: string;
}

const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false } as const;
const str = { type: String, required: true } as const;
const num = { type: Number, required: true } as const;
const mixed = { type: Schema.Types.Mixed, required: true } as const;

const attemptSchema = new Schema<AttemptDoc>({ _id: str, postId: str, startedAt: num, record: mixed }, options);
attemptSchema.index({ postId: 1, startedAt: 1 });
const pacingSchema = new Schema<PacingDoc>({ _id: str, version: num, spent: str }, options);

const passing = new Set(['transient', 'rate_limited', 'internal']);
const openStates = new Set<string>(['scheduled', 'queued', 'publishing', 'unknown']);

/**
 * Attempt history, the per-platform breakdown and pacing ledgers on the Mongo store's connection.
 * A ledger's compare-and-set is an insert refused by `_id` for the first version, then one atomic
 * update on `{ _id, version }`.
 */
export class MongoHistoryPacing {
  readonly attempts: Model<AttemptDoc>;
  readonly pacing: Model<PacingDoc>;

  constructor(
    connection: Connection,
    private readonly models: Pick<Models, 'deliveries'>,
  ) {
    this.attempts = connection.model<AttemptDoc>('Attempt', attemptSchema, 'attempts');
    this.pacing = connection.model<PacingDoc>('Pacing', pacingSchema, 'pacing');
  }

  async init(): Promise<void> {
    await Promise.all([this.attempts.createIndexes(), this.pacing.createIndexes()]);
  }

  /**
   * A post's records: each delivery keeps its own (finishAttempt pushes them), and the
   * `attempts` collection holds those written before that, one document each.
   */
  async listAttemptRecords(postId: string): Promise<AttemptRecord[]> {
    const [deliveries, older] = await Promise.all([
      this.models.deliveries.find({ postId }, { history: 1 }).lean<{ history?: AttemptRecord[] }[]>(),
      this.attempts.find({ postId }).lean<AttemptDoc[]>(),
    ]);
    const records = [...older.map((d) => d.record), ...deliveries.flatMap((d) => d.history ?? [])];
    return records.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async deliveryBreakdown(): Promise<DeliveryBreakdownRow[]> {
    // Counts by group, then the oldest of each open group by an indexed sort (a handful of
    // queries: one per platform and open state).
    const rows = await this.models.deliveries.aggregate<{
      _id: { platform: PlatformId; state: DeliveryState; kind?: string | null };
      n: number;
    }>([{ $group: { _id: { platform: '$platform', state: '$state', kind: '$lastError.kind' }, n: { $sum: 1 } } }]);
    const out = new Map<string, DeliveryBreakdownRow>();
    for (const { _id, n } of rows) {
      const state = _id.state === 'failed' && passing.has(_id.kind ?? '') ? 'parked' : _id.state;
      const key = `${_id.platform}\u0000${state}`;
      const row = out.get(key);
      if (row) row.count += n;
      else out.set(key, { platform: _id.platform, state, count: n, oldestDueAt: null });
    }
    const open = [...out.values()].filter((r) => openStates.has(r.state));
    await Promise.all(
      open.map(async (row) => {
        const doc = await this.models.deliveries
          .findOne({ state: row.state as DeliveryState, platform: row.platform }, { dueAt: 1 })
          .sort({ dueAt: 1 })
          .lean();
        row.oldestDueAt = doc ? doc.dueAt.getTime() : null;
      }),
    );
    return [...out.values()].sort((a, b) => a.platform.localeCompare(b.platform) || a.state.localeCompare(b.state));
  }

  async getPacing(accountId: string): Promise<PaceLedger | null> {
    const doc = await this.pacing.findById(accountId).lean<PacingDoc>();
    return doc ? { accountId, version: doc.version, spent: JSON.parse(doc.spent) as PaceLedger['spent'] } : null;
  }

  async putPacing(ledger: PaceLedger): Promise<boolean> {
    const { accountId: _id, version } = ledger;
    const spent = JSON.stringify(ledger.spent);
    if (version === 1) {
      try {
        await this.pacing.create({ _id, version, spent });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    }
    const result = await this.pacing.updateOne({ _id, version: version - 1 }, { $set: { version, spent } });
    return result.modifiedCount === 1;
  }
}
