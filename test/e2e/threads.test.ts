import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { makePng } from '../platforms/bluesky/png.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

// `thread: "auto"` end to end on the embedded default: the text is split when the post is
// accepted, each part is published as a reply to the one before, and a chain that fails half
// way resumes from its first unpublished part.
describe('threads (embedded, FakePlatform)', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let tumblr: FakePlatform;

  beforeEach(async () => {
    bluesky = new FakePlatform('bluesky', { maxLength: 60 });
    tumblr = new FakePlatform('tumblr', { maxLength: 60, threads: false });
    h = await startHayon({
      platforms: { bluesky, tumblr },
      retry: { maxAttempts: 3, baseDelayMs: 30, maxDelayMs: 200, jitter: 0 },
      download: async (url) => ({ bytes: Buffer.from(makePng(8, 8)), contentType: 'image/png', finalUrl: url }),
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'tumblr', { identifier: 'alice', appPassword: 'pw' });
  });
  afterEach(async () => h.stop());

  const long =
    'We shipped the new scheduler today. It never loses a post. It never posts twice. ' +
    'Read the notes at https://example.com/releases/2026-11-28 and tell us what you think!';

  const postsInOrder = () =>
    [...bluesky.posts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, p]) => ({ key, ...p }));

  it('splits a long text into replies with a counter, media on the first part only', async () => {
    const res = await h.api('POST', '/v1/posts', {
      text: long,
      media: [{ url: 'https://media.example/a.png', alt: 'chart' }],
      targets: ['bluesky'],
      thread: 'auto',
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    const { parts: count } = created.deliveries[0].thread;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(created.deliveries[0].thread).toEqual({ parts: count, published: 0, urls: [] });
    await h.drain();
    const post = await (await h.api('GET', `/v1/posts/${created.id}`)).json();
    expect(post.status).toBe('COMPLETED');
    const [delivery] = post.deliveries;
    expect(delivery.thread).toMatchObject({ parts: count, published: count });
    expect(delivery.url).toBe(delivery.thread.urls[0]);

    const parts = postsInOrder();
    const keys = Array.from({ length: count }, (_, n) => (n === 0 ? delivery.id : `${delivery.id}.${n}`));
    expect(parts.map((p) => p.key)).toEqual(keys);
    expect(parts.map((p) => p.text.match(/ \((\d+)\/(\d+)\)$/)?.slice(1))).toEqual(
      keys.map((_, n) => [String(n + 1), String(count)]),
    );
    for (const p of parts) expect([...p.text].length).toBeLessThanOrEqual(60);
    expect(parts.map((p) => p.media)).toEqual(keys.map((_, n) => (n === 0 ? 1 : 0)));
    expect(parts.map((p) => p.replyTo)).toEqual(keys.map((_, n) => (n === 0 ? undefined : `bluesky:${keys[n - 1]}`)));
    expect(parts.map((p) => p.text.replace(/ \(\d+\/\d+\)$/, '')).join(' ')).toBe(long);
    expect(parts.some((p) => p.text.includes('https://example.com/releases/2026-11-28'))).toBe(true);
  });

  it('without thread: auto, a long text is a 400 that says by how much, and nothing is stored', async () => {
    const res = await h.api('POST', '/v1/posts', { text: long, targets: ['bluesky'] });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.field).toBe('text');
    expect(body.error.message).toBe(
      `Too long for bluesky by ${[...long].length - 60} characters (${[...long].length} of 60). Shorten it, or set thread: "auto" to split it into a thread.`,
    );
    expect((await (await h.api('GET', '/v1/posts')).json()).posts).toEqual([]);
  });

  it('a platform without reply chains still refuses the long text, naming its override field', async () => {
    const res = await h.api('POST', '/v1/posts', {
      text: 'short',
      targets: ['bluesky', 'tumblr'],
      thread: 'auto',
      overrides: { tumblr: { text: long } },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('overrides.tumblr.text');
  });

  it('a URL longer than one post cannot be split: a 400 naming it', async () => {
    const url = `https://example.com/${'x'.repeat(80)}`;
    const res = await h.api('POST', '/v1/posts', { text: `see ${url}`, targets: ['bluesky'], thread: 'auto' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('content_too_long');
    expect(body.error.message).toContain('cannot be split');
  });

  it('a chain that fails half way resumes from the first unpublished part, posting none twice', async () => {
    // Parts 1 and 2 go out; part 3 fails (transient); the retry publishes only part 3.
    const publish = bluesky.publish.bind(bluesky);
    let calls = 0;
    bluesky.publish = async (input) => {
      if (++calls === 3) bluesky.failNext({ kind: 'transient', status: 503 });
      return publish(input);
    };
    const created = await (
      await h.api('POST', '/v1/posts', { text: long, targets: ['bluesky'], thread: 'auto', threadCounter: false })
    ).json();
    await waitFor(async () => (await (await h.api('GET', `/v1/posts/${created.id}`)).json()).status === 'COMPLETED');
    const post = await (await h.api('GET', `/v1/posts/${created.id}`)).json();
    const [delivery] = post.deliveries;
    expect(post.status).toBe('COMPLETED');
    expect(delivery.attempts).toBe(2);
    expect(delivery.thread.published).toBe(delivery.thread.parts);
    expect(calls).toBe(delivery.thread.parts + 1);
    expect(bluesky.posts.size).toBe(delivery.thread.parts);
    const texts = postsInOrder().map((p) => p.text);
    expect(texts.join(' ')).toBe(long);
  });
});
