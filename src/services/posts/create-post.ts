import { createHash } from 'node:crypto';
import { type AuditEntry, actorOf } from '../../core/audit.js';
import type { CreatePostOptions } from '../../store/ports/post-store.js';
import { HayonError } from '../../core/errors.js';
import { newCorrelationId, newId } from '../../core/ids.js';
import type { AttachedMedia } from '../../core/media-intake.js';
import type { Account, Delivery, Post, PostWithDeliveries } from '../../core/post.js';
import type { PostRequest } from '../../core/post-request.js';
import { withStoredMedia } from '../../core/post-media.js';
import { formatInZone, parseWhen, type ResolvedSchedule } from '../../core/schedule.js';
import { isNextSlot } from '../../core/slots.js';
import type { CreatePostContext, CreatePostOutcome, PostsServiceDeps } from './deps.js';
import { dispatchPost } from './dispatch.js';
import { nextFreeSlot, storeInSlot } from './next-slot.js';
import { storeWithResults } from './results-channels.js';
import { planContent } from './plan-content.js';
import { activeTargets, attachMedia, checkAltText, checkHasContent, parsePostRequest } from './validate-post.js';

function requestHash(request: PostRequest): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * `posts.create()`: every way in ends here. It validates the whole request (schema, time,
 * targets, content per platform) before writing anything, then stores the post and one
 * delivery per account in one step. Publishing is the scheduler's job: a post due now is
 * stored due now, and the scheduler is told.
 */
export async function createPost(
  deps: PostsServiceDeps,
  input: unknown,
  ctx: CreatePostContext,
): Promise<CreatePostOutcome> {
  const request = parsePostRequest(input);
  const { store, clock } = deps;
  const now = clock();

  // A repeated request returns what the first one made, even if its time has passed since.
  if (ctx.idempotencyKey) {
    const existing = await store.findPostByIdempotencyKey(ctx.workspaceId, ctx.idempotencyKey);
    if (existing) return repeated(deps, existing, request, ctx.workspaceId);
  }
  const timezone = request.timezone ?? ctx.defaultTimezone ?? 'UTC';
  const slotZone = { defaultTimezone: ctx.defaultTimezone ?? 'UTC', displayZone: request.timezone };
  const schedule = isNextSlot(request.when)
    ? await nextFreeSlot(deps, ctx.workspaceId, { now, ...slotZone })
    : parseWhen(request.when, { timezone, now });
  checkHasContent(request);
  const accounts = await activeTargets(deps, request.targets, ctx.workspaceId);
  if (request.callbackUrl) await deps.checkCallbackUrl?.(request.callbackUrl);
  const postId = newId('post', now);
  // The expensive part (downloads, image processing) comes after every cheap check; from here
  // on, a failure removes what was stored.
  const attached = await attachMedia(deps, request, ctx.workspaceId, postId);
  try {
    const outcome = await storePost(deps, request, ctx, { postId, now, schedule, accounts, attached });
    if (outcome.created) await attached?.commit().catch(() => undefined);
    else await attached?.discard();
    return outcome;
  } catch (e) {
    await attached?.discard().catch(() => undefined);
    throw e;
  }
}

async function storePost(
  deps: PostsServiceDeps,
  request: PostRequest,
  ctx: CreatePostContext,
  made: {
    postId: string;
    now: number;
    schedule: ResolvedSchedule;
    accounts: Account[];
    attached: AttachedMedia | null;
  },
): Promise<CreatePostOutcome> {
  const { store } = deps;
  const { postId, now, accounts, attached } = made;
  let { schedule } = made;
  const media = withStoredMedia(request, attached);
  await checkAltText(deps, ctx.workspaceId, media);
  const post: Post = {
    id: postId,
    workspaceId: ctx.workspaceId,
    author: ctx.author ?? {},
    origin: ctx.origin,
    content: {
      text: request.text,
      media: media.global,
      ...(request.thread ? { thread: request.thread } : {}),
      ...(request.threadCounter !== undefined ? { threadCounter: request.threadCounter } : {}),
      ...(request.linkPreview === false ? { linkPreview: false } : {}),
    },
    overrides: media.overrides,
    scheduledAt: schedule.at,
    timezone: schedule.timezone,
    ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey, requestHash: requestHash(request) } : {}),
    ...(request.callbackUrl ? { callbackUrl: request.callbackUrl } : {}),
    correlationId: newCorrelationId(),
    createdAt: now,
  };
  const plans = await planContent(deps, post, accounts);
  const deliveries: Delivery[] = accounts.map((account, i) => ({
    id: newId('dlv', now),
    postId: post.id,
    workspaceId: ctx.workspaceId,
    accountId: account.id,
    platform: account.platform,
    state: 'scheduled',
    dueAt: schedule.at,
    attempts: 0,
    ...(plans[i] ? { parts: plans[i] } : {}),
    createdAt: now,
    updatedAt: now,
  }));
  const slotZone = { defaultTimezone: ctx.defaultTimezone ?? 'UTC', displayZone: request.timezone };
  // The audit line is written with the post, in its transaction; made at each try, as a slot
  // taken by another post moves the time.
  const audit = () =>
    deps.audit?.entry({
      workspaceId: ctx.workspaceId,
      actor: actorOf(ctx.origin, ctx.author),
      action: 'post.created',
      target: post.id,
      details: { targets: accounts.length, scheduledAt: new Date(post.scheduledAt).toISOString() },
    });
  const stored = await storeWithResults(deps, post, deliveries, accounts, async () =>
    isNextSlot(request.when)
      ? storeInSlot(deps, post, deliveries, schedule, slotZone, audit)
      : { result: await store.createPost(post, deliveries, withAudit(audit())), schedule },
  );
  const { result } = stored;
  schedule = stored.schedule;
  if (!result.created) return repeated(deps, result.value, request, ctx.workspaceId);
  deps.onCreated?.(result.value);
  if (!ctx.holdDispatch) dispatchPost(deps, result.value);
  return { created: true, value: result.value, schedule, accounts };
}

function withAudit(entry: AuditEntry | undefined): CreatePostOptions {
  return entry ? { audit: entry } : {};
}

async function repeated(
  deps: PostsServiceDeps,
  existing: PostWithDeliveries,
  request: PostRequest,
  workspaceId: string,
): Promise<CreatePostOutcome> {
  const { scheduledAt, timezone } = existing.post;
  const schedule = { at: scheduledAt, timezone, local: formatInZone(scheduledAt, timezone) };
  const value = checkSameRequest(existing, request);
  return { created: false, value, schedule, accounts: await deps.store.listAccounts(workspaceId) };
}

function checkSameRequest(existing: PostWithDeliveries, request: PostRequest): PostWithDeliveries {
  if (existing.post.requestHash && existing.post.requestHash !== requestHash(request)) {
    throw new HayonError('idempotency_key_reused', 'idempotency key reused with another request', {
      field: 'Idempotency-Key',
      userMessage: 'This Idempotency-Key was already used for a different request.',
    });
  }
  return existing;
}
