import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SigningSecrets } from './signing-secrets.js';
import { newHookSecret } from './signing-secrets.js';
import { type Actor, systemActor } from '../core/audit.js';
import type { AuditLog } from './audit-log.js';
import type { Clock } from '../core/clock.js';
import { HayonError } from '../core/errors.js';
import { type Hook, hookSourceIds } from '../core/hook.js';
import type { MediaRef } from '../core/post-request.js';
import type { PostWithDeliveries } from '../core/post.js';
import type { PostsService } from './posts/posts-service.js';
import { zodToHayonError } from '../core/errors.js';
import { parseWhen } from '../core/schedule.js';
import { isNextSlot } from '../core/slots.js';
import { resolveTargets } from '../core/targets.js';
import { isValidTimeZone } from '../core/time-zone.js';
import type { RateLimiter } from '../core/rate-limiter.js';
import type { AccountStore } from '../store/ports/account-store.js';
import type { HookStore } from '../store/ports/hook-store.js';
import type { PostStore } from '../store/ports/post-store.js';
import type { WorkspaceStore } from '../store/ports/workspace-store.js';
import { HookPayloadError, type HookEvent, type HookSource, hookSources } from '../core/hooks/sources.js';
import { compileTemplate, type Template, TemplateError } from '../core/hooks/template.js';

/** What `hayon hooks create` (and later an API) gives. */
export const createHookSchema = z
  .object({
    source: z.enum(hookSourceIds),
    name: z.string().min(1).max(100).optional(),
    /** Default: the source's template. */
    template: z.string().min(1).max(5000).optional(),
    /** Generic hooks: a template giving an image URL to attach, e.g. `{{image?}}`. */
    mediaTemplate: z.string().min(1).max(1000).optional(),
    targets: z.array(z.string().min(1).max(300)).min(1).max(50),
    when: z.string().max(200).optional(),
    timezone: z.string().max(64).optional(),
    thread: z.enum(['auto', 'off']).optional(),
    callbackUrl: z.string().max(2048).optional(),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type CreateHookInput = z.input<typeof createHookSchema>;

export interface HooksServiceDeps {
  /** The hooks; the workspace and accounts a hook posts with; a post an event's key already made. */
  store: HookStore & WorkspaceStore & AccountStore & PostStore;
  posts: PostsService;
  secrets: SigningSecrets;
  limiter: RateLimiter;
  clock: Clock;
  /** `HAYON_PUBLIC_URL`, for the hook's URL. */
  publicUrl: string;
  defaultTimezone: string;
  /** Accepted events per minute for hooks that set none. */
  perHookPerMinute: number;
  checkCallbackUrl(url: string, field: string): Promise<void>;
  /** Records who made, switched, re-keyed and deleted each hook (never fails the action). */
  audit?: Pick<AuditLog, 'record'>;
}

/** What an incoming webhook gets back. */
export type HookAnswer =
  | { status: 202; kind: 'created'; value: PostWithDeliveries }
  | { status: 200; kind: 'repeated'; value: PostWithDeliveries }
  | { status: 202; kind: 'ignored'; reason: string };

export interface IncomingHookRequest {
  header(name: string): string | undefined;
  body: Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Incoming webhooks: made with `hayon hooks create`, received at `POST /v1/hooks/{id}`. An event
 * is checked (hook enabled, signature, rate, JSON, what the source needs), turned into a post
 * through the hook's template, and handed to `posts.create` like every other way in; the
 * source's event id is the idempotency key, so a repeated delivery returns the same post.
 */
export class HooksService {
  constructor(private readonly deps: HooksServiceDeps) {}

  /** Makes a hook after checking everything a first event would need; the secret is returned once. */
  async create(
    workspaceId: string,
    input: unknown,
    actor: Actor = systemActor,
  ): Promise<{ hook: Hook; secret: string; url: string }> {
    const parsed = createHookSchema.safeParse(input);
    if (!parsed.success) throw zodToHayonError(parsed.error);
    const spec = parsed.data;
    const source = hookSources[spec.source];
    const template = spec.template ?? source.defaultTemplate;
    checkTemplate(template, source, 'template');
    if (spec.mediaTemplate !== undefined) checkTemplate(spec.mediaTemplate, source, 'mediaTemplate');
    const { store, clock } = this.deps;
    const workspace = await store.getWorkspace(workspaceId);
    if (!workspace) {
      throw invalidField(
        'workspace',
        `There is no workspace "${workspaceId}": connect an account to it first (hayon accounts connect bluesky --workspace ${workspaceId}).`,
      );
    }
    resolveTargets(spec.targets, await store.listAccounts(workspaceId));
    const timezone = spec.timezone ?? workspace.settings?.timezone ?? this.deps.defaultTimezone;
    if (!isValidTimeZone(timezone)) throw invalidField('timezone', `"${timezone}" is not an IANA time zone.`);
    if (spec.when !== undefined && !isNextSlot(spec.when)) parseWhen(spec.when, { timezone, now: clock() });
    if (spec.callbackUrl !== undefined) await this.deps.checkCallbackUrl(spec.callbackUrl, 'callbackUrl');
    const now = clock();
    const id = `hk_${randomBytes(12).toString('base64url')}`;
    const secret = newHookSecret();
    const hook: Hook = {
      id,
      workspaceId,
      source: spec.source,
      name: spec.name ?? spec.source,
      template,
      ...(spec.mediaTemplate !== undefined ? { mediaTemplate: spec.mediaTemplate } : {}),
      targets: spec.targets,
      ...(spec.when !== undefined ? { when: spec.when } : {}),
      ...(spec.timezone !== undefined ? { timezone: spec.timezone } : {}),
      ...(spec.thread !== undefined ? { thread: spec.thread } : {}),
      ...(spec.callbackUrl !== undefined ? { callbackUrl: spec.callbackUrl } : {}),
      ...(spec.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: spec.rateLimitPerMinute } : {}),
      secret: this.deps.secrets.seal(id, secret),
      enabled: true,
      createdAt: now,
      updatedAt: now,
    };
    await store.createHook(hook);
    const details = { source: hook.source, targets: hook.targets.join(',') };
    await this.deps.audit?.record({ workspaceId, actor, action: 'hook.created', target: id, details });
    return { hook, secret, url: this.url(hook.id) };
  }

  url(hookId: string): string {
    return `${this.deps.publicUrl}/v1/hooks/${hookId}`;
  }

  async get(workspaceId: string, id: string): Promise<Hook> {
    const hook = await this.deps.store.getHook(id);
    if (!hook || hook.workspaceId !== workspaceId) {
      throw new HayonError('not_found', `no hook ${id}`, { field: 'hookId', userMessage: `No webhook with id ${id}.` });
    }
    return hook;
  }

  list(workspaceId: string): Promise<Hook[]> {
    return this.deps.store.listHooks(workspaceId);
  }

  async setEnabled(workspaceId: string, id: string, enabled: boolean, actor: Actor = systemActor): Promise<Hook> {
    await this.get(workspaceId, id);
    const hook = (await this.deps.store.updateHook(id, { enabled }, this.deps.clock())) as Hook;
    const action = enabled ? 'hook.enabled' : 'hook.disabled';
    await this.deps.audit?.record({ workspaceId, actor, action, target: id });
    return hook;
  }

  /** A new secret, returned once; the old one stops working at once. */
  async rotateSecret(workspaceId: string, id: string, actor: Actor = systemActor): Promise<string> {
    await this.get(workspaceId, id);
    const secret = newHookSecret();
    await this.deps.store.updateHook(id, { secret: this.deps.secrets.seal(id, secret) }, this.deps.clock());
    await this.deps.audit?.record({ workspaceId, actor, action: 'hook.secret_rotated', target: id });
    return secret;
  }

  async delete(workspaceId: string, id: string, actor: Actor = systemActor): Promise<void> {
    await this.get(workspaceId, id);
    await this.deps.store.deleteHook(id);
    await this.deps.audit?.record({ workspaceId, actor, action: 'hook.deleted', target: id });
  }

  /** One incoming event. Throws a HayonError (a 4xx naming the field) for anything refused; nothing is stored then. */
  async receive(hookId: string, req: IncomingHookRequest): Promise<HookAnswer> {
    const { store, clock } = this.deps;
    const hook = await store.getHook(hookId);
    if (!hook) {
      throw new HayonError('not_found', 'unknown hook', {
        field: 'hookId',
        userMessage: `No webhook ${hookId}: it may have been deleted (hayon hooks list shows the ones there are).`,
      });
    }
    if (!hook.enabled) {
      throw new HayonError('forbidden', 'hook disabled', {
        field: 'hookId',
        userMessage: `The webhook ${hook.id} is disabled (hayon hooks enable ${hook.id} turns it back on).`,
      });
    }
    const source = hookSources[hook.source];
    const request = { headers: (name: string) => req.header(name), body: req.body, nowMs: clock() };
    const check = source.verify(request, [this.deps.secrets.open(hook)]);
    if (!check.ok) {
      throw new HayonError('unauthorized', `bad signature: ${check.reason}`, {
        field: source.signatureHeader,
        userMessage: check.message,
      });
    }
    this.deps.limiter.take(`hook:${hook.id}`, hook.rateLimitPerMinute ?? this.deps.perHookPerMinute, 'hookId');
    const event = readEvent(source, request, req.body);
    if (event.kind === 'ignore') return { status: 202, kind: 'ignored', reason: event.reason };
    void store.updateHook(hook.id, { lastUsedAt: clock() }, clock()).catch(() => undefined);

    if (event.eventId !== undefined && event.eventId.length > 255) {
      throw new HayonError('invalid_request', 'event id too long', {
        field: source.id === 'github' ? 'X-GitHub-Delivery' : 'Idempotency-Key',
        userMessage: "The event's id is longer than 255 characters.",
      });
    }
    const key = event.eventId === undefined ? undefined : `hook:${hook.id}:${event.eventId}`;
    if (key) {
      const existing = await store.findPostByIdempotencyKey(hook.workspaceId, key);
      if (existing) return { status: 200, kind: 'repeated', value: existing };
    }
    const text = render(compileTemplate(hook.template), event.fields);
    const media: MediaRef[] = event.media.map((m) => ({ url: m.url, ...(m.alt ? { alt: m.alt } : {}) }));
    if (hook.mediaTemplate) {
      const url = render(compileTemplate(hook.mediaTemplate), event.fields);
      if (url) media.push({ url });
    }
    const workspace = await store.getWorkspace(hook.workspaceId);
    const outcome = await this.deps.posts.create(
      {
        text,
        media,
        targets: hook.targets,
        ...(hook.when !== undefined ? { when: hook.when } : {}),
        ...(hook.thread !== undefined ? { thread: hook.thread } : {}),
        ...(hook.callbackUrl !== undefined ? { callbackUrl: hook.callbackUrl } : {}),
      },
      {
        workspaceId: hook.workspaceId,
        origin: { kind: 'webhook', hookId: hook.id },
        author: { id: hook.id, name: `webhook ${hook.name}` },
        idempotencyKey: key,
        defaultTimezone: hook.timezone ?? workspace?.settings?.timezone ?? this.deps.defaultTimezone,
      },
    );
    return outcome.created
      ? { status: 202, kind: 'created', value: outcome.value }
      : { status: 200, kind: 'repeated', value: outcome.value };
  }
}

function invalidField(field: string, message: string): HayonError {
  return new HayonError('invalid_request', message, { field, userMessage: `${field}: ${message}` });
}

/** A template that compiles and, for sources with known fields, uses only those. */
function checkTemplate(source: string, hookSource: HookSource, field: string): Template {
  let template: Template;
  try {
    template = compileTemplate(source);
  } catch (e) {
    if (e instanceof TemplateError) throw invalidField(field, e.message);
    throw e;
  }
  const known = hookSource.fields;
  if (known) {
    const unknown = template.fields.find((f) => !Object.hasOwn(known, f.path.split('.')[0] ?? ''));
    if (unknown) {
      throw invalidField(
        field,
        `{{${unknown.path}}} is not a field of ${hookSource.id} events; they have ${Object.keys(known).join(', ')}.`,
      );
    }
  }
  return template;
}

function readEvent(source: HookSource, request: Parameters<HookSource['read']>[0], body: Buffer): HookEvent {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch (e) {
    throw new HayonError('invalid_request', 'malformed JSON', {
      field: 'body',
      userMessage: 'The body is not valid JSON (in UTF-8).',
      cause: e,
    });
  }
  try {
    return source.read(request, json);
  } catch (e) {
    if (e instanceof HookPayloadError) {
      throw new HayonError('invalid_request', e.message, { field: e.field, userMessage: `${e.field}: ${e.message}` });
    }
    throw e;
  }
}

function render(template: Template, fields: Record<string, unknown>): string {
  const result = template.render(fields);
  if (result.ok) return result.text;
  const message =
    result.reason === 'missing'
      ? `The hook's template uses {{${result.missing}}}, which this event does not have.`
      : `The hook's template uses {{${result.missing}}}, which in this event is not text (an object or a list).`;
  throw new HayonError('template_field_missing', message, { field: result.missing, userMessage: message });
}
