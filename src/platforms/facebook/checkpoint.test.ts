import { describe, expect, it } from 'vitest';
import { readCheckpoint } from './checkpoint.js';

describe('Facebook checkpoint', () => {
  it('reads what publish saved and drops anything malformed', () => {
    expect(readCheckpoint({ photoIds: ['1', '2'], feedStartedAt: 1_700_000_000_000, postId: '9_8' })).toEqual({
      photoIds: ['1', '2'],
      feedStartedAt: 1_700_000_000_000,
      postId: '9_8',
    });
    expect(readCheckpoint({ photoIds: [1, '2'], feedStartedAt: 'soon', postId: '' })).toEqual({});
    expect(readCheckpoint(undefined)).toEqual({});
  });
});
