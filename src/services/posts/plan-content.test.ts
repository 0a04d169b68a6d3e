import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../core/post.js';
import { createMastodonPlatform } from '../../platforms/mastodon/mastodon-platform.js';
import { FakeMastodonServer } from '../../../test/fakes/fake-mastodon-server.js';
import { FakePlatform } from '../../../test/fakes/fake-platform.js';
import { makeAccount, makePost } from '../../../test/store/store-fixtures.js';
import { planContent } from './plan-content.js';

// Checking a post's content opens no credentials where the platform's rules do not depend on the
// account, and Mastodon's (its instance's limits) open them once per account and credentials.
describe('planContent: credentials opened only where the rules need them', () => {
  let server: FakeMastodonServer;
  beforeAll(async () => {
    server = await new FakeMastodonServer({}).start();
  });
  afterAll(() => server.stop());

  it('opens none for Bluesky, and a Mastodon account’s once until its credentials change', async () => {
    const opened: string[] = [];
    const deps = {
      platforms: {
        bluesky: new FakePlatform('bluesky', { maxLength: 300 }),
        mastodon: createMastodonPlatform({ fetch: globalThis.fetch, timeoutMs: 5_000 }),
      },
      openCredentials: (account: Account) => {
        opened.push(account.id);
        return account.platform === 'mastodon' ? { instanceUrl: server.url, accessToken: server.token } : {};
      },
    };
    const bluesky = makeAccount('ws_1', { id: 'acc_b', platform: 'bluesky', credentials: 'sealed-b' });
    const mastodon = makeAccount('ws_1', { id: 'acc_m', platform: 'mastodon', credentials: 'sealed-m-1' });
    const post = makePost('ws_1', { content: { text: 'hello', media: [] } });
    for (let i = 0; i < 3; i++) await planContent(deps, post, [bluesky, mastodon]);
    expect(opened).toEqual(['acc_m']);
    // Reconnected: new sealed credentials, which may name another instance.
    await planContent(deps, post, [bluesky, { ...mastodon, credentials: 'sealed-m-2' }]);
    expect(opened).toEqual(['acc_m', 'acc_m']);
    // A text too long for the instance is still refused, naming the field.
    const long = makePost('ws_1', { content: { text: 'x'.repeat(501), media: [] } });
    await expect(planContent(deps, long, [mastodon])).rejects.toMatchObject({
      code: 'content_too_long',
      field: 'text',
    });
  });
});
