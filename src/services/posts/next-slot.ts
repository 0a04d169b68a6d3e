import type { AuditEntry } from '../../core/audit.js';
import { HayonError } from '../../core/errors.js';
import type { Delivery, Post } from '../../core/post.js';
import { formatInZone, type ResolvedSchedule } from '../../core/schedule.js';
import { firstFree, parseSlots, slotHorizonWeeks, slotTimes } from '../../core/slots.js';
import { type CreatePostResult, SlotTakenError } from '../../store/ports/post-store.js';
import type { PostsServiceDeps } from './deps.js';

const weekMs = 7 * 86_400_000;

export interface SlotOptions {
  /** The zone of the slots when the workspace sets none (HAYON_DEFAULT_TIMEZONE). */
  defaultTimezone: string;
  /** The zone the answer shows the slot in (the author's); default the slots' zone. */
  displayZone?: string | undefined;
}
/** How often a post looks again after another took its slot first; each loss means another post won. */
const maxTries = 25;

/**
 * `when: "next slot"`: the first slot of the workspace's weekly schedule after `now` that no
 * other post holds (`PostStore.heldTimes`), in the workspace's time zone. A 400 saying how to set
 * slots when there are none; a 409 when every slot of the next 8 weeks is held.
 */
export async function nextFreeSlot(
  deps: Pick<PostsServiceDeps, 'store'>,
  workspaceId: string,
  options: SlotOptions & { now: number },
): Promise<ResolvedSchedule> {
  const settings = (await deps.store.getWorkspace(workspaceId))?.settings;
  if (!settings?.slots) {
    throw new HayonError('invalid_schedule', 'no slots', {
      field: 'when',
      userMessage:
        '"next slot" takes the next free slot of the workspace\'s weekly schedule, and this workspace has none yet. ' +
        'Set them with `hayon workspace set --slots "mon-fri 09:00,13:00; sat 10:00"` (in the workspace\'s ' +
        '--timezone), or give a time such as "tomorrow 9am".',
    });
  }
  const timezone = settings.timezone ?? options.defaultTimezone;
  const until = options.now + slotHorizonWeeks * weekMs;
  const candidates = slotTimes(parseSlots(settings.slots), timezone, options.now, until);
  const held = await deps.store.heldTimes(workspaceId, { from: options.now, to: until });
  const at = firstFree(candidates, held);
  if (at === undefined) {
    throw new HayonError('conflict', 'every slot taken', {
      field: 'when',
      userMessage:
        `Every slot of the next ${slotHorizonWeeks} weeks (${settings.slots}, ${timezone}) is taken by another post. ` +
        'Add slots with `hayon workspace set --slots …`, cancel a queued post, or give a time.',
    });
  }
  const shown = options.displayZone ?? timezone;
  return { at, timezone: shown, local: formatInZone(at, shown) };
}

/**
 * Stores a post that takes a slot: the store refuses a time another post holds in the same
 * transaction as the insert (`createPost` with `slot`), so two posts asking at once never share
 * one; the one that lost looks again for the next free slot. The post and its deliveries are
 * moved to the slot it got.
 */
export async function storeInSlot(
  deps: Pick<PostsServiceDeps, 'store' | 'clock'>,
  post: Post,
  deliveries: Delivery[],
  first: ResolvedSchedule,
  options: SlotOptions,
  audit?: () => AuditEntry | undefined,
): Promise<{ result: CreatePostResult; schedule: ResolvedSchedule }> {
  let schedule = first;
  for (let attempt = 1; ; attempt++) {
    post.scheduledAt = schedule.at;
    for (const d of deliveries) d.dueAt = schedule.at;
    // The audit line (written with the post) is made once the time is known.
    const entry = audit?.();
    try {
      const result = await deps.store.createPost(post, deliveries, { slot: true, ...(entry ? { audit: entry } : {}) });
      return { result, schedule };
    } catch (e) {
      if (!(e instanceof SlotTakenError) || attempt >= maxTries) throw slotRace(e);
    }
    // A short, uneven pause lets the post that won finish storing before this one looks again.
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20)));
    schedule = await nextFreeSlot(deps, post.workspaceId, { now: deps.clock(), ...options });
  }
}

function slotRace(e: unknown): unknown {
  if (!(e instanceof SlotTakenError)) return e;
  return new HayonError('conflict', 'slot race lost', {
    field: 'when',
    cause: e,
    userMessage: 'Many posts asked for the next slot at once and none was left for this one. Send it again.',
  });
}
