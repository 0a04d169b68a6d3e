import { describe, expect, it } from 'vitest';
import { parsePostText } from './post-text.js';

const now = Date.parse('2026-11-28T12:00:00Z');
const parse = (text: string, accountIds: string[] = []) =>
  parsePostText(text, { timezone: 'Europe/Berlin', now, accountIds });

describe('parsePostText', () => {
  it.each([
    [
      'Launch day! https://example.com tomorrow 9am to bluesky,mastodon',
      { text: 'Launch day! https://example.com', when: 'tomorrow 9am', targets: ['bluesky', 'mastodon'] },
    ],
    ['Hello world', { text: 'Hello world' }],
    ['Hello world in 2 hours', { text: 'Hello world', when: 'in 2 hours' }],
    ['Hello world to bluesky', { text: 'Hello world', targets: ['bluesky'] }],
    [
      'Release notes friday 17:30 Europe/London to threads',
      { text: 'Release notes', when: 'friday 17:30 Europe/London', targets: ['threads'] },
    ],
    [
      'Ship it now to mastodon:@me@mastodon.social, bluesky',
      { text: 'Ship it', when: 'now', targets: ['mastodon:@me@mastodon.social', 'bluesky'] },
    ],
    ['Welcome to Berlin', { text: 'Welcome to Berlin' }],
    ['Notes from yesterday', { text: 'Notes from yesterday' }],
    ['Standup today at 9am', { text: 'Standup', when: 'today at 9am' }],
    ['Hello 2020-01-01T09:00 to bluesky', { text: 'Hello', when: '2020-01-01T09:00', targets: ['bluesky'] }],
    ['We hit 100', { text: 'We hit 100' }],
    ['Queued next slot to bluesky', { text: 'Queued', when: 'next slot', targets: ['bluesky'] }],
    ['Weekly notes Next Free Slot', { text: 'Weekly notes', when: 'Next Free Slot' }],
    ['Take the nextslot', { text: 'Take the nextslot' }],
    ['See https://example.com/2026/12/01', { text: 'See https://example.com/2026/12/01' }],
    ['Going to acc_123', { text: 'Going', targets: ['acc_123'] }],
  ])('%s', (input, expected) => {
    expect(parse(input, ['acc_123'])).toEqual(expected);
  });
});
