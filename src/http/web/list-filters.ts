import type { DeliveryState, Origin, PostWithDeliveries } from '../../core/post.js';

export const statusFilters = ['all', 'scheduled', 'published', 'failed'] as const;
export type StatusFilter = (typeof statusFilters)[number];
export const sourceFilters = ['all', 'slack', 'discord', 'api', 'webhook', 'cli', 'web'] as const;
export type SourceFilter = (typeof sourceFilters)[number];

export interface ListFilters {
  status: StatusFilter;
  /** An account id, or `all`. */
  account: string;
  source: SourceFilter;
}

const statesOf: Record<Exclude<StatusFilter, 'all'>, readonly DeliveryState[]> = {
  scheduled: ['scheduled', 'queued', 'publishing', 'unknown'],
  published: ['published'],
  failed: ['failed'],
};

const pick = <T extends string>(all: readonly T[], value: string | undefined): T =>
  (all as readonly string[]).includes(value ?? '') ? (value as T) : (all[0] as T);

export function readFilters(query: (name: string) => string | undefined): ListFilters {
  return {
    status: pick(statusFilters, query('status')),
    account: query('account') || 'all',
    source: pick(sourceFilters, query('source')),
  };
}

/**
 * Whether a post passes the filters: its source is where it came from; a status or an account
 * looks at its deliveries (with both, at that account's delivery), so a post that failed on one
 * platform and went out on another is both "failed" and "published".
 */
export function matches(value: PostWithDeliveries, f: ListFilters): boolean {
  const origin: Origin['kind'] = value.post.origin.kind;
  if (f.source !== 'all' && origin !== f.source) return false;
  const deliveries = f.account === 'all' ? value.deliveries : value.deliveries.filter((d) => d.accountId === f.account);
  if (deliveries.length === 0) return false;
  if (f.status === 'all') return true;
  const states = statesOf[f.status];
  return deliveries.some((d) => states.includes(d.state));
}
