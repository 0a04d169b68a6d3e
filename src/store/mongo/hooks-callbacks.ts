import { type Connection, type Model, Schema } from 'mongoose';
import type { Callback, CallbackOutcome, Hook, HookPatch } from '../../core/hook.js';
import { isDuplicateKey } from './errors.js';
import { byDueThenId, finishUpdate, leaseEach, nextDueAt, outboxFields, takeableAt } from './outbox-lease.js';

interface HookDoc {
  _id: string;
  workspaceId: string;
  createdAt: Date;
  /** The whole hook as the domain has it: nothing queries inside it. */
  hook: Hook;
}

interface CallbackDoc {
  _id: string;
  postId: string;
  workspaceId: string;
  url: string;
  body: string;
  signer: Callback['signer'];
  state: Callback['state'];
  attempts: number;
  dueAt: Date;
  leaseUntil?: Date;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false } as const;
const str = { type: String, required: true } as const;
const date = { type: Date, required: true } as const;

const hookSchema = new Schema<HookDoc>(
  { _id: str, workspaceId: str, createdAt: date, hook: { type: Schema.Types.Mixed, required: true } },
  options,
);
hookSchema.index({ workspaceId: 1, createdAt: 1 });

const callbackSchema = new Schema<CallbackDoc>(
  {
    _id: str,
    postId: str,
    workspaceId: str,
    url: str,
    body: str,
    signer: { type: Schema.Types.Mixed, required: true },
    state: str,
    attempts: { type: Number, required: true },
    dueAt: date,
    leaseUntil: Date,
    lastError: String,
    createdAt: date,
    updatedAt: date,
  },
  options,
);
// takeDueCallbacks (pending by due, sending by lease) and listCallbacks.
callbackSchema.index({ state: 1, dueAt: 1 });
callbackSchema.index({ state: 1, leaseUntil: 1 });
callbackSchema.index({ postId: 1, createdAt: 1 });

function toCallback(doc: CallbackDoc): Callback {
  return {
    id: doc._id,
    postId: doc.postId,
    workspaceId: doc.workspaceId,
    url: doc.url,
    body: doc.body,
    signer: doc.signer,
    state: doc.state,
    ...outboxFields(doc),
  };
}

/**
 * Hooks and the callback outbox on the Mongo store's connection. A callback changes state by one
 * conditional update on its `_id` (atomic), so two senders never take the same one.
 */
export class MongoHooksCallbacks {
  readonly hooks: Model<HookDoc>;
  readonly callbacks: Model<CallbackDoc>;

  constructor(connection: Connection) {
    this.hooks = connection.model<HookDoc>('Hook', hookSchema, 'hooks');
    this.callbacks = connection.model<CallbackDoc>('Callback', callbackSchema, 'callbacks');
  }

  async init(): Promise<void> {
    await Promise.all([this.hooks.createIndexes(), this.callbacks.createIndexes()]);
  }

  async createHook(hook: Hook): Promise<void> {
    await this.hooks.create({ _id: hook.id, workspaceId: hook.workspaceId, createdAt: new Date(hook.createdAt), hook });
  }

  async getHook(id: string): Promise<Hook | null> {
    const doc = await this.hooks.findById(id).lean<HookDoc>();
    return doc ? doc.hook : null;
  }

  async listHooks(workspaceId: string): Promise<Hook[]> {
    const docs = await this.hooks.find({ workspaceId }).sort({ createdAt: 1, _id: 1 }).lean<HookDoc[]>();
    return docs.map((d) => d.hook);
  }

  async updateHook(id: string, patch: HookPatch, at: number): Promise<Hook | null> {
    const $set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) $set[`hook.${key}`] = value;
    if (Object.keys(patch).some((k) => k !== 'lastUsedAt')) $set['hook.updatedAt'] = at;
    const doc = await this.hooks.findOneAndUpdate({ _id: id }, { $set }, { returnDocument: 'after' }).lean<HookDoc>();
    return doc ? doc.hook : null;
  }

  async deleteHook(id: string): Promise<boolean> {
    return (await this.hooks.deleteOne({ _id: id })).deletedCount > 0;
  }

  async addCallback(c: Callback): Promise<boolean> {
    try {
      await this.callbacks.create({
        _id: c.id,
        postId: c.postId,
        workspaceId: c.workspaceId,
        url: c.url,
        body: c.body,
        signer: c.signer,
        state: c.state,
        attempts: c.attempts,
        dueAt: new Date(c.dueAt),
        ...(c.leaseUntil !== undefined ? { leaseUntil: new Date(c.leaseUntil) } : {}),
        ...(c.lastError !== undefined ? { lastError: c.lastError } : {}),
        createdAt: new Date(c.createdAt),
        updatedAt: new Date(c.updatedAt),
      });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async takeDueCallbacks(now: number, leaseUntil: number, limit: number): Promise<Callback[]> {
    const { due, lapsed } = takeableAt<CallbackDoc>(new Date(now));
    // One state per query: an equality every server can use without a scan.
    const candidates = [
      ...(await this.callbacks.find(due).sort({ dueAt: 1, _id: 1 }).limit(limit).select({ _id: 1 }).lean()),
      ...(await this.callbacks.find(lapsed).limit(limit).select({ _id: 1 }).lean()),
    ].slice(0, limit);
    const docs = await leaseEach(
      this.callbacks,
      candidates.map(({ _id }) => _id),
      now,
      leaseUntil,
    );
    return docs.map(toCallback).sort(byDueThenId);
  }

  async finishCallback(id: string, outcome: CallbackOutcome, at: number): Promise<void> {
    await this.callbacks.updateOne({ _id: id }, finishUpdate(outcome, at));
  }

  async listCallbacks(postId: string): Promise<Callback[]> {
    const docs = await this.callbacks.find({ postId }).sort({ createdAt: 1, _id: 1 }).lean<CallbackDoc[]>();
    return docs.map(toCallback);
  }

  async nextCallbackDueAt(): Promise<number | null> {
    return nextDueAt(this.callbacks);
  }
}
