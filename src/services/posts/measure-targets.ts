import { resolveContent } from '../../core/content.js';
import type { Account, PostWithDeliveries } from '../../core/post.js';
import type { PostsServiceDeps, TargetMeasure } from './deps.js';
import { checkContext, lazyDeadline } from './check-context.js';

/**
 * Each delivery's text measured the way its platform counts, against its limit (what a chat
 * reply shows next to each target). A thread shows its number of parts.
 */
export async function measureTargets(
  deps: Pick<PostsServiceDeps, 'platforms' | 'openCredentials' | 'validateTimeoutMs'>,
  value: PostWithDeliveries,
  accounts: readonly Account[],
): Promise<TargetMeasure[]> {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const signal = lazyDeadline(deps.validateTimeoutMs ?? 10_000);
  return Promise.all(
    value.deliveries.map(async (d): Promise<TargetMeasure> => {
      const account = byId.get(d.accountId);
      const platform = deps.platforms[d.platform];
      const base = { deliveryId: d.id, platform: d.platform, handle: account?.handle ?? d.accountId };
      if (!account || !platform) return base;
      try {
        const rules = await platform.rules(checkContext(deps, account, signal));
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
