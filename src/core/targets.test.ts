import { describe, expect, it } from 'vitest';
import { HayonError } from './errors.js';
import type { Account, PlatformId } from './post.js';
import { resolveTargets } from './targets.js';

function account(id: string, platform: PlatformId, handle: string): Account {
  return {
    id,
    workspaceId: 'ws_1',
    platform,
    handle,
    remoteId: `remote-${id}`,
    credentials: 'v1.x.y.z',
    health: 'active',
    createdAt: 0,
    updatedAt: 0,
  };
}

const alice = account('acc_alice', 'bluesky', 'alice.bsky.social');
const bob = account('acc_bob', 'bluesky', 'bob.bsky.social');
const masto = account('acc_masto', 'mastodon', '@me@mastodon.social');

function refusal(targets: string[], accounts: Account[]): HayonError {
  try {
    resolveTargets(targets, accounts);
  } catch (e) {
    expect(e).toBeInstanceOf(HayonError);
    return e as HayonError;
  }
  throw new Error(`accepted ${JSON.stringify(targets)}`);
}

const ids = (accounts: Account[]) => accounts.map((a) => a.id);

describe('resolveTargets', () => {
  it("takes a platform name as the workspace's one account there", () => {
    expect(ids(resolveTargets(['bluesky'], [alice, masto]))).toEqual(['acc_alice']);
    expect(ids(resolveTargets([' Bluesky '], [alice]))).toEqual(['acc_alice']);
  });

  it.each(['bluesky:bob.bsky.social', 'bluesky:@bob.bsky.social', 'BLUESKY:Bob.Bsky.Social'])(
    'takes %s as that handle',
    (target) => {
      expect(ids(resolveTargets([target], [alice, bob]))).toEqual(['acc_bob']);
    },
  );

  it('matches a Mastodon handle with or without its leading @', () => {
    expect(ids(resolveTargets(['mastodon:me@mastodon.social'], [masto]))).toEqual(['acc_masto']);
    expect(ids(resolveTargets(['mastodon:@me@mastodon.social'], [masto]))).toEqual(['acc_masto']);
  });

  it('takes an account id', () => {
    expect(ids(resolveTargets(['acc_bob'], [alice, bob]))).toEqual(['acc_bob']);
  });

  it('keeps the order of the targets and collapses duplicates', () => {
    const chosen = resolveTargets(
      ['mastodon', 'bluesky:alice.bsky.social', 'acc_alice', 'bluesky:@alice.bsky.social', 'mastodon'],
      [alice, bob, masto],
    );
    expect(ids(chosen)).toEqual(['acc_masto', 'acc_alice']);
  });

  it('refuses an unknown platform, naming the target and its index', () => {
    const e = refusal(['bluesky', 'myspace'], [alice]);
    expect(e.code).toBe('unknown_target');
    expect(e.status).toBe(400);
    expect(e.field).toBe('targets[1]');
    expect(e.publicMessage).toContain('"myspace" is not a platform');
    expect(e.publicMessage).toContain('bluesky, mastodon');
  });

  it('refuses a platform without a connected account', () => {
    const e = refusal(['mastodon'], [alice]);
    expect(e.code).toBe('unknown_target');
    expect(e.field).toBe('targets[0]');
    expect(e.publicMessage).toBe('No mastodon account is connected to this workspace.');
  });

  it('refuses a handle that is not connected', () => {
    const e = refusal(['bluesky', 'bluesky:carol.bsky.social'], [alice]);
    expect(e.code).toBe('unknown_target');
    expect(e.field).toBe('targets[1]');
    expect(e.publicMessage).toBe('No bluesky account "carol.bsky.social" is connected to this workspace.');
  });

  it('refuses a bare platform name when the workspace has several accounts there, listing them', () => {
    const e = refusal(['mastodon', 'bluesky'], [alice, bob, masto]);
    expect(e.code).toBe('ambiguous_target');
    expect(e.status).toBe(400);
    expect(e.field).toBe('targets[1]');
    expect(e.publicMessage).toContain('bluesky:alice.bsky.social');
    expect(e.publicMessage).toContain('bluesky:bob.bsky.social');
  });

  it('refuses an empty target', () => {
    expect(refusal(['  '], [alice]).field).toBe('targets[0]');
  });

  it('refuses every target when no account is connected', () => {
    expect(refusal(['bluesky'], []).code).toBe('unknown_target');
  });
});
