import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakePlatform } from '../fakes/fake-platform.js';
import type { Answer, TestHayon } from '../harness.js';
import { startTwoPlatforms } from './two-platforms.js';

// POST /v1/posts/:id/retry on the embedded default (SQLite, in-process transport, real scheduler
// and worker) against FakePlatform, which keeps what it published by the delivery's key.
describe('retry a post (HTTP, embedded)', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let mastodon: FakePlatform;

  beforeEach(async () => {
    ({ h, bluesky, mastodon } = await startTwoPlatforms({
      maxAttempts: 2,
      baseDelayMs: 20,
      maxDelayMs: 50,
      jitter: 0,
    }));
  });
  afterEach(async () => h.stop());

  const getPost = async (id: string) => (await h.api('GET', `/v1/posts/${id}`)).json();
  const byPlatform = (post: Answer, p: string): Answer => post.deliveries.find((d: Answer) => d.platform === p);

  it('sends the failed delivery again with the same key; what was published is not touched', async () => {
    bluesky.failNext({ kind: 'invalid', status: 400, message: 'Bluesky refused it' });
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'Release 1.2 is out', targets: ['bluesky', 'mastodon'] })
    ).json();
    await h.drain();
    const failed = await getPost(created.id);
    expect(failed.status).toBe('PARTIAL_SUCCESS');
    expect(byPlatform(failed, 'bluesky').state).toBe('failed');
    expect(bluesky.posts.size).toBe(0);

    const res = await h.api('POST', `/v1/posts/${created.id}/retry`);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(byPlatform(answer, 'bluesky').state).toMatch(/scheduled|queued|publishing|published/);
    await h.drain();
    const after = await getPost(created.id);
    expect(after.status).toBe('COMPLETED');
    const dlv = byPlatform(after, 'bluesky');
    expect(dlv.id).toBe(byPlatform(failed, 'bluesky').id);
    expect(dlv.url).toBe(`https://bluesky.example/p/${dlv.id}`);
    expect([...bluesky.posts.keys()]).toEqual([dlv.id]);
    expect(mastodon.calls).toBe(1);

    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 10 });
    expect(audit.find((e) => e.action === 'post.retried')).toMatchObject({ target: created.id });
  });

  it('a post the platform did get before its answer was lost is not published twice by a retry', async () => {
    // The platform made the post, then the answer came back as a refusal: the delivery failed.
    bluesky.failNext({ kind: 'invalid', status: 400, afterCreate: true });
    const created = await (await h.api('POST', '/v1/posts', { text: 'once only', targets: ['bluesky'] })).json();
    await h.drain();
    expect((await getPost(created.id)).status).toBe('FAILED');
    expect(bluesky.posts.size).toBe(1);
    expect((await h.api('POST', `/v1/posts/${created.id}/retry`)).status).toBe(200);
    await h.drain();
    const after = await getPost(created.id);
    expect(after.status).toBe('COMPLETED');
    expect(bluesky.posts.size).toBe(1);
    expect(bluesky.calls).toBe(2);
  });

  it('a post with nothing failed is a 409 naming each delivery’s state and what to do; nothing changes', async () => {
    const created = await (await h.api('POST', '/v1/posts', { text: 'all good', targets: ['bluesky'] })).json();
    await h.drain();
    const res = await h.api('POST', `/v1/posts/${created.id}/retry`);
    expect(res.status).toBe(409);
    const { error } = await res.json();
    expect(error.field).toBe('id');
    expect(error.message).toContain('Nothing to retry');
    expect(error.message).toContain('Bluesky (alice.test) is published');
    expect(bluesky.calls).toBe(1);

    const later = await (
      await h.api('POST', '/v1/posts', { text: 'later', targets: ['mastodon'], when: 'in 2 hours' })
    ).json();
    const waiting = await (await h.api('POST', `/v1/posts/${later.id}/retry`)).json();
    expect(waiting.error.message).toContain('is scheduled');
    expect(waiting.error.message).toContain('publish it now');
    expect((await getPost(later.id)).status).toBe('SCHEDULED');
  });

  it('an unknown id is a 404 naming it', async () => {
    const res = await h.api('POST', '/v1/posts/post_nope/retry');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('post_nope');
  });
});
