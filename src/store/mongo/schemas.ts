import { type Connection, type Model, Schema } from 'mongoose';
import type { AttemptRecord } from '../../core/history.js';
import type { Actor, AuditAction, AuditDetails } from '../../core/audit.js';
import type {
  AccountHealth,
  Author,
  Content,
  WorkspaceSettings,
  DeliveryError,
  DeliveryCheckpoint,
  DeliveryResult,
  DeliveryState,
  Origin,
  PlatformId,
  Post,
} from '../../core/post.js';

/**
 * Documents as stored, one collection per record. Times are BSON Dates (epoch ms in the domain);
 * absent optional fields are absent, never null. Nested values (author, origin, content, errors)
 * are stored as given (`Mixed`): the domain types describe them and nothing queries inside them.
 */

export interface WorkspaceDoc {
  _id: string;
  name: string;
  createdAt: Date;
  settings?: WorkspaceSettings;
}

export interface ApiTokenDoc {
  _id: string;
  workspaceId: string;
  name: string;
  hash: string;
  /** Absent on tokens made before scopes: they have every scope. */
  scopes?: string[];
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export interface AccountDoc {
  _id: string;
  workspaceId: string;
  platform: PlatformId;
  handle: string;
  remoteId: string;
  credentials: string;
  health: AccountHealth;
  healthReason?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An audit entry as stored: a document of `audit`, or the `audit` field of the post it created. */
export interface AuditDoc {
  _id: string;
  workspaceId: string;
  at: Date;
  actor: Actor;
  action: AuditAction;
  target?: string;
  details?: AuditDetails;
}

export interface PostDoc {
  _id: string;
  workspaceId: string;
  author: Author;
  origin: Origin;
  content: Content;
  overrides: Post['overrides'];
  scheduledAt: Date;
  timezone: string;
  idempotencyKey?: string;
  /**
   * `k:<idempotency key>`, or `p:<post id>` for a post without one: the unique index on
   * (workspaceId, keySlot) makes keys unique per workspace: every post has a slot, so no
   * `partialFilterExpression` is needed (without one, MongoDB counts a missing key as null and
   * keyless posts would collide).
   */
  keySlot: string;
  requestHash?: string;
  callbackUrl?: string;
  correlationId: string;
  createdAt: Date;
  /** The audit log's `post.created` entry for this post, written with it (see create-post.ts). */
  audit?: AuditDoc;
}

export interface DeliveryDoc {
  _id: string;
  postId: string;
  workspaceId: string;
  accountId: string;
  platform: PlatformId;
  state: DeliveryState;
  dueAt: Date;
  attempts: number;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
  lastError?: DeliveryError;
  parts?: string[];
  chain?: DeliveryResult[];
  checkpoint?: DeliveryCheckpoint;
  result?: DeliveryResult;
  publishedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  /** Position in the createPost batch: deliveries are listed in the order they were given. */
  seq: number;
  /**
   * The token of the last batch (takeDue, expireLeases…) that changed it: a batch's one
   * `updateMany` writes a token of its own and, when another batch raced it, reads it back to
   * learn which it changed. Never cleared (each batch writes a new one); never part of a Delivery.
   */
  takenBy?: string;
  /** The delivery's finished attempts, oldest first, each pushed by the finishAttempt that ended it. */
  history?: AttemptRecord[];
}

// minimize: false keeps empty objects such as `author: {}`; indexes are built by init() only.
const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false } as const;
const str = { type: String, required: true } as const;
const date = { type: Date, required: true } as const;
const mixed = { type: Schema.Types.Mixed, required: true } as const;

const workspaceSchema = new Schema<WorkspaceDoc>(
  { _id: str, name: str, createdAt: date, settings: Schema.Types.Mixed },
  options,
);

const apiTokenSchema = new Schema<ApiTokenDoc>(
  {
    _id: str,
    workspaceId: str,
    name: str,
    hash: str,
    scopes: { type: [String], default: undefined },
    createdAt: date,
    lastUsedAt: Date,
    revokedAt: Date,
  },
  options,
);
apiTokenSchema.index({ hash: 1 }, { unique: true });
// listApiTokens.
apiTokenSchema.index({ workspaceId: 1, createdAt: 1 });

const accountSchema = new Schema<AccountDoc>(
  {
    _id: str,
    workspaceId: str,
    platform: str,
    handle: str,
    remoteId: str,
    credentials: str,
    health: str,
    healthReason: String,
    createdAt: date,
    updatedAt: date,
  },
  options,
);
accountSchema.index({ workspaceId: 1, createdAt: 1 });

const postSchema = new Schema<PostDoc>(
  {
    _id: str,
    workspaceId: str,
    author: mixed,
    origin: mixed,
    content: mixed,
    overrides: mixed,
    scheduledAt: date,
    timezone: str,
    idempotencyKey: String,
    keySlot: str,
    requestHash: String,
    callbackUrl: String,
    correlationId: str,
    createdAt: date,
    audit: Schema.Types.Mixed,
  },
  options,
);
postSchema.index({ workspaceId: 1, keySlot: 1 }, { unique: true });
// listAudit: the `post.created` entries kept in their posts, newest first.
postSchema.index({ workspaceId: 1, 'audit.at': -1, _id: -1 });
postSchema.index({ workspaceId: 1, createdAt: -1, _id: -1 });
postSchema.index({ workspaceId: 1, scheduledAt: 1, _id: 1 });

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: str,
    postId: str,
    workspaceId: str,
    accountId: str,
    platform: str,
    state: str,
    dueAt: date,
    attempts: { type: Number, required: true },
    leaseOwner: String,
    leaseExpiresAt: Date,
    lastError: Schema.Types.Mixed,
    parts: { type: [String], default: undefined },
    chain: { type: Schema.Types.Mixed, default: undefined },
    checkpoint: Schema.Types.Mixed,
    result: Schema.Types.Mixed,
    publishedAt: Date,
    createdAt: date,
    updatedAt: date,
    seq: { type: Number, required: true },
    // Declared, or strict mode would drop it from the batches' $set without a word.
    takenBy: String,
    history: { type: [Schema.Types.Mixed], default: undefined },
  },
  options,
);
// takeDue and nextDueAt (scheduled by dueAt), takeStranded (queued/unknown by dueAt).
deliverySchema.index({ state: 1, dueAt: 1 });
// expireLeases: publishing by lease expiry.
deliverySchema.index({ state: 1, leaseExpiresAt: 1 });
// getPost, listPosts, cancelPost.
deliverySchema.index({ postId: 1, seq: 1 });
// wakeWaitingDeliveries: an account's scheduled deliveries.
deliverySchema.index({ accountId: 1, state: 1 });

export interface Models {
  workspaces: Model<WorkspaceDoc>;
  apiTokens: Model<ApiTokenDoc>;
  accounts: Model<AccountDoc>;
  posts: Model<PostDoc>;
  deliveries: Model<DeliveryDoc>;
}

/** Compiles the models on `connection` (never on mongoose's global default connection). */
export function createModels(connection: Connection): Models {
  return {
    workspaces: connection.model<WorkspaceDoc>('Workspace', workspaceSchema, 'workspaces'),
    apiTokens: connection.model<ApiTokenDoc>('ApiToken', apiTokenSchema, 'api_tokens'),
    accounts: connection.model<AccountDoc>('Account', accountSchema, 'accounts'),
    posts: connection.model<PostDoc>('Post', postSchema, 'posts'),
    deliveries: connection.model<DeliveryDoc>('Delivery', deliverySchema, 'deliveries'),
  };
}
