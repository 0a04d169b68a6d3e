import { platformNames } from '../../core/platform-names.js';
import type { PostWithDeliveries } from '../../core/post.js';
import { fingerprint } from './post-status.js';

/**
 * What changed between the fingerprint a form carried and the post as it is now, as sentences;
 * empty when nothing did (or when the form carried none, as a script's request may not).
 */
export function whatChanged(
  shown: string | undefined,
  now: PostWithDeliveries,
  handles: Map<string, string>,
): string[] {
  if (!shown || shown === fingerprint(now)) return [];
  const before = new Map(
    shown.split(',').map((entry) => {
      const [id = '', state = '', updatedAt = ''] = entry.split(':');
      return [id, { state, updatedAt }] as const;
    }),
  );
  const changes: string[] = [];
  for (const d of now.deliveries) {
    const name = `${platformNames[d.platform]} ${handles.get(d.accountId) ?? ''}`.trim();
    const was = before.get(d.id);
    if (!was) changes.push(`${name} was added (now ${d.state}).`);
    else if (was.state !== d.state) changes.push(`${name} went from ${was.state} to ${d.state}.`);
    else if (was.updatedAt !== String(d.updatedAt)) changes.push(`${name} changed (still ${d.state}).`);
    before.delete(d.id);
  }
  for (const id of before.keys()) changes.push(`A delivery (${id}) is gone.`);
  return changes.length ? changes : ['The post changed.'];
}
