import { type Connection, type Model, Schema } from 'mongoose';
import type { AuditEntry } from '../../core/audit.js';
import type { ApiToken, Workspace, WorkspaceSettings } from '../../core/post.js';
import { isDuplicateKey } from './errors.js';
import { fromApiToken, fromWorkspace, toApiToken, toWorkspace } from './mapping.js';
import type { AuditDoc, Models } from './schemas.js';

const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false } as const;
const str = { type: String, required: true } as const;

const auditSchema = new Schema<AuditDoc>(
  {
    _id: str,
    workspaceId: str,
    at: { type: Date, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    action: str,
    target: String,
    details: Schema.Types.Mixed,
  },
  options,
);
// listAudit: a workspace's entries, newest first.
auditSchema.index({ workspaceId: 1, at: -1, _id: -1 });

export function fromAudit(entry: AuditEntry): AuditDoc {
  return {
    _id: entry.id,
    workspaceId: entry.workspaceId,
    at: new Date(entry.at),
    actor: entry.actor,
    action: entry.action,
    ...(entry.target !== undefined ? { target: entry.target } : {}),
    ...(entry.details !== undefined ? { details: entry.details } : {}),
  };
}

function toAudit(doc: AuditDoc): AuditEntry {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    at: doc.at.getTime(),
    actor: doc.actor,
    action: doc.action,
    ...(doc.target !== undefined ? { target: doc.target } : {}),
    ...(doc.details !== undefined ? { details: doc.details } : {}),
  };
}

/** Workspaces, API tokens and the audit log on the Mongo store's connection. */
export class MongoTokensAudit {
  readonly audit: Model<AuditDoc>;

  constructor(
    connection: Connection,
    private readonly models: Pick<Models, 'apiTokens' | 'workspaces' | 'posts'>,
  ) {
    this.audit = connection.model<AuditDoc>('Audit', auditSchema, 'audit');
  }

  async init(): Promise<void> {
    await this.audit.createIndexes();
  }

  async ensureWorkspace(workspace: Workspace): Promise<Workspace> {
    try {
      await this.models.workspaces.insertMany([fromWorkspace(workspace)]);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    return (await this.getWorkspace(workspace.id))!;
  }

  async getWorkspace(id: string): Promise<Workspace | null> {
    const doc = await this.models.workspaces.findById(id).lean();
    return doc ? toWorkspace(doc) : null;
  }

  async updateWorkspaceSettings(id: string, settings: WorkspaceSettings): Promise<Workspace | null> {
    // One document, one atomic update: each setting is its own field, so concurrent changes of
    // different settings do not overwrite each other.
    const set = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`settings.${k}`, v]));
    const doc = await this.models.workspaces.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean();
    return doc ? toWorkspace(doc) : null;
  }

  async createApiToken(token: ApiToken): Promise<void> {
    await this.models.apiTokens.insertMany([fromApiToken(token)]);
  }

  async findApiTokenByHash(hash: string): Promise<ApiToken | null> {
    const doc = await this.models.apiTokens.findOne({ hash }).lean();
    return doc ? toApiToken(doc) : null;
  }

  async touchApiToken(id: string, at: number): Promise<void> {
    await this.models.apiTokens.updateOne({ _id: id }, { $set: { lastUsedAt: new Date(at) } });
  }

  async listApiTokens(workspaceId: string): Promise<ApiToken[]> {
    const docs = await this.models.apiTokens.find({ workspaceId }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(toApiToken);
  }

  async revokeApiToken(id: string, at: number): Promise<boolean> {
    // Only a token not revoked yet gets the time: a second revoke keeps the first.
    const result = await this.models.apiTokens.updateOne(
      { _id: id, revokedAt: { $exists: false } },
      { $set: { revokedAt: new Date(at) } },
    );
    if (result.matchedCount > 0) return true;
    return (await this.models.apiTokens.countDocuments({ _id: id })) > 0;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    const docs = await this.models.workspaces.find({}).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(toWorkspace);
  }

  async addAudit(entry: AuditEntry): Promise<void> {
    await this.audit.create(fromAudit(entry));
  }

  /**
   * The `audit` collection merged with the `post.created` entries, which createPost keeps in the
   * post they describe (see create-post.ts): the newest `limit` of each, then of both.
   */
  async listAudit(workspaceId: string, options: { limit: number; before?: number }): Promise<AuditEntry[]> {
    const before = options.before === undefined ? undefined : new Date(options.before);
    const [entries, posts] = await Promise.all([
      this.audit
        .find({ workspaceId, ...(before ? { at: { $lt: before } } : {}) })
        .sort({ at: -1, _id: -1 })
        .limit(options.limit)
        .lean<AuditDoc[]>(),
      this.models.posts
        .find({ workspaceId, 'audit.at': before ? { $lt: before } : { $exists: true } }, { audit: 1 })
        .sort({ 'audit.at': -1, _id: -1 })
        .limit(options.limit)
        .lean<{ audit: AuditDoc }[]>(),
    ]);
    const all = [...entries, ...posts.map((p) => p.audit)];
    all.sort((a, b) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0));
    return all.slice(0, options.limit).map(toAudit);
  }
}
