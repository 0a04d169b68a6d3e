import { resolveContent } from '../../core/content.js';
import { HayonError } from '../../core/errors.js';
import type { Account, PlatformId, Post } from '../../core/post.js';
import type { PostRequest } from '../../core/post-request.js';
import { parseWhen, type ResolvedSchedule } from '../../core/schedule.js';
import { isNextSlot } from '../../core/slots.js';
import { resolveTargets } from '../../core/targets.js';
import type { PostsServiceDeps } from './deps.js';
import { nextFreeSlot } from './next-slot.js';
import { planContent } from './plan-content.js';
import { parsePostRequest } from './validate-post.js';
import { checkContext, lazyDeadline } from './check-context.js';

/** A refusal the request would get, naming its field (`when`, `targets[1]`, `overrides.mastodon.text`). */
export interface DraftIssue {
  field: string;
  message: string;
}

/** One target of a draft: its text counted the way its platform counts, and the thread it would become. */
export interface DraftTarget {
  accountId: string;
  platform: PlatformId;
  handle: string;
  count?: number;
  max?: number;
  unit?: 'graphemes' | 'characters';
  /** The thread's parts, when the text is split there. */
  parts?: string[];
}

/** What a draft would become, without storing anything: the composer's live view. */
export interface DraftPreview {
  schedule?: ResolvedSchedule;
  targets: DraftTarget[];
  /** The refusals `create` would answer with now (the first per kind of check). */
  issues: DraftIssue[];
}

export interface PreviewContext {
  workspaceId: string;
  /** Used when the draft names no time zone. */
  defaultTimezone?: string;
}

const issueOf = (e: unknown): DraftIssue => {
  const h = HayonError.from(e);
  if (!h.isClientError) throw e;
  return { field: h.field ?? 'body', message: h.publicMessage };
};

/**
 * The same checks as `create` (the schema, `parseWhen`, the targets, each platform's rules and
 * thread splitting in `planContent`), run on a draft; media is not fetched, so a check about
 * attachments waits for the real submit.
 */
export async function previewPost(
  deps: PostsServiceDeps,
  input: Record<string, unknown>,
  ctx: PreviewContext,
): Promise<DraftPreview> {
  const issues: DraftIssue[] = [];
  const now = deps.clock();
  const timezone =
    typeof input.timezone === 'string' && input.timezone ? input.timezone : (ctx.defaultTimezone ?? 'UTC');
  let schedule: ResolvedSchedule | undefined;
  const when = typeof input.when === 'string' ? input.when : undefined;
  try {
    schedule = isNextSlot(when)
      ? await nextFreeSlot(deps, ctx.workspaceId, { now, defaultTimezone: ctx.defaultTimezone ?? 'UTC' })
      : parseWhen(when, { timezone, now });
  } catch (e) {
    issues.push(issueOf(e));
  }
  const targets = Array.isArray(input.targets) ? input.targets : [];
  if (targets.length === 0) {
    return { ...(schedule ? { schedule } : {}), targets: [], issues: [...issues, noTargets] };
  }
  let request: PostRequest;
  try {
    request = parsePostRequest({ ...input, media: [], when: undefined });
  } catch (e) {
    return { ...(schedule ? { schedule } : {}), targets: [], issues: [...issues, issueOf(e)] };
  }
  let accounts: Account[];
  try {
    accounts = resolveTargets(request.targets, await deps.store.listAccounts(ctx.workspaceId));
  } catch (e) {
    return { ...(schedule ? { schedule } : {}), targets: [], issues: [...issues, issueOf(e)] };
  }
  const post = draftPost(request, ctx.workspaceId, now);
  let plans: (string[] | undefined)[] = [];
  try {
    plans = await planContent(deps, post, accounts);
  } catch (e) {
    issues.push(issueOf(e));
  }
  const measured = await measure(deps, post, accounts);
  return {
    ...(schedule ? { schedule } : {}),
    targets: measured.map((t, i) => (plans[i] ? { ...t, parts: plans[i] } : t)),
    issues,
  };
}

const noTargets: DraftIssue = { field: 'targets', message: 'Choose at least one account to post to.' };

function draftPost(request: PostRequest, workspaceId: string, now: number): Post {
  const overrides: Post['overrides'] = {};
  for (const [platform, o] of Object.entries(request.overrides ?? {})) {
    const { media: _media, ...rest } = o;
    overrides[platform as PlatformId] = rest;
  }
  return {
    id: 'post_draft',
    workspaceId,
    author: {},
    origin: { kind: 'web' },
    content: {
      text: request.text,
      media: [],
      ...(request.thread ? { thread: request.thread } : {}),
      ...(request.threadCounter !== undefined ? { threadCounter: request.threadCounter } : {}),
    },
    overrides,
    scheduledAt: now,
    timezone: 'UTC',
    correlationId: 'draft',
    createdAt: now,
  };
}

/** Each account's count and limit, from its platform's rules (as `measureTargets` does for a stored post). */
async function measure(deps: PostsServiceDeps, post: Post, accounts: Account[]): Promise<DraftTarget[]> {
  const signal = lazyDeadline(deps.validateTimeoutMs ?? 10_000);
  return Promise.all(
    accounts.map(async (account): Promise<DraftTarget> => {
      const base = { accountId: account.id, platform: account.platform, handle: account.handle };
      const platform = deps.platforms[account.platform];
      if (!platform) return base;
      try {
        const rules = await platform.rules(checkContext(deps, account, signal));
        const text = resolveContent(post, account.platform).text;
        return { ...base, count: rules.count(text), max: rules.maxLength, unit: rules.unit };
      } catch {
        return base;
      }
    }),
  );
}
