import { type Connection, type Model, Schema } from 'mongoose';
import type { ChatMessage, ChatMessageOutcome } from '../../core/chat-message.js';
import { isDuplicateKey } from './errors.js';
import { byDueThenId, finishUpdate, leaseEach, nextDueAt, outboxFields, takeableAt } from './outbox-lease.js';

interface ChatDoc {
  _id: string;
  chat: ChatMessage['chat'];
  thread: string;
  seq: number;
  workspaceId: string;
  postId?: string;
  request: ChatMessage['request'];
  state: ChatMessage['state'];
  attempts: number;
  dueAt: Date;
  leaseUntil?: Date;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A thread's last `seq`: one document per thread, incremented atomically. */
interface ThreadDoc {
  _id: string;
  seq: number;
}

const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false } as const;
const str = { type: String, required: true } as const;
const num = { type: Number, required: true } as const;
const date = { type: Date, required: true } as const;

const chatSchema = new Schema<ChatDoc>(
  {
    _id: str,
    chat: str,
    thread: str,
    seq: num,
    workspaceId: str,
    postId: String,
    request: { type: Schema.Types.Mixed, required: true },
    state: str,
    attempts: num,
    dueAt: date,
    leaseUntil: Date,
    lastError: String,
    createdAt: date,
    updatedAt: date,
  },
  options,
);
chatSchema.index({ thread: 1, seq: 1 }, { unique: true });
chatSchema.index({ state: 1, dueAt: 1 });
chatSchema.index({ state: 1, leaseUntil: 1 });

const threadSchema = new Schema<ThreadDoc>({ _id: str, seq: num }, options);

function toMessage(doc: ChatDoc): ChatMessage {
  return {
    id: doc._id,
    chat: doc.chat,
    thread: doc.thread,
    seq: doc.seq,
    workspaceId: doc.workspaceId,
    ...(doc.postId !== undefined ? { postId: doc.postId } : {}),
    request: doc.request,
    state: doc.state,
    ...outboxFields(doc),
  };
}

/**
 * The chat outbox on the Mongo store's connection. A thread's next `seq` comes from an atomic
 * `$inc` on its counter; a message is taken by one conditional update on its `_id`, and only when
 * no earlier message of its thread is still unsent.
 */
export class MongoChatOutbox {
  readonly messages: Model<ChatDoc>;
  readonly threads: Model<ThreadDoc>;

  constructor(connection: Connection) {
    this.messages = connection.model<ChatDoc>('ChatMessage', chatSchema, 'chat_outbox');
    this.threads = connection.model<ThreadDoc>('ChatThread', threadSchema, 'chat_threads');
  }

  async init(): Promise<void> {
    await Promise.all([this.messages.createIndexes(), this.threads.createIndexes()]);
  }

  async addChatMessage(m: ChatMessage): Promise<boolean> {
    // The unique (thread, seq) index decides between writers of one thread at once: one that finds
    // its seq taken (or two that upsert a new thread's counter together) takes the next one. Only
    // a message with this id already stored is "not added"; a reply must never be lost for a seq.
    for (let attempt = 1; ; attempt++) {
      if (await this.messages.exists({ _id: m.id })) return false;
      try {
        const seq = await this.#nextSeq(m.thread);
        await this.messages.create({
          _id: m.id,
          chat: m.chat,
          thread: m.thread,
          seq,
          workspaceId: m.workspaceId,
          ...(m.postId !== undefined ? { postId: m.postId } : {}),
          request: m.request,
          state: m.state,
          attempts: m.attempts,
          dueAt: new Date(m.dueAt),
          ...(m.lastError !== undefined ? { lastError: m.lastError } : {}),
          createdAt: new Date(m.createdAt),
          updatedAt: new Date(m.updatedAt),
        });
        return true;
      } catch (e) {
        if (!isDuplicateKey(e) || attempt >= 20) throw e;
      }
    }
  }

  /**
   * The thread's next seq: an atomic `$inc` of its counter. A new thread's counter is inserted
   * first rather than upserted: DocumentDB loses increments when several upserts create one
   * document at once (of 30 concurrent upserts of a new counter, as few as 2 counted), while
   * `$inc` on a document that exists is atomic there as on MongoDB.
   */
  async #nextSeq(thread: string): Promise<number> {
    const inc = () =>
      this.threads
        .findOneAndUpdate({ _id: thread }, { $inc: { seq: 1 } }, { returnDocument: 'after' })
        .lean<ThreadDoc>();
    let counter = await inc();
    if (!counter) {
      await this.threads.create({ _id: thread, seq: 0 }).catch((e: unknown) => {
        if (!isDuplicateKey(e)) throw e;
      });
      counter = await inc();
    }
    if (!counter) throw new Error(`chat outbox: the seq counter of thread ${thread} is missing`);
    return counter.seq;
  }

  async takeDueChatMessages(now: number, leaseUntil: number, limit: number): Promise<ChatMessage[]> {
    const { due, lapsed } = takeableAt<ChatDoc>(new Date(now));
    // The first unsent message of each thread (by seq), kept when it is due or its lease lapsed.
    // Not a window of the earliest due messages: a head whose retry was put off sorts after the
    // messages waiting behind it, and a window full of those would never reach it.
    const heads = await this.messages.aggregate<{ _id: string; id: string }>([
      { $match: { state: { $in: ['pending', 'sending'] } } },
      { $sort: { thread: 1, seq: 1 } },
      {
        $group: {
          _id: '$thread',
          id: { $first: '$_id' },
          seq: { $first: '$seq' },
          state: { $first: '$state' },
          dueAt: { $first: '$dueAt' },
          leaseUntil: { $first: '$leaseUntil' },
        },
      },
      { $match: { $or: [due, lapsed] } },
      { $sort: { dueAt: 1, seq: 1 } },
      { $limit: limit },
    ]);
    const docs = await leaseEach(
      this.messages,
      heads.map(({ id }) => id),
      now,
      leaseUntil,
    );
    return docs.map(toMessage).sort(byDueThenId);
  }

  async finishChatMessage(id: string, outcome: ChatMessageOutcome, at: number): Promise<void> {
    await this.messages.updateOne({ _id: id }, finishUpdate(outcome, at));
  }

  async listChatMessages(thread: string): Promise<ChatMessage[]> {
    return (await this.messages.find({ thread }).sort({ seq: 1 }).lean<ChatDoc[]>()).map(toMessage);
  }

  async nextChatMessageDueAt(): Promise<number | null> {
    return nextDueAt(this.messages);
  }
}
