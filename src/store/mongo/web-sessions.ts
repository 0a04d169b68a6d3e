import { type Connection, type Model, Schema } from 'mongoose';
import type { WebLoginLink, WebSessionRecord, WebSessionStore } from '../ports/web-session-store.js';

interface WebLoginDoc {
  _id: string;
  expiresAt: Date;
  usedAt: number | null;
  link: WebLoginLink;
}

interface WebSessionDoc {
  _id: string;
  expiresAt: Date;
  lastSeenAt: number;
  session: WebSessionRecord;
}

const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false } as const;
const mixed = { type: Schema.Types.Mixed, required: true } as const;
const day = 86_400_000;

// No index besides _id: both collections stay small (expired documents go on each insert).
const loginSchema = new Schema<WebLoginDoc>(
  { _id: { type: String, required: true }, expiresAt: { type: Date, required: true }, usedAt: Number, link: mixed },
  options,
);
const sessionSchema = new Schema<WebSessionDoc>(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    lastSeenAt: { type: Number, required: true },
    session: mixed,
  },
  options,
);

/**
 * Web sign-in links and sessions on the Mongo store's connection, by the SHA-256 of their
 * secret. Single use is one conditional `findOneAndUpdate` on `usedAt: null`.
 */
export class MongoWebSessions implements WebSessionStore {
  private readonly logins: Model<WebLoginDoc>;
  private readonly sessions: Model<WebSessionDoc>;

  constructor(connection: Connection) {
    this.logins = connection.model<WebLoginDoc>('WebLogin', loginSchema, 'web_logins');
    this.sessions = connection.model<WebSessionDoc>('WebSession', sessionSchema, 'web_sessions');
  }

  async putWebLogin(link: WebLoginLink): Promise<void> {
    await this.logins.deleteMany({ expiresAt: { $lt: new Date(link.createdAt - day) } });
    await this.logins.create({ _id: link.hash, expiresAt: new Date(link.expiresAt), usedAt: null, link });
  }

  async useWebLogin(hash: string, at: number): Promise<{ link: WebLoginLink; firstUse: boolean } | null> {
    const first = await this.logins
      .findOneAndUpdate({ _id: hash, usedAt: null }, { $set: { usedAt: at } })
      .lean<WebLoginDoc>();
    if (first) return { link: first.link, firstUse: true };
    const doc = await this.logins.findById(hash).lean<WebLoginDoc>();
    return doc ? { link: { ...doc.link, usedAt: doc.usedAt ?? undefined }, firstUse: false } : null;
  }

  async putWebSession(session: WebSessionRecord): Promise<void> {
    await this.sessions.deleteMany({ expiresAt: { $lt: new Date(session.createdAt) } });
    await this.sessions.create({
      _id: session.hash,
      expiresAt: new Date(session.expiresAt),
      lastSeenAt: session.lastSeenAt,
      session,
    });
  }

  async getWebSession(hash: string): Promise<WebSessionRecord | null> {
    const doc = await this.sessions.findById(hash).lean<WebSessionDoc>();
    return doc ? { ...doc.session, lastSeenAt: doc.lastSeenAt } : null;
  }

  async touchWebSession(hash: string, at: number): Promise<void> {
    await this.sessions.updateOne({ _id: hash }, { $set: { lastSeenAt: at } });
  }

  async deleteWebSession(hash: string): Promise<boolean> {
    const result = await this.sessions.deleteOne({ _id: hash });
    return result.deletedCount > 0;
  }
}
