import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { solidPng } from '../fakes/images.js';
import { FakeMediaServer } from '../fakes/media-server.js';
import { type Answer, startHayon, type TestHayon } from '../harness.js';

// PATCH /v1/posts/:id on the embedded default (SQLite, disk media store, in-process transport,
// real scheduler and worker) against FakePlatform.
describe('edit a post (HTTP, embedded)', () => {
  let h: TestHayon;
  let web: FakeMediaServer;
  let bluesky: FakePlatform;
  let mastodon: FakePlatform;

  beforeAll(async () => {
    web = new FakeMediaServer();
    await web.start();
  });
  afterAll(() => web.stop());

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    mastodon = new FakePlatform('mastodon', { maxLength: 500 });
    h = await startHayon({ env: { fetchAllowHosts: web.host }, platforms: { bluesky, mastodon } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: '@alice@example.social', appPassword: 'pw' });
  });
  afterEach(async () => h.stop());

  const getPost = async (id: string): Promise<Answer> => (await h.api('GET', `/v1/posts/${id}`)).json();
  const schedule = async (body: Record<string, unknown> = {}): Promise<Answer> =>
    (await h.api('POST', '/v1/posts', { text: 'Draft', targets: ['bluesky'], when: 'in 2 hours', ...body })).json();

  it('changes the text, time, zone and targets of a scheduled post; a removed target is cancelled, an added one made', async () => {
    const created = await schedule();
    const at = new Date(Date.now() + 3 * 3600_000).toISOString();
    const res = await h.api('PATCH', `/v1/posts/${created.id}`, {
      text: 'Release 1.2 is out',
      when: at,
      timezone: 'Asia/Tokyo',
      targets: ['mastodon'],
    });
    expect(res.status).toBe(200);
    const edited = await res.json();
    expect(edited.text).toBe('Release 1.2 is out');
    expect(edited.scheduledAt).toBe(at);
    expect(edited.scheduledAtLocal).toContain('(Asia/Tokyo)');
    const states = Object.fromEntries(edited.deliveries.map((d: Answer) => [d.platform, d.state]));
    expect(states).toEqual({ bluesky: 'cancelled', mastodon: 'scheduled' });
    expect((await getPost(created.id)).text).toBe('Release 1.2 is out');
    const audit = await h.ctx.audit.list(h.workspaceId, { limit: 5 });
    expect(audit.find((e) => e.action === 'post.edited')).toMatchObject({ target: created.id });
  });

  it('a new time of "now" publishes the edited text at once; the scheduler is told', async () => {
    const created = await schedule({ targets: ['bluesky', 'mastodon'] });
    const res = await h.api('PATCH', `/v1/posts/${created.id}`, { text: 'Out now', when: 'now' });
    expect(res.status).toBe(200);
    await h.drain();
    const after = await getPost(created.id);
    expect(after.status).toBe('COMPLETED');
    expect([...bluesky.posts.values()].map((p) => p.text)).toEqual(['Out now']);
    expect([...mastodon.posts.values()].map((p) => p.text)).toEqual(['Out now']);
  });

  it('is checked as a new post: a text too long for a target is a 400 naming the field, and nothing changes', async () => {
    const created = await schedule();
    const res = await h.api('PATCH', `/v1/posts/${created.id}`, { text: 'x'.repeat(400) });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.field).toBe('text');
    expect(error.message).toContain('Too long for bluesky');
    expect((await getPost(created.id)).text).toBe('Draft');
    // The same text as a thread is fine: the edit plans the parts as a new post would.
    const threaded = await h.api('PATCH', `/v1/posts/${created.id}`, { text: 'word '.repeat(100), thread: 'auto' });
    expect(threaded.status).toBe(200);
    expect((await threaded.json()).deliveries[0].thread?.parts).toBe(2);
  });

  it('takes new media through the media intake, and refuses an unknown target or an empty edit with the field named', async () => {
    const created = await schedule();
    const url = web.file('/new.png', await solidPng(20, 10), 'image/png');
    const res = await h.api('PATCH', `/v1/posts/${created.id}`, { media: [{ url, alt: 'A new image' }] });
    expect(res.status).toBe(200);
    expect((await res.json()).media).toEqual([
      expect.objectContaining({ type: 'image/png', width: 20, height: 10, alt: 'A new image', sourceUrl: url }),
    ]);
    const unknown = await h.api('PATCH', `/v1/posts/${created.id}`, { targets: ['tumblr'] });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.field).toBe('targets[0]');
    const empty = await h.api('PATCH', `/v1/posts/${created.id}`, {});
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatchObject({
      field: 'body',
      message: expect.stringContaining('Nothing to change'),
    });
    const bad = await h.api('PATCH', `/v1/posts/${created.id}`, { txt: 'typo' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('txt');
  });

  it('a post that has started publishing is a 409 naming each delivery that has, and nothing changes', async () => {
    const created = await (
      await h.api('POST', '/v1/posts', { text: 'Already out', targets: ['bluesky', 'mastodon'] })
    ).json();
    await h.drain();
    const res = await h.api('PATCH', `/v1/posts/${created.id}`, { text: 'Too late' });
    expect(res.status).toBe(409);
    const { error } = await res.json();
    expect(error.field).toBe('id');
    expect(error.message).toContain('Nothing was changed');
    expect(error.message).toContain('Bluesky (alice.test) is published');
    expect(error.message).toContain('Mastodon (@alice@example.social) is published');
    expect(error.message).toContain('Make a new post');
    expect((await getPost(created.id)).text).toBe('Already out');

    // One delivery being published is enough to refuse the edit.
    bluesky.hold();
    const held = await (await h.api('POST', '/v1/posts', { text: 'In flight', targets: ['bluesky'] })).json();
    await new Promise((r) => setTimeout(r, 300));
    const during = await h.api('PATCH', `/v1/posts/${held.id}`, { text: 'changed' });
    expect(during.status).toBe(409);
    expect((await during.json()).error.message).toContain('Bluesky (alice.test) is publishing');
    bluesky.release();
    await h.drain();
    expect([...bluesky.posts.values()].map((p) => p.text)).toContain('In flight');
  });

  it('"next slot" moves the post into the first free slot of the weekly schedule, past the slots others hold', async () => {
    await h.ctx.workspaces.updateSettings(h.workspaceId, { slots: 'mon-sun 06:00,18:00', timezone: 'UTC' });
    const first = await (
      await h.api('POST', '/v1/posts', { text: 'first', targets: ['bluesky'], when: 'next slot' })
    ).json();
    const created = await schedule({ when: 'in 30 minutes' });
    const res = await h.api('PATCH', `/v1/posts/${created.id}`, { when: 'next slot' });
    expect(res.status).toBe(200);
    const moved = await res.json();
    expect(moved.scheduledAt).not.toBe(first.scheduledAt);
    expect(moved.scheduledAt).toMatch(/T(06|18):00:00\.000Z$/);
    expect(Date.parse(moved.scheduledAt) - Date.parse(first.scheduledAt)).toBe(12 * 3600_000);
  });

  it('an unknown id is a 404 naming it', async () => {
    const res = await h.api('PATCH', '/v1/posts/post_nope', { text: 'x' });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('post_nope');
  });
});
