import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFacebookServer } from '../../fakes/fake-facebook-server.js';
import { FakeMediaServer } from '../../fakes/media-server.js';
import { FakeMetaGraphServer } from '../../fakes/fake-meta-graph-server.js';
import { makeMp4 } from '../../fakes/mp4.js';
import { startHayon, type TestHayon } from '../../harness.js';

// Video and link cards on Threads, Instagram and a Facebook Page through the API and the worker
// (real adapters, AppContext wiring, fake Graph servers): a video a target cannot take is refused
// at the door naming media[i] and the platform, before anything is stored or sent; a video each
// takes goes out as Threads VIDEO, an Instagram reel and a Page video, by the signed media URL.
describe('Meta video and link cards, end to end (real adapters, fake servers)', () => {
  let h: TestHayon;
  let graph: FakeMetaGraphServer;
  let facebook: FakeFacebookServer;
  const web = new FakeMediaServer();
  const clip = (seconds: number) => makeMp4({ width: 720, height: 1280, seconds, bytes: 60_000 });

  beforeAll(async () => {
    [graph, facebook] = await Promise.all([new FakeMetaGraphServer().start(), new FakeFacebookServer().start()]);
    await web.start();
    h = await startHayon({ env: { fetchAllowHosts: web.host } });
    const ws = h.workspaceId;
    await h.ctx.accounts.add(ws, 'threads', { userId: graph.userId, accessToken: graph.token, apiUrl: graph.url });
    await h.ctx.accounts.add(ws, 'instagram', { igUserId: graph.userId, accessToken: graph.token, apiUrl: graph.url });
    await h.ctx.accounts.add(ws, 'facebook', {
      pageId: facebook.pageId,
      pageAccessToken: facebook.token,
      apiUrl: facebook.apiUrl,
    });
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all([graph?.stop(), facebook?.stop(), web.stop()]);
  });

  const postCount = async () => (await (await h.api('GET', '/v1/posts')).json()).posts.length;
  const sentToMeta = () => graph.requests.filter((r) => r.startsWith('POST')).length + facebook.posts.length;

  it('refuses at the door a video a target cannot take, naming media[0] and the platform; nothing is stored or sent', async () => {
    const before = await postCount();
    const refuse = async (seconds: number, targets: string[]) => {
      const url = web.file(`/clip-${seconds}.mp4`, clip(seconds), 'video/mp4');
      const res = await h.api('POST', '/v1/posts', { text: 'A clip', media: [{ url }], targets });
      expect(res.status).toBe(400);
      return (await res.json()).error;
    };
    expect(await refuse(6 * 60, ['threads', 'facebook'])).toMatchObject({
      field: 'media[0]',
      message: 'media[0] is a 6 min video: Threads takes videos up to 5 min here. Shorten it.',
    });
    expect(await refuse(2, ['instagram'])).toMatchObject({
      field: 'media[0]',
      message: 'media[0] is a 2 s video: Instagram takes videos of at least 3 s. Use a longer clip.',
    });
    expect(await refuse(21 * 60, ['facebook'])).toMatchObject({
      field: 'media[0]',
      message: 'media[0] is a 21 min video: Facebook takes videos up to 20 min here. Shorten it.',
    });
    expect(await postCount()).toBe(before);
    expect(sentToMeta()).toBe(0);
    const stored: string[] = [];
    for await (const object of h.ctx.media.store.list('')) stored.push(object.key);
    expect(stored).toEqual([]);
  });

  it('publishes a video as Threads VIDEO, an Instagram reel and a Page video, each by a signed media URL', async () => {
    const url = web.file('/tour.mp4', clip(12), 'video/mp4');
    const res = await h.api('POST', '/v1/posts', {
      text: 'Oven tour',
      media: [{ url, alt: 'The bakery oven' }],
      targets: ['threads', 'instagram', 'facebook'],
    });
    expect(res.status).toBe(202);
    const created = await res.json();
    await h.drain();
    const post = await (await h.api('GET', `/v1/posts/${created.id}`)).json();
    expect(post.status).toBe('COMPLETED');
    const made = [...graph.containers.values()].map((c) => [c.api, c.params.media_type, c.params.alt_text]).sort();
    expect(made).toEqual([
      ['instagram', 'REELS', undefined],
      ['threads', 'VIDEO', 'The bakery oven'],
    ]);
    for (const c of graph.containers.values()) expect(c.params.video_url).toMatch(/^https?:\/\/.+\/media\//);
    expect(graph.published.map((m) => [m.mediaType, m.text]).sort()).toEqual([
      ['REELS', 'Oven tour'],
      ['VIDEO', 'Oven tour'],
    ]);
    const [video] = [...facebook.videos.values()];
    expect(video).toMatchObject({ description: 'Oven tour', file_url: expect.stringMatching(/\/media\//) });
  });

  it('a link card on Threads and Facebook from the first link; linkPreview: false sends none', async () => {
    const text = 'Release notes: https://example.com/releases/2.0';
    for (const linkPreview of [true, false]) {
      const res = await h.api('POST', '/v1/posts', { text, targets: ['threads', 'facebook'], linkPreview });
      expect(res.status).toBe(202);
    }
    await h.drain();
    const threadsCards = graph.published.filter((m) => m.text === text).map((m) => m.linkAttachment);
    const pageCards = facebook.posts.filter((p) => p.message === text).map((p) => p.link);
    expect(threadsCards.sort()).toEqual(['https://example.com/releases/2.0', null]);
    expect(pageCards.sort()).toEqual(['https://example.com/releases/2.0', null]);
  });
});
