import type {
  Account,
  AccountHealth,
  ApiToken,
  Author,
  Content,
  Delivery,
  DeliveryCheckpoint,
  DeliveryError,
  DeliveryResult,
  DeliveryState,
  Origin,
  PlatformId,
  Post,
  Workspace,
  WorkspaceSettings,
} from '../../core/post.js';
import { storedScopes } from '../../core/post.js';

/** Rows as SQLite returns them, and the mapping to and from domain records. Null columns become absent fields. */

export interface WorkspaceRow {
  id: string;
  name: string;
  created_at: number;
  settings: string | null;
}

export interface ApiTokenRow {
  id: string;
  workspace_id: string;
  name: string;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  /** JSON array; NULL for tokens made before scopes (they have every scope). */
  scopes: string | null;
  revoked_at: number | null;
}

export interface AccountRow {
  id: string;
  workspace_id: string;
  platform: string;
  handle: string;
  remote_id: string;
  credentials: string;
  health: string;
  health_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface PostRow {
  id: string;
  workspace_id: string;
  author: string;
  origin: string;
  content: string;
  overrides: string;
  scheduled_at: number;
  timezone: string;
  idempotency_key: string | null;
  request_hash: string | null;
  callback_url: string | null;
  correlation_id: string;
  created_at: number;
}

export interface DeliveryRow {
  id: string;
  post_id: string;
  workspace_id: string;
  account_id: string;
  platform: string;
  state: string;
  due_at: number;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  result: string | null;
  published_at: number | null;
  created_at: number;
  updated_at: number;
  parts: string | null;
  chain: string | null;
  checkpoint: string | null;
}

function parse<T>(json: string): T {
  return JSON.parse(json) as T;
}

export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    ...(row.settings ? { settings: parse<WorkspaceSettings>(row.settings) } : {}),
  };
}

export function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    hash: row.hash,
    scopes: storedScopes(row.scopes === null ? null : parse<string[]>(row.scopes)),
    createdAt: row.created_at,
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}

export function fromApiToken(t: ApiToken): ApiTokenRow {
  return {
    id: t.id,
    workspace_id: t.workspaceId,
    name: t.name,
    hash: t.hash,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt ?? null,
    scopes: JSON.stringify(t.scopes),
    revoked_at: t.revokedAt ?? null,
  };
}

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    platform: row.platform as PlatformId,
    handle: row.handle,
    remoteId: row.remote_id,
    credentials: row.credentials,
    health: row.health as AccountHealth,
    ...(row.health_reason === null ? {} : { healthReason: row.health_reason }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function fromAccount(a: Account): AccountRow {
  return {
    id: a.id,
    workspace_id: a.workspaceId,
    platform: a.platform,
    handle: a.handle,
    remote_id: a.remoteId,
    credentials: a.credentials,
    health: a.health,
    health_reason: a.healthReason ?? null,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

export function toPost(row: PostRow): Post {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    author: parse<Author>(row.author),
    origin: parse<Origin>(row.origin),
    content: parse<Content>(row.content),
    overrides: parse<Post['overrides']>(row.overrides),
    scheduledAt: row.scheduled_at,
    timezone: row.timezone,
    ...(row.idempotency_key === null ? {} : { idempotencyKey: row.idempotency_key }),
    ...(row.request_hash === null ? {} : { requestHash: row.request_hash }),
    ...(row.callback_url === null ? {} : { callbackUrl: row.callback_url }),
    correlationId: row.correlation_id,
    createdAt: row.created_at,
  };
}

export function fromPost(p: Post): PostRow {
  return {
    id: p.id,
    workspace_id: p.workspaceId,
    author: JSON.stringify(p.author),
    origin: JSON.stringify(p.origin),
    content: JSON.stringify(p.content),
    overrides: JSON.stringify(p.overrides),
    scheduled_at: p.scheduledAt,
    timezone: p.timezone,
    idempotency_key: p.idempotencyKey ?? null,
    request_hash: p.requestHash ?? null,
    callback_url: p.callbackUrl ?? null,
    correlation_id: p.correlationId,
    created_at: p.createdAt,
  };
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    postId: row.post_id,
    workspaceId: row.workspace_id,
    accountId: row.account_id,
    platform: row.platform as PlatformId,
    state: row.state as DeliveryState,
    dueAt: row.due_at,
    attempts: row.attempts,
    ...(row.lease_owner === null ? {} : { leaseOwner: row.lease_owner }),
    ...(row.lease_expires_at === null ? {} : { leaseExpiresAt: row.lease_expires_at }),
    ...(row.last_error === null ? {} : { lastError: parse<DeliveryError>(row.last_error) }),
    ...(row.parts === null ? {} : { parts: parse<string[]>(row.parts) }),
    ...(row.chain === null ? {} : { chain: parse<DeliveryResult[]>(row.chain) }),
    ...(row.checkpoint === null ? {} : { checkpoint: parse<DeliveryCheckpoint>(row.checkpoint) }),
    ...(row.result === null ? {} : { result: parse<DeliveryResult>(row.result) }),
    ...(row.published_at === null ? {} : { publishedAt: row.published_at }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function fromDelivery(d: Delivery): DeliveryRow {
  return {
    id: d.id,
    post_id: d.postId,
    workspace_id: d.workspaceId,
    account_id: d.accountId,
    platform: d.platform,
    state: d.state,
    due_at: d.dueAt,
    attempts: d.attempts,
    lease_owner: d.leaseOwner ?? null,
    lease_expires_at: d.leaseExpiresAt ?? null,
    last_error: json(d.lastError),
    result: json(d.result),
    published_at: d.publishedAt ?? null,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    parts: json(d.parts),
    chain: json(d.chain),
    checkpoint: json(d.checkpoint),
  };
}

/** `INSERT INTO table (a, b) VALUES (@a, @b)` for a row type's columns. */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
}
