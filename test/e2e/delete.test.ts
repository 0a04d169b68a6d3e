import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/accounts/api-tokens.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { type Answer, startHayon, type TestHayon } from '../harness.js';

// DELETE /v1/posts/:id and DELETE /v1/accounts/:id on the embedded default (SQLite, in-process
// transport, real scheduler and worker) against FakePlatform: Bluesky and Mastodon can delete,
// "Instagram" cannot (no `remove`, as its API has no delete).
describe('delete a post, remove an account (HTTP, embedded)', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let mastodon: FakePlatform;
  let instagram: FakePlatform;

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    mastodon = new FakePlatform('mastodon', { maxLength: 500 });
    instagram = new FakePlatform('instagram', { maxLength: 2200, canDelete: false });
    h = await startHayon({ platforms: { bluesky, mastodon, instagram } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: '@alice@example.social', appPassword: 'pw' });
  });
  afterEach(async () => h.stop());

  const getPost = async (id: string) => (await h.api('GET', `/v1/posts/${id}`)).json();
  const resultOf = (answer: Answer, platform: string): Answer =>
    answer.results.find((r: Answer) => r.platform === platform);
  /** As an admin tool: a token with `accounts:manage` (the harness's own has posts scopes only). */
  const admin = async (method: string, path: string) => {
    const { token } = await createApiToken(h.ctx.store, h.workspaceId, 'admin tool', h.ctx.clock, ['accounts:manage']);
    return h.request(path, { method, headers: { authorization: `Bearer ${token}` } });
  };
  const publish = async (body: Record<string, unknown>) => {
    const created = await (await h.api('POST', '/v1/posts', body)).json();
    await h.drain();
    return created.id as string;
  };

  it('deletes what was published where the API allows it, and says where to delete by hand where not', async () => {
    await h.ctx.accounts.add(h.workspaceId, 'instagram', { identifier: 'alice.gram', appPassword: 'pw' });
    const id = await publish({ text: 'Release 1.2 is out', targets: ['bluesky', 'mastodon', 'instagram'] });
    expect((await getPost(id)).status).toBe('COMPLETED');
    expect(bluesky.posts.size).toBe(1);

    const res = await h.api('DELETE', `/v1/posts/${id}`);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(resultOf(answer, 'bluesky')).toMatchObject({ result: 'deleted' });
    expect(resultOf(answer, 'mastodon')).toMatchObject({ result: 'deleted' });
    const ig = resultOf(answer, 'instagram');
    expect(ig.result).toBe('not_allowed');
    expect(ig.reason).toContain("Instagram's API cannot delete a post: delete it in the Instagram app");
    expect(ig.reason).toContain(ig.url);
    expect(ig.url).toMatch(/^https:\/\/instagram\.example\/p\//);
    expect(bluesky.posts.size).toBe(0);
    expect(mastodon.posts.size).toBe(0);
    expect(instagram.posts.size).toBe(1);

    const after = await getPost(id);
    expect(after.deliveries.map((d: Answer) => d.state).sort()).toEqual(['deleted', 'deleted', 'published']);
    expect(after.status).toBe('PARTIAL_SUCCESS');
    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 10 });
    expect(audit.find((e) => e.action === 'post.deleted')).toMatchObject({
      target: id,
      details: { deleted: 2, notAllowed: 1, cancelled: 0, failed: 0 },
    });
  });

  it('a delete of a post already deleted is a 409 that says so, and nothing changes', async () => {
    const id = await publish({ text: 'once', targets: ['bluesky'] });
    expect((await h.api('DELETE', `/v1/posts/${id}`)).status).toBe(200);
    expect((await getPost(id)).status).toBe('DELETED');
    const res = await h.api('DELETE', `/v1/posts/${id}`);
    expect(res.status).toBe(409);
    const { error } = await res.json();
    expect(error.field).toBe('id');
    expect(error.message).toBe('This post was already deleted: nothing changed.');
    expect(bluesky.deleted).toHaveLength(1);
  });

  it('an unknown post is a 404', async () => {
    const res = await h.api('DELETE', '/v1/posts/pst_nothing');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe('No post with id pst_nothing.');
  });

  it('cancels what is still scheduled: nothing goes out', async () => {
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'later', targets: ['bluesky'], when: 'in 2 hours' })
    ).json();
    const answer = await (await h.api('DELETE', `/v1/posts/${created.id}`)).json();
    expect(answer.results).toEqual([expect.objectContaining({ platform: 'bluesky', result: 'cancelled' })]);
    expect(answer.post.status).toBe('CANCELLED');
    await h.drain();
    expect(bluesky.calls).toBe(0);
  });

  it('a thread is deleted part by part, the last part first', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} of a long note.`).join(' ');
    const id = await publish({ text, targets: ['bluesky'], thread: 'auto' });
    const parts = bluesky.posts.size;
    expect(parts).toBeGreaterThan(1);
    const answer = await (await h.api('DELETE', `/v1/posts/${id}`)).json();
    expect(resultOf(answer, 'bluesky').result).toBe('deleted');
    expect(bluesky.posts.size).toBe(0);
    expect(bluesky.deleted).toHaveLength(parts);
    const dlv = (await getPost(id)).deliveries[0];
    expect(bluesky.deleted.at(-1)).toBe(`bluesky:${dlv.id}`);
  });

  it('a platform that refuses the delete is reported with its reason; asking again deletes it', async () => {
    const id = await publish({ text: 'stubborn', targets: ['bluesky', 'mastodon'] });
    bluesky.failNextRemove({
      kind: 'transient',
      status: 503,
      message: 'Bluesky answered 503 (com.atproto.repo.deleteRecord).',
    });
    const first = await (await h.api('DELETE', `/v1/posts/${id}`)).json();
    expect(resultOf(first, 'mastodon').result).toBe('deleted');
    expect(resultOf(first, 'bluesky')).toMatchObject({
      result: 'failed',
      reason:
        'Bluesky answered 503 (com.atproto.repo.deleteRecord). Nothing was marked deleted: delete the post again to retry.',
    });
    expect((await getPost(id)).deliveries.find((d: Answer) => d.platform === 'bluesky').state).toBe('published');
    const second = await (await h.api('DELETE', `/v1/posts/${id}`)).json();
    expect(second.results).toEqual([expect.objectContaining({ platform: 'bluesky', result: 'deleted' })]);
    expect(second.post.status).toBe('DELETED');
  });

  it('an account with posts waiting is not removed: a 409 names them and the field that cancels them', async () => {
    const account = (await h.ctx.accounts.list(h.workspaceId)).find((a) => a.platform === 'bluesky');
    const when = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30 * 86_400_000).toISOString();
    const created = await (await h.api('POST', '/v1/posts', { text: 'later', targets: ['bluesky'], when })).json();
    expect(created).toMatchObject({ status: 'SCHEDULED' });
    const refused = await admin('DELETE', `/v1/accounts/${account!.id}`);
    expect(refused.status).toBe(409);
    const { error } = await refused.json();
    expect(error.field).toBe('cancelWaiting');
    expect(error.message).toBe(
      `Bluesky alice.test still has 1 post waiting to go out: post ${created.id} at ${when} (scheduled). Nothing was removed. Remove it with \`?cancelWaiting=true\` to cancel it too, or cancel or wait for it first.`,
    );
    expect(await h.ctx.accounts.list(h.workspaceId)).toHaveLength(2);

    const res = await admin('DELETE', `/v1/accounts/${account!.id}?cancelWaiting=true`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: account!.id, platform: 'bluesky', handle: 'alice.test', cancelled: 1 });
    expect((await h.ctx.accounts.list(h.workspaceId)).map((a) => a.platform)).toEqual(['mastodon']);
    expect((await getPost(created.id)).status).toBe('CANCELLED');
    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 10 });
    expect(audit.find((e) => e.action === 'account.removed')).toMatchObject({
      target: account!.id,
      details: { platform: 'bluesky', handle: 'alice.test', cancelled: 1 },
    });
  });

  it('an account with nothing waiting is removed at once; an unknown one is a 404; a bad flag a 400', async () => {
    const account = (await h.ctx.accounts.list(h.workspaceId)).find((a) => a.platform === 'bluesky');
    expect((await h.api('DELETE', `/v1/accounts/${account!.id}`)).status).toBe(403);
    const id = await publish({ text: 'history stays', targets: ['bluesky'] });
    expect((await admin('DELETE', `/v1/accounts/${account!.id}?cancelWaiting=yes`)).status).toBe(400);
    expect((await admin('DELETE', `/v1/accounts/${account!.id}`)).status).toBe(200);
    expect((await getPost(id)).status).toBe('COMPLETED');
    const gone = await admin('DELETE', `/v1/accounts/${account!.id}`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.message).toContain(`No account with id ${account!.id}.`);
    // Its post can no longer be deleted through hayon: the answer says to do it by hand.
    const answer = await (await h.api('DELETE', `/v1/posts/${id}`)).json();
    expect(resultOf(answer, 'bluesky').result).toBe('failed');
    expect(resultOf(answer, 'bluesky').reason).toContain('was removed from hayon: delete the post on Bluesky by hand');
  });
});
