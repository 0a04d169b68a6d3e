import { createHash } from 'node:crypto';
import { newCorrelationId, newId } from '../../src/core/ids.js';
import {
  type Account,
  type ApiToken,
  apiScopes,
  type Delivery,
  type DeliveryError,
  type Post,
  type Workspace,
} from '../../src/core/post.js';
import type { Store } from '../../src/store/store.js';

/** Seed data for store tests: plain functions with sensible defaults, each overridable. */

/** A fixed "now" for tests: 2025-06-15T16:26:40Z. */
export const T0 = 1_750_004_800_000;
export const MINUTE = 60_000;

export function makeWorkspace(overrides: Partial<Workspace> = {}): Workspace {
  return { id: newId('ws'), name: 'Test team', createdAt: T0, ...overrides };
}

export function makeAccount(workspaceId: string, overrides: Partial<Account> = {}): Account {
  return {
    id: newId('acct'),
    workspaceId,
    platform: 'bluesky',
    handle: 'me.bsky.social',
    remoteId: 'did:plc:abc123',
    credentials: 'v1:iv:tag:ciphertext',
    health: 'active',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function makeApiToken(
  workspaceId: string,
  secret = newId('secret'),
  overrides: Partial<ApiToken> = {},
): ApiToken {
  return {
    id: newId('tok'),
    workspaceId,
    name: 'ci',
    hash: createHash('sha256').update(secret).digest('hex'),
    scopes: [...apiScopes],
    createdAt: T0,
    ...overrides,
  };
}

export function makePost(workspaceId: string, overrides: Partial<Post> = {}): Post {
  return {
    id: newId('post'),
    workspaceId,
    author: { id: 'U123', name: 'Ada' },
    origin: { kind: 'slack', teamId: 'T1', channelId: 'C1', messageTs: '1700000000.000100' },
    content: { text: 'Hello, world', media: [{ url: 'https://example.com/a.png', alt: 'a cat' }] },
    overrides: { bluesky: { text: 'Hello, sky' } },
    scheduledAt: T0,
    timezone: 'Europe/Berlin',
    correlationId: newCorrelationId(),
    createdAt: T0,
    ...overrides,
  };
}

/** A delivery of `post` to `account`, `queued` and due at the post's time unless overridden. */
export function makeDelivery(
  post: Post,
  account: Pick<Account, 'id' | 'platform'>,
  overrides: Partial<Delivery> = {},
): Delivery {
  return {
    id: newId('dlv'),
    postId: post.id,
    workspaceId: post.workspaceId,
    accountId: account.id,
    platform: account.platform,
    state: 'queued',
    dueAt: post.scheduledAt,
    attempts: 0,
    createdAt: post.createdAt,
    updatedAt: post.createdAt,
    ...overrides,
  };
}

export function makeError(overrides: Partial<DeliveryError> = {}): DeliveryError {
  return { kind: 'transient', message: 'upstream 503', status: 503, at: T0, ...overrides };
}

export interface SeedOptions {
  workspaceId?: string;
  post?: Partial<Post>;
  /** One entry per delivery; defaults to one delivery. */
  deliveries?: Partial<Delivery>[];
}

/** Stores a post with its deliveries (each to its own account, also stored) and returns them. */
export async function seedPost(
  store: Store,
  options: SeedOptions = {},
): Promise<{ post: Post; deliveries: Delivery[] }> {
  const workspaceId = options.workspaceId ?? (await store.ensureWorkspace(makeWorkspace())).id;
  const post = makePost(workspaceId, options.post);
  const deliveries: Delivery[] = [];
  for (const overrides of options.deliveries ?? [{}]) {
    const account = makeAccount(workspaceId);
    await store.createAccount(account);
    deliveries.push(makeDelivery(post, account, overrides));
  }
  const result = await store.createPost(post, deliveries);
  if (!result.created) throw new Error('seedPost: post was not created');
  return { post, deliveries };
}

/** Seeds one delivery and returns it. */
export async function seedDelivery(store: Store, overrides: Partial<Delivery> = {}): Promise<Delivery> {
  const { deliveries } = await seedPost(store, { deliveries: [overrides] });
  return deliveries[0]!;
}
