import type { Actor } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { DeliveryBreakdownRow } from '../core/history.js';
import type { DeliveryStore } from '../store/ports/delivery-store.js';
import type { AuditLog } from './audit-log.js';

export interface QueueServiceDeps {
  store: Pick<DeliveryStore, 'countDeliveries' | 'nextDueAt' | 'deliveryBreakdown' | 'reviveDelivery' | 'getDelivery'>;
  clock: Clock;
  /** Records each delivery given a new life (never fails the action). */
  audit: Pick<AuditLog, 'record'>;
}

/** One platform's deliveries in `hayon queue status`. */
export interface PlatformStatus {
  platform: string;
  scheduled: number;
  /** The earliest time a scheduled delivery is due. */
  nextDueAt: string | null;
  queued: number;
  /** Publishing, or `unknown` (a worker died mid-attempt; reconciled before it is tried again). */
  inFlight: number;
  parked: number;
  /** The earliest due time among those queued or in flight: how long the oldest has waited. */
  oldestDueAt: string | null;
  failed: number;
  published: number;
}

/** What the store says of the deliveries: per state, the next due, per platform. */
export interface QueueStatus {
  deliveries: Record<string, number>;
  /** Epoch ms; null when nothing is scheduled. */
  nextDueAt: number | null;
  platforms: PlatformStatus[];
}

/** The deliveries as a whole (`hayon queue status`), and giving a parked one a new life (`replay-parked`). */
export class QueueService {
  constructor(private readonly deps: QueueServiceDeps) {}

  async status(): Promise<QueueStatus> {
    const { store } = this.deps;
    const [deliveries, nextDueAt, rows] = await Promise.all([
      store.countDeliveries(),
      store.nextDueAt(),
      store.deliveryBreakdown(),
    ]);
    return { deliveries, nextDueAt, platforms: perPlatform(rows) };
  }

  /**
   * A parked delivery back to `queued` with a new set of attempts, in the audit log as replayed.
   * False when it is no longer failed (nothing to revive).
   */
  async revive(deliveryId: string, actor: Actor): Promise<boolean> {
    const { store, clock, audit } = this.deps;
    if (!(await store.reviveDelivery(deliveryId, clock()))) return false;
    const d = await store.getDelivery(deliveryId);
    if (d) {
      await audit.record({
        workspaceId: d.workspaceId,
        actor,
        action: 'delivery.replayed',
        target: d.id,
        details: { postId: d.postId, platform: d.platform },
      });
    }
    return true;
  }
}

const empty: PlatformStatus = {
  platform: '',
  scheduled: 0,
  nextDueAt: null,
  queued: 0,
  inFlight: 0,
  parked: 0,
  oldestDueAt: null,
  failed: 0,
  published: 0,
};

function perPlatform(rows: readonly DeliveryBreakdownRow[]): PlatformStatus[] {
  const out = new Map<string, PlatformStatus>();
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
  for (const r of rows) {
    const p = out.get(r.platform) ?? { ...empty, platform: r.platform };
    out.set(r.platform, p);
    if (r.state === 'scheduled') [p.scheduled, p.nextDueAt] = [r.count, iso(r.oldestDueAt)];
    else if (r.state === 'queued' || r.state === 'publishing' || r.state === 'unknown') {
      if (r.state === 'queued') p.queued += r.count;
      else p.inFlight += r.count;
      p.oldestDueAt = earliest(p.oldestDueAt, iso(r.oldestDueAt));
    } else if (r.state === 'parked') p.parked += r.count;
    else if (r.state === 'failed') p.failed += r.count;
    else if (r.state === 'published') p.published += r.count;
  }
  return [...out.values()];
}
