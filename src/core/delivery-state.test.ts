import { describe, expect, it } from 'vitest';
import { canTransition, derivePostStatus, isTerminal } from './delivery-state.js';
import { type Delivery, type DeliveryState, deliveryStates, type PostStatus } from './post.js';

// The state machine of shared/DESIGN.md, with the additions documented in delivery-state.ts.
const allowed: Record<DeliveryState, DeliveryState[]> = {
  scheduled: ['queued', 'cancelled'],
  queued: ['publishing', 'cancelled', 'queued', 'scheduled'],
  publishing: ['published', 'queued', 'scheduled', 'failed', 'unknown'],
  unknown: ['publishing', 'cancelled'],
  published: ['deleted'],
  failed: ['queued', 'scheduled', 'deleted'],
  cancelled: [],
  deleted: [],
};

describe('canTransition', () => {
  const pairs = deliveryStates.flatMap((from) => deliveryStates.map((to) => [from, to] as const));
  const allowedPairs = pairs.filter(([from, to]) => allowed[from].includes(to));
  const forbiddenPairs = pairs.filter(([from, to]) => !allowed[from].includes(to));

  it.each(allowedPairs)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(forbiddenPairs)('forbids %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('never leaves cancelled or deleted; published only to deleted; failed back to queued or scheduled (a replay, a retry by hand) or to deleted', () => {
    for (const terminal of ['published', 'failed', 'cancelled', 'deleted'] as const)
      expect(isTerminal(terminal)).toBe(true);
    for (const terminal of ['cancelled', 'deleted'] as const) {
      for (const to of deliveryStates) expect(canTransition(terminal, to)).toBe(false);
    }
    expect(deliveryStates.filter((to) => canTransition('published', to))).toEqual(['deleted']);
    expect(deliveryStates.filter((to) => canTransition('failed', to))).toEqual(['scheduled', 'queued', 'deleted']);
    expect(canTransition('publishing', 'cancelled')).toBe(false);
    expect(canTransition('scheduled', 'publishing')).toBe(false);
    expect(canTransition('unknown', 'queued')).toBe(false);
    expect(canTransition('unknown', 'published')).toBe(false);
  });
});

describe('derivePostStatus', () => {
  const now = 1_750_000_000_000;
  const past = now - 60_000;
  const future = now + 60_000;
  type D = Pick<Delivery, 'state' | 'dueAt' | 'attempts'>;
  const d = (state: DeliveryState, dueAt = past, attempts = 0): D => ({ state, dueAt, attempts });

  const cases: [string, D[], PostStatus][] = [
    ['no deliveries', [], 'PENDING'],
    ['all published', [d('published', past, 1), d('published', past, 2)], 'COMPLETED'],
    ['all cancelled', [d('cancelled', future), d('cancelled')], 'CANCELLED'],
    ['all failed', [d('failed', past, 6), d('failed', past, 1)], 'FAILED'],
    ['published and failed', [d('published', past, 1), d('failed', past, 6)], 'PARTIAL_SUCCESS'],
    ['published and cancelled', [d('published', past, 1), d('cancelled')], 'PARTIAL_SUCCESS'],
    ['failed and cancelled', [d('failed', past, 6), d('cancelled')], 'FAILED'],
    ['all scheduled in the future', [d('scheduled', future), d('scheduled', future + 1)], 'SCHEDULED'],
    ['scheduled in the future beside a cancelled one', [d('scheduled', future), d('cancelled')], 'SCHEDULED'],
    ['scheduled and due', [d('scheduled', past)], 'PENDING'],
    ['scheduled due exactly now', [d('scheduled', now)], 'PENDING'],
    ['one due, one in the future', [d('scheduled', past), d('scheduled', future)], 'PENDING'],
    ['queued, never tried', [d('queued')], 'PENDING'],
    ['queued and scheduled in the future', [d('queued'), d('scheduled', future)], 'PENDING'],
    ['publishing', [d('publishing', past, 1)], 'PROCESSING'],
    ['unknown (worker died mid-call)', [d('unknown', past, 1)], 'PROCESSING'],
    ['queued for a retry', [d('queued', future, 2)], 'PROCESSING'],
    ['scheduled for a later retry', [d('scheduled', future, 3)], 'PROCESSING'],
    ['one published, one still queued', [d('published', past, 1), d('queued')], 'PROCESSING'],
    ['one failed, one still scheduled', [d('failed', past, 6), d('scheduled', future)], 'PROCESSING'],
    ['all deleted', [d('deleted', past, 1), d('deleted', past, 1)], 'DELETED'],
    ['deleted beside cancelled and failed', [d('deleted', past, 1), d('cancelled'), d('failed', past, 6)], 'DELETED'],
    ['deleted, one still up (Instagram)', [d('deleted', past, 1), d('published', past, 1)], 'PARTIAL_SUCCESS'],
  ];

  it.each(cases)('%s → %s', (_, deliveries, expected) => {
    expect(derivePostStatus(deliveries, now)).toBe(expected);
  });

  it('turns from SCHEDULED to PENDING when the time comes', () => {
    const deliveries = [d('scheduled', future)];
    expect(derivePostStatus(deliveries, now)).toBe('SCHEDULED');
    expect(derivePostStatus(deliveries, future)).toBe('PENDING');
  });
});
