import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFacebookServer } from '../fakes/fake-facebook-server.js';
import { FakeMastodonServer } from '../fakes/fake-mastodon-server.js';
import { FakeMetaGraphServer } from '../fakes/fake-meta-graph-server.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

// The real adapters, wired by AppContext as in production, against local fake servers: accounts
// are verified on connect, content is checked per platform before a post is accepted, and one
// post goes out to Mastodon (as a thread), Threads and a Facebook Page with a link back for each.
describe('one post to Mastodon, Threads and Facebook (real adapters, fake servers)', () => {
  let h: TestHayon;
  let mastodon: FakeMastodonServer;
  let graph: FakeMetaGraphServer;
  let facebook: FakeFacebookServer;

  beforeAll(async () => {
    [mastodon, graph, facebook] = await Promise.all([
      new FakeMastodonServer({ maxCharacters: 120 }).start(),
      new FakeMetaGraphServer().start(),
      new FakeFacebookServer().start(),
    ]);
    h = await startHayon();
    const ws = h.workspaceId;
    await h.ctx.accounts.add(ws, 'mastodon', { instanceUrl: mastodon.url, accessToken: mastodon.token });
    await h.ctx.accounts.add(ws, 'threads', { userId: '42', accessToken: graph.token, apiUrl: graph.url });
    await h.ctx.accounts.add(ws, 'facebook', {
      pageId: facebook.pageId,
      pageAccessToken: facebook.token,
      apiUrl: facebook.apiUrl,
    });
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all([mastodon?.stop(), graph?.stop(), facebook?.stop()]);
  });

  const text =
    'Release 2.0 is out. It never loses a post, and it never posts twice. ' +
    'The full notes, with every change since 1.9, are at https://example.com/releases/2.0 and in the changelog.';

  it('refuses a text over the instance limit without thread: auto, naming the platform and the excess', async () => {
    const res = await h.api('POST', '/v1/posts', { text, targets: ['mastodon', 'threads', 'facebook'] });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.field).toBe('text');
    expect(error.message).toMatch(
      /^Too long for Mastodon by \d+ characters \(\d+ of 120; links count 23\)\. Shorten it, or set thread: "auto" to split it into a thread\.$/,
    );
  });

  it('publishes everywhere, as a thread where the text is too long, with a link per platform', async () => {
    const res = await h.api('POST', '/v1/posts', {
      text,
      targets: ['mastodon', 'threads', 'facebook'],
      thread: 'auto',
      overrides: { mastodon: { options: { visibility: 'unlisted', language: 'en' } } },
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await waitFor(async () => (await (await h.api('GET', `/v1/posts/${created.id}`)).json()).status === 'COMPLETED');
    const post = await (await h.api('GET', `/v1/posts/${created.id}`)).json();
    const by = Object.fromEntries(post.deliveries.map((d: { platform: string }) => [d.platform, d]));

    const parts = by.mastodon.thread.parts;
    expect(parts).toBeGreaterThanOrEqual(2);
    expect(by.mastodon.thread).toMatchObject({ published: parts });
    expect(mastodon.statuses).toHaveLength(parts);
    const chain = [...mastodon.statuses].reverse();
    expect(chain[0]).toMatchObject({ in_reply_to_id: null, visibility: 'unlisted', language: 'en' });
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.in_reply_to_id).toBe(chain[i - 1]!.id);
    expect(by.mastodon.url).toBe(chain[0]!.url);

    expect(by.threads.thread).toBeUndefined();
    expect(graph.published).toHaveLength(1);
    expect(graph.published[0]!.text).toBe(text);
    expect(by.threads.url).toBe(graph.published[0]!.permalink);

    expect(facebook.posts).toHaveLength(1);
    expect(facebook.posts[0]!.message).toBe(text);
    expect(by.facebook.url).toMatch(/^https:\/\//);
  });
});
