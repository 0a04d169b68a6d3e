import { type Actor, systemActor } from '../../core/audit.js';
import { editableStates } from '../../core/delivery-state.js';
import { HayonError, zodToHayonError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { AttachedMedia } from '../../core/media-intake.js';
import type { Account, Delivery, Post, PostWithDeliveries } from '../../core/post.js';
import { type PostPatch, postPatchFields, postPatchSchema } from '../../core/post-patch.js';
import { withStoredMedia } from '../../core/post-media.js';
import { formatInZone, parseWhen, type ResolvedSchedule } from '../../core/schedule.js';
import { isNextSlot } from '../../core/slots.js';
import type { PostsServiceDeps } from './deps.js';
import { findPost } from './find-post.js';
import { nextFreeSlot } from './next-slot.js';
import { planContent } from './plan-content.js';
import { deliveryName } from './retry-post.js';
import { activeTargets, attachMedia, checkAltText, checkHasContent, storedMediaOf } from './validate-post.js';

export interface EditPostOutcome {
  value: PostWithDeliveries;
  schedule: ResolvedSchedule;
  /** The accounts the post's deliveries go to (for showing handles). */
  accounts: Account[];
}

/**
 * "Edit": changes text, media, overrides, targets, time or zone of a post nothing of which has
 * started publishing (every delivery still scheduled or queued). The post as edited goes through
 * the checks a new post does (the same functions as create-post.ts: targets and their accounts'
 * health, text or media, alt text, each platform's rules, thread plans, media intake), then one
 * store step replaces it; a target added is a new delivery, one removed is cancelled, a new time
 * reschedules and the scheduler is told. A delivery that had started is a 409 naming it, and
 * nothing changes.
 */
export async function editPost(
  deps: PostsServiceDeps,
  workspaceId: string,
  id: string,
  input: unknown,
  actor: Actor = systemActor,
): Promise<EditPostOutcome> {
  const patch = parsePatch(input);
  const found = await findPost(deps.store, workspaceId, id);
  const allAccounts = await deps.store.listAccounts(workspaceId);
  checkNotStarted(found, found.deliveries, allAccounts);
  const { post: old } = found;
  const now = deps.clock();
  const timezone = patch.timezone ?? old.timezone;
  // "next slot" takes the first free slot as a new post does (not guarded against a post taking
  // the same slot at the same moment, as create's insert is).
  const slotZone = { defaultTimezone: deps.defaultTimezone ?? old.timezone, displayZone: timezone };
  const schedule = isNextSlot(patch.when)
    ? await nextFreeSlot(deps, workspaceId, { now, ...slotZone })
    : patch.when !== undefined || patch.timezone !== undefined
      ? parseWhen(patch.when ?? new Date(Math.max(old.scheduledAt, now)).toISOString(), { timezone, now })
      : { at: old.scheduledAt, timezone, local: formatInZone(old.scheduledAt, timezone) };
  const live = found.deliveries.filter((d) => d.state !== 'cancelled');
  const accounts = await activeTargets(deps, patch.targets ?? live.map((d) => d.accountId), workspaceId);
  checkHasContent({ text: patch.text ?? old.content.text, media: patch.media ?? old.content.media });
  // An edit's attachments go beside the post's own, so a refused edit removes only its own.
  const attached = await attachMedia(
    deps,
    { media: patch.media ?? [], overrides: patch.overrides },
    workspaceId,
    `${id}/edit-${now}`,
  );
  try {
    const post = editedPost(old, patch, attached, schedule);
    await checkAltText(deps, workspaceId, storedMediaOf(post));
    const plans = await planContent(deps, post, accounts);
    const outcome = await store(deps, { found, post, accounts, plans, schedule, now, allAccounts });
    await attached?.commit().catch(() => undefined);
    await removeReplaced(deps, old, post);
    const details = { fields: Object.keys(patch).join(','), deliveries: outcome.deliveries.length };
    await deps.audit?.record({ workspaceId, actor, action: 'post.edited', target: id, details });
    const waiting = outcome.deliveries.filter((d) => d.state === 'scheduled');
    if (schedule.at <= now && deps.onDueNow) deps.onDueNow({ post, deliveries: waiting });
    else deps.onScheduled?.(schedule.at);
    return { value: outcome, schedule, accounts };
  } catch (e) {
    await attached?.discard().catch(() => undefined);
    throw e;
  }
}

function parsePatch(input: unknown): PostPatch {
  const parsed = postPatchSchema.safeParse(input);
  if (!parsed.success) throw zodToHayonError(parsed.error);
  if (Object.keys(parsed.data).length === 0) {
    const message = `Nothing to change: give one or more of ${postPatchFields.join(', ')}.`;
    throw new HayonError('invalid_request', 'empty edit', { field: 'body', userMessage: message });
  }
  return parsed.data;
}

/** The post as edited: each field given replaces the stored one; attachments as the media store holds them. */
function editedPost(old: Post, patch: PostPatch, attached: AttachedMedia | null, schedule: ResolvedSchedule): Post {
  const stored = withStoredMedia({ media: patch.media ?? [], overrides: patch.overrides }, attached);
  const thread = patch.thread ?? old.content.thread;
  const threadCounter = patch.threadCounter ?? old.content.threadCounter;
  const linkPreview = patch.linkPreview ?? old.content.linkPreview;
  return {
    ...old,
    content: {
      text: patch.text ?? old.content.text,
      media: patch.media ? stored.global : old.content.media,
      ...(thread ? { thread } : {}),
      ...(threadCounter !== undefined ? { threadCounter } : {}),
      ...(linkPreview === false ? { linkPreview: false } : {}),
    },
    overrides: patch.overrides ? stored.overrides : old.overrides,
    scheduledAt: schedule.at,
    timezone: schedule.timezone,
  };
}

async function store(
  deps: PostsServiceDeps,
  made: {
    found: PostWithDeliveries;
    post: Post;
    accounts: Account[];
    plans: (string[] | undefined)[];
    schedule: ResolvedSchedule;
    now: number;
    allAccounts: Account[];
  },
): Promise<PostWithDeliveries> {
  const { found, post, accounts, plans, schedule, now } = made;
  const live = found.deliveries.filter((d) => d.state !== 'cancelled');
  const byAccount = new Map(live.map((d) => [d.accountId, d]));
  const chosen = new Set(accounts.map((a) => a.id));
  const keep: { id: string; parts?: string[] }[] = [];
  const add: Delivery[] = [];
  accounts.forEach((account, i) => {
    const parts = plans[i];
    const existing = byAccount.get(account.id);
    if (existing) keep.push({ id: existing.id, ...(parts ? { parts } : {}) });
    else {
      add.push({
        id: newId('dlv', now),
        postId: post.id,
        workspaceId: post.workspaceId,
        accountId: account.id,
        platform: account.platform,
        state: 'scheduled',
        dueAt: schedule.at,
        attempts: 0,
        ...(parts ? { parts } : {}),
        createdAt: now,
        updatedAt: now,
      });
    }
  });
  const cancel = live.filter((d) => !chosen.has(d.accountId)).map((d) => d.id);
  const result = await deps.store.editPost({ post, keep, add, cancel, dueAt: schedule.at, at: now });
  // A worker took a delivery between the first look and the write: refused the same way.
  if (!result.edited) checkNotStarted(found, result.started, made.allAccounts);
  if (!result.edited) throw new Error('editPost refused the edit without naming a delivery');
  return result.value;
}

/** A 409 naming each delivery that has started (or the whole post, cancelled); nothing is changed. */
function checkNotStarted(found: PostWithDeliveries, deliveries: readonly Delivery[], accounts: readonly Account[]) {
  if (found.deliveries.every((d) => d.state === 'cancelled')) {
    throw new HayonError('conflict', 'cancelled', {
      field: 'id',
      userMessage: 'This post was cancelled, so there is nothing to edit: make a new post instead.',
    });
  }
  const started = deliveries.filter((d) => d.state !== 'cancelled' && !editableStates.includes(d.state));
  if (started.length === 0) return;
  const names = started.map((d) => `${deliveryName(d, accounts)} is ${d.state}`).join('; ');
  const waiting = found.deliveries.some((d) => editableStates.includes(d.state));
  const failed = started.some((d) => d.state === 'failed');
  const message =
    `Nothing was changed: only a post nothing of which has started publishing can be edited, and ${names}. ` +
    `Make a new post with the change instead${waiting ? ' (cancel this one first if what still waits should not go out)' : ''}` +
    `${failed ? ', or retry what failed as it is' : ''}.`;
  throw new HayonError('conflict', 'post has started publishing', { field: 'id', userMessage: message });
}

/** Attachments the edit replaced are removed from the media store (never fails the edit). */
async function removeReplaced(deps: PostsServiceDeps, old: Post, post: Post): Promise<void> {
  if (!deps.removeMedia) return;
  const keys = (p: Post) =>
    [...p.content.media, ...Object.values(p.overrides).flatMap((o) => o?.media ?? [])]
      .map((m) => m.key)
      .filter((k): k is string => k !== undefined);
  const still = new Set(keys(post));
  const gone = keys(old).filter((k) => !still.has(k));
  if (gone.length) await deps.removeMedia(gone).catch(() => undefined);
}
