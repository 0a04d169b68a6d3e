import { describe, expect, it } from 'vitest';
import type { Delivery, PostWithDeliveries } from '../core/post.js';
import { summaryLine } from './post-summary.js';

const post = (states: [Delivery['platform'], Delivery['state']][]): PostWithDeliveries =>
  ({
    post: {},
    deliveries: states.map(([platform, state], i) => ({ id: `d${i}`, platform, state, accountId: `a${i}` })),
  }) as unknown as PostWithDeliveries;

describe('summaryLine', () => {
  it.each([
    [[['bluesky', 'scheduled']], 'Scheduled'],
    [[['bluesky', 'published']], 'Published'],
    [
      [
        ['bluesky', 'published'],
        ['mastodon', 'published'],
      ],
      'Published to all 2',
    ],
    [
      [
        ['bluesky', 'published'],
        ['mastodon', 'published'],
        ['tumblr', 'failed'],
      ],
      '2/3 published, Tumblr failed',
    ],
    [
      [
        ['bluesky', 'published'],
        ['mastodon', 'queued'],
        ['tumblr', 'publishing'],
      ],
      '1/3 published, 2 still going',
    ],
    [
      [
        ['bluesky', 'queued'],
        ['mastodon', 'scheduled'],
      ],
      'Publishing…',
    ],
    [
      [
        ['bluesky', 'cancelled'],
        ['mastodon', 'cancelled'],
      ],
      'Cancelled',
    ],
    [
      [
        ['bluesky', 'published'],
        ['mastodon', 'cancelled'],
      ],
      '1/2 published, 1 cancelled',
    ],
  ] as [[Delivery['platform'], Delivery['state']][], string][])('%j → %s', (states, line) => {
    expect(summaryLine(post(states))).toBe(line);
  });
});
