import { createHash } from 'node:crypto';
import { deadline } from '../core/deadline.js';
import type { AccountContext, Platform } from '../platforms/platform.js';
import type { TextRules, ValidationIssue } from '../core/content.js';
import type { Store } from '../store/store.js';
import { type Actor, actorOf, systemActor } from '../core/audit.js';
import type { AuditLog } from './audit-log.js';
import type { Clock } from '../core/clock.js';
import { resolveContent, threadModeFor } from '../core/content.js';
import { cancellableStates } from '../core/delivery-state.js';
import { HayonError, PlatformError, zodToHayonError } from '../core/errors.js';
import type { AttachedMedia, MediaIntake } from '../core/media-intake.js';
import { newCorrelationId, newId } from '../core/ids.js';
import type { Account, Author, Delivery, Origin, PlatformId, Post, PostWithDeliveries } from '../core/post.js';
import { type PostRequest, postRequestSchema } from '../core/post-request.js';
import { platformNames } from '../core/platform-names.js';
import { imageWithoutAlt, mediaInputs, type StoredMedia, withStoredMedia } from '../core/post-media.js';
import { formatInZone, type ResolvedSchedule, parseWhen } from '../core/schedule.js';
import { resolveTargets } from '../core/targets.js';
import { defaultSplitOptions, splitText } from '../core/thread-split.js';

export interface CreatePostContext {
  workspaceId: string;
  origin: Origin;
  author?: Author;
  idempotencyKey?: string | undefined;
  /** Used when the request names no time zone. */
  defaultTimezone?: string;
  /**
   * Do not hand a post due now to the scheduler yet: the caller first makes the place its
   * results go (a Discord thread), then calls `dispatch`. The scheduler's scan sends it anyway
   * if the caller never does.
   */
  holdDispatch?: boolean;
}

export interface CreatePostOutcome {
  created: boolean;
  value: PostWithDeliveries;
  schedule: ResolvedSchedule;
  /** The accounts the post's deliveries go to (for showing handles). */
  accounts: Account[];
}

/** One target of a post as a chat reply shows it: `Bluesky @me.bsky.social 41/300`. */
export interface TargetMeasure {
  deliveryId: string;
  platform: PlatformId;
  handle: string;
  count?: number;
  max?: number;
  unit?: 'graphemes' | 'characters';
  /** When the text is a thread there. */
  parts?: number;
}

export interface PostsServiceDeps {
  store: Store;
  platforms: Partial<Record<PlatformId, Platform>>;
  clock: Clock;
  /** The account's decrypted credentials, for platforms whose rules depend on the account. */
  openCredentials(account: Account): Record<string, unknown>;
  /** How long checking content with the platforms may take in all; default 10 s. */
  validateTimeoutMs?: number;
  /** Told when deliveries become due at `at`, so an in-process scheduler can set its timer. */
  onScheduled?: (at: number) => void;
  /** Told of a post just stored whose deliveries are due now, so they can be sent at once. */
  onDueNow?: (created: PostWithDeliveries) => void;
  /** Brings attachments into the media store before the post is accepted. */
  media: MediaIntake;
  /** Refuses a callback URL hayon may not call (a private network): a HayonError about `callbackUrl`. */
  checkCallbackUrl?: (url: string) => Promise<void>;
  /** Told of each post stored (the log, metrics). */
  onCreated?: (created: PostWithDeliveries) => void;
  /** Told after a cancel (a callback receiver hears that the post is finished). */
  onCancelled?: (post: Post) => Promise<void>;
  /** Records who made, cancelled and hurried each post (never fails the action). */
  audit?: Pick<AuditLog, 'record'>;
}

function requestHash(request: PostRequest): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * `posts.create()`: every way in ends here. It validates the whole request (schema, time,
 * targets, content per platform) before writing anything, then stores the post and one
 * delivery per account in one step. Publishing is the scheduler's job: a post due now is
 * stored due now, and the scheduler is told.
 */
export class PostsService {
  constructor(private readonly deps: PostsServiceDeps) {}

  async create(input: unknown, ctx: CreatePostContext): Promise<CreatePostOutcome> {
    const parsed = postRequestSchema.safeParse(input);
    if (!parsed.success) throw zodToHayonError(parsed.error);
    const request = parsed.data;
    const { store, clock } = this.deps;
    const now = clock();

    // A repeated request returns what the first one made, even if its time has passed since.
    if (ctx.idempotencyKey) {
      const existing = await store.findPostByIdempotencyKey(ctx.workspaceId, ctx.idempotencyKey);
      if (existing) return this.repeated(existing, request, ctx.workspaceId);
    }
    const timezone = request.timezone ?? ctx.defaultTimezone ?? 'UTC';
    const schedule = parseWhen(request.when, { timezone, now });
    if (!request.text.trim() && request.media.length === 0) {
      throw new HayonError('invalid_request', 'a post needs text or media', {
        field: 'text',
        userMessage: 'A post needs text or at least one media item.',
      });
    }
    const accounts = resolveTargets(request.targets, await store.listAccounts(ctx.workspaceId));
    accounts.forEach((account, i) => {
      if (account.health !== 'active') {
        throw new HayonError('invalid_request', 'account needs reconnecting', {
          field: `targets[${i}]`,
          userMessage: `The ${account.platform} account ${account.handle} needs reconnecting (${account.health}).`,
        });
      }
    });
    if (request.callbackUrl) await this.deps.checkCallbackUrl?.(request.callbackUrl);
    const postId = newId('post', now);
    // The expensive part (downloads, image processing) comes after every cheap check; from here
    // on, a failure removes what was stored.
    const attached = await this.attachMedia(request, ctx.workspaceId, postId);
    try {
      const outcome = await this.store(request, ctx, { postId, now, schedule, accounts, attached });
      if (outcome.created) await attached?.commit().catch(() => undefined);
      else await attached?.discard();
      return outcome;
    } catch (e) {
      await attached?.discard().catch(() => undefined);
      throw e;
    }
  }

  private async store(
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
    const { store } = this.deps;
    const { postId, now, schedule, accounts, attached } = made;
    const media = withStoredMedia(request, attached);
    await this.checkAltText(ctx.workspaceId, media);
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
    const plans = await this.planContent(post, accounts);
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
    const result = await store.createPost(post, deliveries);
    if (!result.created) return this.repeated(result.value, request, ctx.workspaceId);
    this.deps.onCreated?.(result.value);
    if (!ctx.holdDispatch) this.dispatch(result.value);
    await this.deps.audit?.record({
      workspaceId: ctx.workspaceId,
      actor: actorOf(ctx.origin, ctx.author),
      action: 'post.created',
      target: post.id,
      details: { targets: accounts.length, scheduledAt: new Date(schedule.at).toISOString() },
    });
    return { created: true, value: result.value, schedule, accounts };
  }

  /** Every attachment of the request (global and per platform) into the media store; null when there are none. */
  private async attachMedia(request: PostRequest, workspaceId: string, postId: string): Promise<AttachedMedia | null> {
    const inputs = mediaInputs(request);
    return inputs.length ? this.deps.media.attach(workspaceId, postId, inputs) : null;
  }

  /** The workspace's rule "refuse posts with images without alt text", when it has set it. */
  private async checkAltText(workspaceId: string, media: StoredMedia): Promise<void> {
    const missing = imageWithoutAlt(media);
    if (!missing) return;
    const workspace = await this.deps.store.getWorkspace(workspaceId);
    if (!workspace?.settings?.requireAltText) return;
    const message = `${missing.field}.alt: this workspace requires alt text on every image; describe the image for people who cannot see it.`;
    throw new HayonError('invalid_request', message, { field: `${missing.field}.alt`, userMessage: message });
  }

  async get(workspaceId: string, id: string): Promise<PostWithDeliveries> {
    const found = await this.deps.store.getPost(id);
    if (!found || found.post.workspaceId !== workspaceId) {
      throw new HayonError('not_found', `no post ${id}`, { field: 'id', userMessage: `No post with id ${id}.` });
    }
    return found;
  }

  list(workspaceId: string, options: { limit: number; before?: number }): Promise<PostWithDeliveries[]> {
    return this.deps.store.listPosts(workspaceId, options);
  }

  /** Cancels what has not gone out yet; a post with nothing left to cancel is a 409. */
  async cancel(workspaceId: string, id: string, actor: Actor = systemActor): Promise<PostWithDeliveries> {
    const found = await this.get(workspaceId, id);
    if (!found.deliveries.some((d) => cancellableStates.includes(d.state))) {
      throw new HayonError('not_cancellable', 'nothing to cancel', {
        field: 'id',
        userMessage:
          'Nothing left to cancel: every delivery of this post is published, failed, cancelled or being published.',
      });
    }
    const cancelled = await this.deps.store.cancelPost(id, this.deps.clock());
    const details = { deliveries: cancelled };
    await this.deps.audit?.record({ workspaceId, actor, action: 'post.cancelled', target: id, details });
    await this.deps.onCancelled?.(found.post).catch(() => undefined);
    return this.get(workspaceId, id);
  }

  /** Tells the scheduler about a stored post: sent at once when due, else a timer is set. */
  dispatch(value: PostWithDeliveries): void {
    const at = value.post.scheduledAt;
    if (at <= this.deps.clock() && this.deps.onDueNow) this.deps.onDueNow(value);
    else this.deps.onScheduled?.(at);
  }

  /** "Post now": what is still scheduled becomes due at once; 409 when nothing is waiting. */
  async postNow(workspaceId: string, id: string, actor: Actor = systemActor): Promise<PostWithDeliveries> {
    await this.get(workspaceId, id);
    const now = this.deps.clock();
    const brought = await this.deps.store.bringForward(id, now);
    if (brought === 0) {
      throw new HayonError('conflict', 'nothing scheduled', {
        field: 'id',
        userMessage:
          'Nothing is waiting to be published: every delivery of this post is already due, done or cancelled.',
      });
    }
    const details = { deliveries: brought };
    await this.deps.audit?.record({ workspaceId, actor, action: 'post.published_now', target: id, details });
    const after = await this.get(workspaceId, id);
    if (this.deps.onDueNow) this.deps.onDueNow(after);
    else this.deps.onScheduled?.(now);
    return after;
  }

  /**
   * Each delivery's text measured the way its platform counts, against its limit (what a chat
   * reply shows next to each target). A thread shows its number of parts.
   */
  async measure(value: PostWithDeliveries, accounts: readonly Account[]): Promise<TargetMeasure[]> {
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const signal = deadline([], this.deps.validateTimeoutMs ?? 10_000);
    return Promise.all(
      value.deliveries.map(async (d): Promise<TargetMeasure> => {
        const account = byId.get(d.accountId);
        const platform = this.deps.platforms[d.platform];
        const base = { deliveryId: d.id, platform: d.platform, handle: account?.handle ?? d.accountId };
        if (!account || !platform) return base;
        try {
          const rules = await platform.rules({ account, credentials: this.deps.openCredentials(account), signal });
          const text = resolveContent(value.post, d.platform).text;
          return {
            ...base,
            count: rules.count(text),
            max: rules.maxLength,
            unit: rules.unit,
            ...(d.parts ? { parts: d.parts.length } : {}),
          };
        } catch {
          return base;
        }
      }),
    );
  }

  private async repeated(
    existing: PostWithDeliveries,
    request: PostRequest,
    workspaceId: string,
  ): Promise<CreatePostOutcome> {
    const { scheduledAt, timezone } = existing.post;
    const schedule = { at: scheduledAt, timezone, local: formatInZone(scheduledAt, timezone) };
    const value = this.checkSameRequest(existing, request);
    return { created: false, value, schedule, accounts: await this.deps.store.listAccounts(workspaceId) };
  }

  private checkSameRequest(existing: PostWithDeliveries, request: PostRequest): PostWithDeliveries {
    if (existing.post.requestHash && existing.post.requestHash !== requestHash(request)) {
      throw new HayonError('idempotency_key_reused', 'idempotency key reused with another request', {
        field: 'Idempotency-Key',
        userMessage: 'This Idempotency-Key was already used for a different request.',
      });
    }
    return existing;
  }

  /**
   * Checks the content for each account with its platform's rules, before anything is written.
   * Returns, per account, the parts of a thread when the text is split there (undefined for a
   * single post). The first issue found is a 400 naming the field (`overrides.mastodon.text`).
   */
  private async planContent(post: Post, accounts: Account[]): Promise<(string[] | undefined)[]> {
    const signal = deadline([], this.deps.validateTimeoutMs ?? 10_000);
    return Promise.all(
      accounts.map(async (account) => {
        const id = account.platform;
        const platform = this.deps.platforms[id];
        if (!platform) {
          throw new HayonError('unknown_target', `no adapter for ${id}`, {
            field: 'targets',
            userMessage: `hayon cannot publish to ${id} yet.`,
          });
        }
        const ctx: AccountContext = { account, credentials: this.deps.openCredentials(account), signal };
        const content = resolveContent(post, id);
        const fieldOf = (issue: ValidationIssue) => {
          const key = issue.field.startsWith('media') ? 'media' : 'text';
          return post.overrides[id]?.[key] !== undefined ? `overrides.${id}.${issue.field}` : issue.field;
        };
        try {
          const rules = await platform.rules(ctx);
          const parts =
            threadModeFor(post, id) === 'auto' && rules.threads && rules.count(content.text) > rules.maxLength
              ? this.split(content.text, rules, post, id, fieldOf)
              : undefined;
          // Each part is checked as the post it becomes: media and options ride on the first only.
          const checks = parts
            ? parts.map((text, n) => (n === 0 ? { ...content, text } : { text, media: [] }))
            : [content];
          for (const check of checks) {
            const issue = (await platform.validate(check, ctx))[0];
            if (issue)
              throw new HayonError(issue.code, issue.message, { field: fieldOf(issue), userMessage: issue.message });
          }
          return parts;
        } catch (e) {
          if (!(e instanceof PlatformError)) throw e;
          throw new HayonError('platform_error', `checking content for ${id}: ${e.message}`, {
            cause: e,
            field: 'targets',
            userMessage: `Could not check the post against ${account.platform} (${account.handle}): ${e.message}`,
          });
        }
      }),
    );
  }

  private split(
    text: string,
    rules: TextRules,
    post: Post,
    id: PlatformId,
    fieldOf: (issue: ValidationIssue) => string,
  ): string[] {
    const result = splitText(text, rules, { counter: post.content.threadCounter ?? true });
    if (result.ok) return result.parts;
    const field = fieldOf({ field: 'text', code: 'content_too_long', message: '' });
    const message =
      result.reason === 'unbreakable'
        ? `"${result.token.slice(0, 60)}" is longer than one ${platformNames[id]} post (${rules.count(result.token)} of ${rules.maxLength} ${rules.unit}) and cannot be split.`
        : `Too long for a ${platformNames[id]} thread: it would take ${result.parts} posts; the most is ${defaultSplitOptions.maxParts}.`;
    throw new HayonError('content_too_long', message, { field, userMessage: message });
  }
}
