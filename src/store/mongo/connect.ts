import { type Connection, type Model, Schema } from 'mongoose';
import type { ConnectState, OAuthApp } from '../../core/connect.js';
import { isDuplicateKey } from './errors.js';

interface ConnectStateDoc {
  _id: string;
  expiresAt: Date;
  state: ConnectState;
}

interface OAuthAppDoc {
  _id: string;
  app: OAuthApp;
}

const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false } as const;
const mixed = { type: Schema.Types.Mixed, required: true } as const;

const stateSchema = new Schema<ConnectStateDoc>(
  { _id: { type: String, required: true }, expiresAt: { type: Date, required: true }, state: mixed },
  options,
);
stateSchema.index({ expiresAt: 1 });
const appSchema = new Schema<OAuthAppDoc>({ _id: { type: String, required: true }, app: mixed }, options);

/**
 * Connect flows and OAuth clients on the Mongo store's connection. Single use is one
 * `findOneAndDelete` by `_id`: of two callbacks with the same state, one gets it.
 */
export class MongoConnect {
  readonly states: Model<ConnectStateDoc>;
  readonly apps: Model<OAuthAppDoc>;

  constructor(connection: Connection) {
    this.states = connection.model<ConnectStateDoc>('ConnectState', stateSchema, 'connect_states');
    this.apps = connection.model<OAuthAppDoc>('OAuthApp', appSchema, 'oauth_apps');
  }

  async init(): Promise<void> {
    await Promise.all([this.states.createIndexes(), this.apps.createIndexes()]);
  }

  async putConnectState(state: ConnectState): Promise<void> {
    await this.states.deleteMany({ expiresAt: { $lt: new Date(state.createdAt) } });
    await this.states.create({ _id: state.id, expiresAt: new Date(state.expiresAt), state });
  }

  async getConnectState(id: string): Promise<ConnectState | null> {
    const doc = await this.states.findById(id).lean<ConnectStateDoc>();
    return doc ? doc.state : null;
  }

  async updateConnectState(id: string, data: Record<string, unknown>): Promise<boolean> {
    const $set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) $set[`state.data.${key}`] = value;
    const result = await this.states.updateOne({ _id: id }, { $set });
    return result.matchedCount > 0;
  }

  async takeConnectState(id: string): Promise<ConnectState | null> {
    const doc = await this.states.findOneAndDelete({ _id: id }).lean<ConnectStateDoc>();
    return doc ? doc.state : null;
  }

  async getOAuthApp(key: string): Promise<OAuthApp | null> {
    const doc = await this.apps.findById(key).lean<OAuthAppDoc>();
    return doc ? doc.app : null;
  }

  async listOAuthApps(): Promise<OAuthApp[]> {
    const docs = await this.apps.find({}).sort({ _id: 1 }).lean<OAuthAppDoc[]>();
    return docs.map((d) => d.app);
  }

  async resealOAuthApp(key: string, clientSecret: string, ifCurrent: string): Promise<boolean> {
    const result = await this.apps.updateOne(
      { _id: key, 'app.clientSecret': ifCurrent },
      { $set: { 'app.clientSecret': clientSecret } },
    );
    return result.modifiedCount === 1;
  }

  async putOAuthApp(app: OAuthApp): Promise<OAuthApp> {
    try {
      await this.apps.create({ _id: app.key, app });
      return app;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await this.getOAuthApp(app.key)) as OAuthApp;
    }
  }
}
