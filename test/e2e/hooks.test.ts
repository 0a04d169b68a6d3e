import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signGhost, signGithub, signHayon, verifyHayon } from '../../src/core/hooks/signature.js';
import { CallbackReceiver } from '../fakes/callback-receiver.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { photoJpeg } from '../fakes/images.js';
import { FakeMediaServer } from '../fakes/media-server.js';
import { startHayon, type TestHayon, waitFor } from '../harness.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/hooks/${name}`, import.meta.url), 'utf8'));

const now = () => Math.floor(Date.now() / 1000);

// Incoming webhooks end to end on the embedded default: each source with a payload shaped like
// its documentation's and its own signature scheme, then the signed callbacks hayon sends back.
describe('incoming webhooks', () => {
  let h: TestHayon;
  let bluesky: FakePlatform;
  let mastodon: FakePlatform;
  let web: FakeMediaServer;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    web = new FakeMediaServer();
    await web.start();
  });
  afterAll(() => web.stop());

  beforeEach(async () => {
    receiver = await new CallbackReceiver().start();
    bluesky = new FakePlatform('bluesky', { maxLength: 300 });
    mastodon = new FakePlatform('mastodon', { maxLength: 500 });
    h = await startHayon({
      env: { fetchAllowHosts: `${web.host},${receiver.host}`, hookRateLimit: '5' },
      platforms: { bluesky, mastodon },
      retry: { maxAttempts: 3, baseDelayMs: 30, maxDelayMs: 200, jitter: 0 },
      callbacks: { pollMs: 50, retryDelaysMs: [150] },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: '@alice@example.social', appPassword: 'pw' });
  });
  afterEach(async () => {
    await h.stop();
    await receiver.stop();
  });

  const makeHook = (input: Record<string, unknown>) => h.ctx.hooks.create(h.workspaceId, input);
  const post = (hookId: string, body: string | Buffer, headers: Record<string, string>) =>
    h.request(`/v1/hooks/${hookId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const postCount = async () => (await h.ctx.store.listPosts(h.workspaceId, { limit: 100 })).length;
  const signed = (secret: string, body: string, extra: Record<string, string> = {}) => ({
    'x-hayon-signature': signHayon(secret, body, now()),
    ...extra,
  });

  describe('generic', () => {
    it('turns a signed JSON event into a post through the template, and publishes it', async () => {
      const { hook, secret, url } = await makeHook({
        source: 'generic',
        template: '{{title}}: {{links.0.href}}',
        targets: ['bluesky', 'mastodon'],
      });
      expect(url).toBe(`${h.ctx.config.publicUrl}/v1/hooks/${hook.id}`);
      const body = JSON.stringify({ title: 'Build 42 is green', links: [{ href: 'https://ci.example/42' }] });
      const res = await post(hook.id, body, signed(secret, body, { 'idempotency-key': 'build-42' }));
      expect(res.status).toBe(202);
      const created = await res.json();
      expect(created.text).toBe('Build 42 is green: https://ci.example/42');
      await h.drain();
      expect([...bluesky.posts.values()].map((p) => p.text)).toEqual(['Build 42 is green: https://ci.example/42']);
      expect(mastodon.posts.size).toBe(1);
      const stored = await h.ctx.store.getPost(created.id);
      expect(stored?.post.origin).toEqual({ kind: 'webhook', hookId: hook.id });
    });

    it('answers a replayed delivery (same Idempotency-Key) with the same post and 200', async () => {
      const { hook, secret } = await makeHook({ source: 'generic', template: '{{text}}', targets: ['bluesky'] });
      const body = JSON.stringify({ text: 'only once' });
      const first = await post(hook.id, body, signed(secret, body, { 'idempotency-key': 'evt-1' }));
      const again = await post(hook.id, body, signed(secret, body, { 'idempotency-key': 'evt-1' }));
      expect(first.status).toBe(202);
      expect(again.status).toBe(200);
      expect((await again.json()).id).toBe((await first.json()).id);
      await h.drain();
      expect(bluesky.posts.size).toBe(1);
      expect(await postCount()).toBe(1);
    });

    it('refuses a bad signature, a stale timestamp and a missing one with 401, storing nothing', async () => {
      const { hook, secret } = await makeHook({ source: 'generic', template: '{{text}}', targets: ['bluesky'] });
      const body = JSON.stringify({ text: 'forged' });
      const cases = [
        { 'x-hayon-signature': signHayon('hks_not-the-secret', body, now()) },
        { 'x-hayon-signature': signHayon(secret, body, now() - 301) },
        { 'x-hayon-signature': signHayon(secret, `${body} `, now()) },
        {},
      ];
      for (const headers of cases) {
        const res = await post(hook.id, body, headers);
        expect(res.status).toBe(401);
        const answer = await res.json();
        expect(answer.error.field).toBe('X-Hayon-Signature');
        expect(JSON.stringify(answer)).not.toContain(secret);
      }
      const stale = await post(hook.id, body, { 'x-hayon-signature': signHayon(secret, body, now() - 301) });
      expect((await stale.json()).error.message).toMatch(/timestamp|clock|minutes|s away/i);
      expect(await postCount()).toBe(0);
    });

    it('answers 404 for an unknown hook and 403 for a disabled one', async () => {
      const { hook, secret } = await makeHook({ source: 'generic', template: '{{text}}', targets: ['bluesky'] });
      const body = JSON.stringify({ text: 'hi' });
      const unknown = await post('hk_doesnotexist', body, signed(secret, body));
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.field).toBe('hookId');
      await h.ctx.hooks.setEnabled(h.workspaceId, hook.id, false);
      const disabled = await post(hook.id, body, signed(secret, body));
      expect(disabled.status).toBe(403);
      expect((await disabled.json()).error.message).toContain(`hayon hooks enable ${hook.id}`);
      expect(await postCount()).toBe(0);
    });

    it('refuses a body over 1 MiB (413), malformed JSON (400) and a template field the event lacks (422)', async () => {
      const { hook, secret } = await makeHook({
        source: 'generic',
        template: '{{title}} {{url}}',
        targets: ['bluesky'],
      });
      const huge = JSON.stringify({ title: 'x'.repeat(1024 * 1024), url: 'https://e.example' });
      const tooBig = await post(hook.id, huge, signed(secret, huge));
      expect(tooBig.status).toBe(413);
      expect((await tooBig.json()).error.field).toBe('body');

      const broken = '{"title": "half';
      const malformed = await post(hook.id, broken, signed(secret, broken));
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).error.field).toBe('body');

      const partial = JSON.stringify({ title: 'No link' });
      const missing = await post(hook.id, partial, signed(secret, partial));
      expect(missing.status).toBe(422);
      const answer = await missing.json();
      expect(answer.error).toMatchObject({ code: 'template_field_missing', field: 'url' });
      expect(answer.error.message).toContain('{{url}}');

      const notText = JSON.stringify({ title: { nested: true }, url: 'https://e.example' });
      const objectField = await post(hook.id, notText, signed(secret, notText));
      expect(objectField.status).toBe(422);
      expect((await objectField.json()).error.field).toBe('title');
      expect(await postCount()).toBe(0);
    });

    it('limits accepted events per hook: 429 with Retry-After past the limit', async () => {
      const { hook, secret } = await makeHook({ source: 'generic', template: '{{text}}', targets: ['bluesky'] });
      const statuses: number[] = [];
      let last = await post(hook.id, '{}', {});
      for (let i = 0; i < 6; i++) {
        const body = JSON.stringify({ text: `event ${i}` });
        last = await post(hook.id, body, signed(secret, body, { 'idempotency-key': `e${i}` }));
        statuses.push(last.status);
      }
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await last.json()).error.code).toBe('rate_limited');
      expect(await postCount()).toBe(5);
    });
  });

  describe('github', () => {
    const release = () => fixture('github-release-published.json');
    const headers = (
      secret: string,
      body: string,
      event = 'release',
      delivery = '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    ) => ({
      'x-hub-signature-256': signGithub(secret, body),
      'x-github-event': event,
      'x-github-delivery': delivery,
    });

    it('announces a published release with the default template; a redelivery is the same post', async () => {
      const { hook, secret } = await makeHook({ source: 'github', targets: ['mastodon'] });
      const payload = release();
      const body = JSON.stringify(payload);
      const res = await post(hook.id, body, headers(secret, body));
      expect(res.status).toBe(202);
      const created = await res.json();
      const r = payload.release as { tag_name: string; html_url: string };
      expect(created.text).toContain(r.tag_name);
      expect(created.text).toContain(r.html_url);
      const again = await post(hook.id, body, headers(secret, body));
      expect(again.status).toBe(200);
      expect((await again.json()).id).toBe(created.id);
      await h.drain();
      expect(mastodon.posts.size).toBe(1);
    });

    it('acknowledges ping and other release actions with 202 and says they are ignored', async () => {
      const { hook, secret } = await makeHook({ source: 'github', targets: ['mastodon'] });
      const ping = JSON.stringify(fixture('github-ping.json'));
      const pinged = await post(hook.id, ping, headers(secret, ping, 'ping', 'd1'));
      expect(pinged.status).toBe(202);
      expect(await pinged.json()).toMatchObject({ ignored: true, reason: expect.any(String) });
      const created = JSON.stringify({ ...release(), action: 'created' });
      const ignored = await post(hook.id, created, headers(secret, created, 'release', 'd2'));
      expect(ignored.status).toBe(202);
      expect((await ignored.json()).reason).toContain('created');
      expect(await postCount()).toBe(0);
    });

    it('refuses a wrong X-Hub-Signature-256 with 401', async () => {
      const { hook } = await makeHook({ source: 'github', targets: ['mastodon'] });
      const body = JSON.stringify(release());
      const res = await post(hook.id, body, headers('not-the-secret', body));
      expect(res.status).toBe(401);
      expect((await res.json()).error.field).toBe('X-Hub-Signature-256');
      expect(await postCount()).toBe(0);
    });

    it('refuses a template with a field GitHub events do not have when the hook is made', async () => {
      await expect(makeHook({ source: 'github', template: '{{title}}', targets: ['mastodon'] })).rejects.toMatchObject({
        field: 'template',
      });
      expect(await h.ctx.hooks.list(h.workspaceId)).toEqual([]);
    });
  });

  describe('ghost', () => {
    it('announces post.published with the feature image attached; a replay is the same post', async () => {
      const image = web.file('/content/images/launch.jpg', await photoJpeg(800, 600), 'image/jpeg');
      const payload = fixture('ghost-post-published.json') as { post: { current: Record<string, unknown> } };
      payload.post.current.feature_image = image;
      const { hook, secret } = await makeHook({ source: 'ghost', targets: ['bluesky'] });
      const body = JSON.stringify(payload);
      const res = await post(hook.id, body, { 'x-ghost-signature': signGhost(secret, body, Date.now()) });
      expect(res.status).toBe(202);
      const created = await res.json();
      expect(created.text).toContain(payload.post.current.title as string);
      expect(created.text).toContain(payload.post.current.url as string);
      expect(created.media).toEqual([expect.objectContaining({ type: 'image/jpeg', sourceUrl: image })]);
      const replay = await post(hook.id, body, { 'x-ghost-signature': signGhost(secret, body, Date.now()) });
      expect(replay.status).toBe(200);
      await h.drain();
      expect([...bluesky.posts.values()].map((p) => p.media)).toEqual([1]);
    });

    it('refuses a stale Ghost signature with 401', async () => {
      const { hook, secret } = await makeHook({ source: 'ghost', targets: ['bluesky'] });
      const body = JSON.stringify(fixture('ghost-post-published.json'));
      const res = await post(hook.id, body, { 'x-ghost-signature': signGhost(secret, body, Date.now() - 10 * 60_000) });
      expect(res.status).toBe(401);
      expect((await res.json()).error.field).toBe('X-Ghost-Signature');
    });
  });

  describe('wordpress', () => {
    for (const shape of ['wordpress-wp-webhooks-post.json', 'wordpress-rest-post.json']) {
      it(`announces a published post (${shape}) signed with the generic scheme`, async () => {
        const payload = fixture(shape);
        // The featured image is served locally; the fixture's own host is not reachable here.
        const image = web.file(`/wp-content/${shape}.jpg`, await photoJpeg(640, 480), 'image/jpeg');
        const json = JSON.stringify(payload).replace(/https?:\/\/[^"]+\.(jpe?g|png)/g, image);
        const { hook, secret } = await makeHook({ source: 'wordpress', targets: ['mastodon'] });
        const res = await post(hook.id, json, signed(secret, json));
        expect(res.status).toBe(202);
        const created = await res.json();
        expect(created.text).not.toMatch(/&#|<\/?p>/);
        expect(created.text).toMatch(/https?:\/\//);
        await h.drain();
        expect(mastodon.posts.size).toBe(1);
      });
    }
  });

  describe('callbacks', () => {
    it('POSTs each outcome and the summary to the hook callback URL, signed with its secret, after retrying a 500', async () => {
      const { hook, secret } = await makeHook({
        source: 'generic',
        template: '{{text}}',
        targets: ['bluesky', 'mastodon'],
        callbackUrl: receiver.url,
      });
      receiver.answer(500);
      const body = JSON.stringify({ text: 'with a callback' });
      const created = await (await post(hook.id, body, signed(secret, body))).json();
      await h.drain();
      await waitFor(async () => receiver.events().some((e) => e.type === 'post.finished'), 10_000);
      // Three events, one of them twice (its first answer was the 500).
      await waitFor(async () => receiver.received.length === 4, 10_000);
      const events = receiver.events();
      const types = [...new Set(events.map((e) => e.type))].sort();
      expect(types).toEqual(['delivery.published', 'post.finished']);
      // The first answer was a 500: that event came again, the same bytes with a fresh signature.
      const first = receiver.received[0];
      expect(receiver.received.filter((r) => r.body === first?.body).length).toBe(2);
      for (const r of receiver.received) {
        const check = verifyHayon(String(r.headers['x-hayon-signature']), Buffer.from(r.body), [secret], Date.now());
        expect(check).toEqual({ ok: true });
        expect(r.headers['x-hayon-event-id']).toBe(JSON.parse(r.body).id);
      }
      const finished = events.find((e) => e.type === 'post.finished');
      expect(finished?.post).toMatchObject({ id: created.id, status: 'COMPLETED' });
      expect(events.find((e) => e.type === 'delivery.published')).toMatchObject({
        postId: created.id,
        hookId: hook.id,
      });
      // The receiver may hold the last event a moment before the sender has written it down.
      const states = async () => (await h.ctx.store.listCallbacks(created.id)).map((c) => c.state);
      await waitFor(async () => (await states()).every((s) => s === 'sent'), 5_000).catch(() => {});
      expect(await states()).toEqual(['sent', 'sent', 'sent']);
    });

    it('reports a retry and a failure; API posts are signed with the workspace callback secret', async () => {
      bluesky.failNext({ kind: 'transient', status: 503 });
      mastodon.failNext({ kind: 'invalid', status: 400 });
      const res = await h.api('POST', '/v1/posts', {
        text: 'API post with a callback',
        targets: ['bluesky', 'mastodon'],
        callbackUrl: receiver.url,
      });
      expect(res.status).toBe(202);
      const created = await res.json();
      await h.drain();
      await waitFor(async () => receiver.events().some((e) => e.type === 'post.finished'), 10_000);
      const types = receiver.events().map((e) => e.type);
      expect(types).toEqual(
        expect.arrayContaining(['delivery.retrying', 'delivery.published', 'delivery.failed', 'post.finished']),
      );
      const secret = h.ctx.signing.workspaceSecret(h.workspaceId);
      for (const r of receiver.received) {
        expect(verifyHayon(String(r.headers['x-hayon-signature']), Buffer.from(r.body), [secret], Date.now())).toEqual({
          ok: true,
        });
      }
      const finished = receiver.events().find((e) => e.type === 'post.finished');
      expect(finished?.post.status).toBe('PARTIAL_SUCCESS');
      const retrying = receiver.events().find((e) => e.type === 'delivery.retrying');
      expect(retrying).toMatchObject({
        postId: created.id,
        reason: expect.any(String),
        nextAttemptAt: expect.any(String),
      });
    });

    it('says post.finished when the rest of a post is cancelled', async () => {
      const created = await (
        await h.api('POST', '/v1/posts', {
          text: 'later',
          targets: ['bluesky'],
          when: 'in 2 hours',
          callbackUrl: receiver.url,
        })
      ).json();
      expect((await h.api('POST', `/v1/posts/${created.id}/cancel`)).status).toBe(200);
      await waitFor(async () => receiver.events().length > 0, 10_000);
      expect(receiver.events()).toEqual([
        expect.objectContaining({
          id: `${created.id}.finished`,
          type: 'post.finished',
          post: expect.objectContaining({ status: 'CANCELLED' }),
        }),
      ]);
    });

    it('refuses a callback URL on a private network at the door, storing nothing', async () => {
      for (const callbackUrl of ['http://10.1.2.3/cb', 'http://169.254.169.254/latest', 'http://localhost:9/cb']) {
        const res = await h.api('POST', '/v1/posts', { text: 'x', targets: ['bluesky'], callbackUrl });
        expect(res.status).toBe(400);
        expect((await res.json()).error.field).toBe('callbackUrl');
      }
      await expect(
        makeHook({ source: 'generic', template: '{{text}}', targets: ['bluesky'], callbackUrl: 'http://192.168.1.5/' }),
      ).rejects.toMatchObject({ field: 'callbackUrl' });
      expect(await postCount()).toBe(0);
    });
  });
});

describe('API rate limit per token', () => {
  let h: TestHayon;
  beforeEach(async () => {
    h = await startHayon({ env: { rateLimitPerToken: '3' }, platforms: { bluesky: new FakePlatform('bluesky') } });
  });
  afterEach(() => h.stop());

  it('answers 429 with Retry-After once a token passes its limit; another token is not affected', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.api('GET', '/v1/posts')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await h.api('GET', '/v1/posts');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error).toMatchObject({ code: 'rate_limited', field: 'Authorization' });
  });
});
