import { expect, it } from 'vitest';
import type { Post } from '../../../src/core/post.js';
import type { Store } from '../../../src/store/store.js';
import { makeAccount, makeDelivery, makePost, MINUTE, T0 } from '../store-fixtures.js';

/** `listPostsScheduled` and `listScheduledTimes`: what the web calendar reads for a week or a month. */
export function postCalendarCases(store: () => Store): void {
  it('lists the posts scheduled in [from, to), soonest first, within the workspace and the limit', async () => {
    const at = (i: number) => T0 + i * MINUTE;
    const posts: Post[] = [];
    for (const i of [4, 0, 2, 1, 3]) {
      const p = makePost('ws_cal', { scheduledAt: at(i), createdAt: T0 + (10 - i) * MINUTE });
      await store().createPost(p, [makeDelivery(p, makeAccount('ws_cal'))]);
      posts[i] = p;
    }
    const other = makePost('ws_other', { scheduledAt: at(1) });
    await store().createPost(other, [makeDelivery(other, makeAccount('ws_other'))]);
    const ids = (list: { post: Post }[]) => list.map((x) => x.post.id);

    const window = await store().listPostsScheduled('ws_cal', { from: at(1), to: at(4), limit: 100 });
    expect(ids(window)).toEqual([1, 2, 3].map((i) => posts[i]!.id));
    expect(window.every((x) => x.deliveries.length === 1)).toBe(true);
    const limited = await store().listPostsScheduled('ws_cal', { from: at(0), to: at(5), limit: 2 });
    expect(ids(limited)).toEqual([posts[0]!.id, posts[1]!.id]);
    expect(await store().listPostsScheduled('ws_cal', { from: at(5), to: at(9), limit: 10 })).toEqual([]);
  });

  it('lists the times of the posts scheduled in [from, to), one per post, in order', async () => {
    const at = (i: number) => T0 + i * MINUTE;
    for (const i of [3, 1, 1, 0]) {
      const p = makePost('ws_times', { scheduledAt: at(i) });
      await store().createPost(p, [makeDelivery(p, makeAccount('ws_times'))]);
    }
    const other = makePost('ws_other', { scheduledAt: at(1) });
    await store().createPost(other, [makeDelivery(other, makeAccount('ws_other'))]);
    expect(await store().listScheduledTimes('ws_times', { from: at(1), to: at(4) })).toEqual([at(1), at(1), at(3)]);
    expect(await store().listScheduledTimes('ws_times', { from: at(4), to: at(9) })).toEqual([]);
  });
}
