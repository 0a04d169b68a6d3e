import {
  type Account,
  type ApiToken,
  type Delivery,
  type Post,
  storedScopes,
  type Workspace,
} from '../../core/post.js';
import type { AccountDoc, ApiTokenDoc, DeliveryDoc, PostDoc, WorkspaceDoc } from './schemas.js';

/**
 * Documents ↔ domain records. Dates become epoch ms; absent fields stay absent (an optional
 * field holding `undefined` is left out on the way in, so it round-trips as absent).
 */

const ms = (date: Date): number => date.getTime();

/** `{ [key]: value }`, or `{}` when value is undefined: spread it to keep a field optional. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function optDate<K extends string>(key: K, value: Date | undefined): { [P in K]?: number } {
  return opt(key, value === undefined ? undefined : ms(value));
}

function optToDate<K extends string>(key: K, value: number | undefined): { [P in K]?: Date } {
  return opt(key, value === undefined ? undefined : new Date(value));
}

export function toWorkspace(doc: WorkspaceDoc): Workspace {
  return {
    id: doc._id,
    name: doc.name,
    createdAt: ms(doc.createdAt),
    ...(doc.settings ? { settings: doc.settings } : {}),
  };
}

export function fromWorkspace(w: Workspace): WorkspaceDoc {
  return { _id: w.id, name: w.name, createdAt: new Date(w.createdAt), ...(w.settings ? { settings: w.settings } : {}) };
}

export function toApiToken(doc: ApiTokenDoc): ApiToken {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    name: doc.name,
    hash: doc.hash,
    scopes: storedScopes(doc.scopes),
    createdAt: ms(doc.createdAt),
    ...optDate('lastUsedAt', doc.lastUsedAt),
    ...optDate('revokedAt', doc.revokedAt),
  };
}

export function fromApiToken(t: ApiToken): ApiTokenDoc {
  return {
    _id: t.id,
    workspaceId: t.workspaceId,
    name: t.name,
    hash: t.hash,
    scopes: [...t.scopes],
    createdAt: new Date(t.createdAt),
    ...optToDate('lastUsedAt', t.lastUsedAt),
    ...optToDate('revokedAt', t.revokedAt),
  };
}

export function toAccount(doc: AccountDoc): Account {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    platform: doc.platform,
    handle: doc.handle,
    remoteId: doc.remoteId,
    credentials: doc.credentials,
    health: doc.health,
    ...opt('healthReason', doc.healthReason),
    createdAt: ms(doc.createdAt),
    updatedAt: ms(doc.updatedAt),
  };
}

export function fromAccount(a: Account): AccountDoc {
  return {
    _id: a.id,
    workspaceId: a.workspaceId,
    platform: a.platform,
    handle: a.handle,
    remoteId: a.remoteId,
    credentials: a.credentials,
    health: a.health,
    ...opt('healthReason', a.healthReason),
    createdAt: new Date(a.createdAt),
    updatedAt: new Date(a.updatedAt),
  };
}

/** The keySlot of a post with this idempotency key (see PostDoc.keySlot). */
export function idempotencySlot(key: string): string {
  return `k:${key}`;
}

/** A post's value for the unique (workspaceId, keySlot) index. */
export function keySlot(post: Pick<Post, 'id' | 'idempotencyKey'>): string {
  return post.idempotencyKey === undefined ? `p:${post.id}` : idempotencySlot(post.idempotencyKey);
}

export function toPost(doc: PostDoc): Post {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    author: doc.author,
    origin: doc.origin,
    content: doc.content,
    overrides: doc.overrides,
    scheduledAt: ms(doc.scheduledAt),
    timezone: doc.timezone,
    ...opt('idempotencyKey', doc.idempotencyKey),
    ...opt('requestHash', doc.requestHash),
    ...opt('callbackUrl', doc.callbackUrl),
    correlationId: doc.correlationId,
    createdAt: ms(doc.createdAt),
  };
}

export function fromPost(p: Post): PostDoc {
  return {
    _id: p.id,
    workspaceId: p.workspaceId,
    author: p.author,
    origin: p.origin,
    content: p.content,
    overrides: p.overrides,
    scheduledAt: new Date(p.scheduledAt),
    timezone: p.timezone,
    ...opt('idempotencyKey', p.idempotencyKey),
    keySlot: keySlot(p),
    ...opt('requestHash', p.requestHash),
    ...opt('callbackUrl', p.callbackUrl),
    correlationId: p.correlationId,
    createdAt: new Date(p.createdAt),
  };
}

/** A delivery as the domain sees it. */
export function toDelivery(doc: DeliveryDoc): Delivery {
  return {
    id: doc._id,
    postId: doc.postId,
    workspaceId: doc.workspaceId,
    accountId: doc.accountId,
    platform: doc.platform,
    state: doc.state,
    dueAt: ms(doc.dueAt),
    attempts: doc.attempts,
    ...opt('leaseOwner', doc.leaseOwner),
    ...optDate('leaseExpiresAt', doc.leaseExpiresAt),
    ...opt('lastError', doc.lastError),
    ...opt('parts', doc.parts),
    ...opt('chain', doc.chain),
    ...opt('checkpoint', doc.checkpoint),
    ...opt('result', doc.result),
    ...optDate('publishedAt', doc.publishedAt),
    createdAt: ms(doc.createdAt),
    updatedAt: ms(doc.updatedAt),
  };
}

/** The document createPost inserts for `d`, the `seq`-th delivery of its post. */
export function fromDelivery(d: Delivery, seq: number): DeliveryDoc {
  return {
    _id: d.id,
    postId: d.postId,
    workspaceId: d.workspaceId,
    accountId: d.accountId,
    platform: d.platform,
    state: d.state,
    dueAt: new Date(d.dueAt),
    attempts: d.attempts,
    ...opt('leaseOwner', d.leaseOwner),
    ...optToDate('leaseExpiresAt', d.leaseExpiresAt),
    ...opt('lastError', d.lastError),
    ...opt('parts', d.parts),
    ...opt('chain', d.chain),
    ...opt('checkpoint', d.checkpoint),
    ...opt('result', d.result),
    ...optToDate('publishedAt', d.publishedAt),
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    seq,
  };
}

/** Oldest due first, then by id: the order takeDue and expireLeases return. */
export function byDue(a: Delivery, b: Delivery): number {
  return a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
