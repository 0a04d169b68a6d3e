import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePlatform } from '../fakes/fake-platform.js';
import { startHayon, type TestHayon } from '../harness.js';

// Every bad input is a 4xx whose JSON names the field, and nothing is written.
describe('bad input to POST /v1/posts', () => {
  let h: TestHayon;

  beforeAll(async () => {
    h = await startHayon({ platforms: { bluesky: new FakePlatform('bluesky', { maxLength: 300 }) } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterAll(async () => h.stop());

  const cases: { name: string; body: unknown; status: number; code: string; field: string }[] = [
    {
      name: 'no text and no media',
      body: { targets: ['bluesky'] },
      status: 400,
      code: 'invalid_request',
      field: 'text',
    },
    {
      name: 'blank text',
      body: { text: '   ', targets: ['bluesky'] },
      status: 400,
      code: 'invalid_request',
      field: 'text',
    },
    { name: 'no targets', body: { text: 'hi', targets: [] }, status: 400, code: 'invalid_request', field: 'targets' },
    {
      name: 'unknown platform',
      body: { text: 'hi', targets: ['myspace'] },
      status: 400,
      code: 'unknown_target',
      field: 'targets[0]',
    },
    {
      name: 'platform without an account',
      body: { text: 'hi', targets: ['bluesky', 'mastodon'] },
      status: 400,
      code: 'unknown_target',
      field: 'targets[1]',
    },
    {
      name: 'unknown handle',
      body: { text: 'hi', targets: ['bluesky:bob.test'] },
      status: 400,
      code: 'unknown_target',
      field: 'targets[0]',
    },
    {
      name: 'unparseable time',
      body: { text: 'hi', targets: ['bluesky'], when: 'banana' },
      status: 400,
      code: 'invalid_schedule',
      field: 'when',
    },
    {
      name: 'time in the past',
      body: { text: 'hi', targets: ['bluesky'], when: '2020-01-01T00:00:00Z' },
      status: 400,
      code: 'invalid_schedule',
      field: 'when',
    },
    {
      name: 'more than a year ahead',
      body: { text: 'hi', targets: ['bluesky'], when: 'in 3 years' },
      status: 400,
      code: 'invalid_schedule',
      field: 'when',
    },
    {
      name: 'unknown time zone',
      body: { text: 'hi', targets: ['bluesky'], timezone: 'Mars/Olympus' },
      status: 400,
      code: 'invalid_schedule',
      field: 'timezone',
    },
    {
      name: 'text over the limit',
      body: { text: 'x'.repeat(341), targets: ['bluesky'] },
      status: 400,
      code: 'content_too_long',
      field: 'text',
    },
    {
      name: 'override over the limit',
      body: { text: 'ok', targets: ['bluesky'], overrides: { bluesky: { text: 'y'.repeat(301) } } },
      status: 400,
      code: 'content_too_long',
      field: 'overrides.bluesky.text',
    },
    {
      name: 'wrong type',
      body: { text: 42, targets: ['bluesky'] },
      status: 400,
      code: 'invalid_request',
      field: 'text',
    },
    {
      name: 'unknown field',
      body: { text: 'hi', targets: ['bluesky'], colour: 'red' },
      status: 400,
      code: 'invalid_request',
      field: 'body',
    },
    {
      name: 'bad media url',
      body: { text: 'hi', targets: ['bluesky'], media: [{ url: 'not a url' }] },
      status: 400,
      code: 'invalid_request',
      field: 'media[0].url',
    },
    { name: 'not an object', body: '[1,2]', status: 400, code: 'invalid_request', field: 'body' },
    { name: 'malformed JSON', body: '{"text": ', status: 400, code: 'invalid_request', field: 'body' },
  ];

  it.each(cases)('$name → $status $code ($field)', async ({ body, status, code, field }) => {
    const res = await h.api('POST', '/v1/posts', body);
    expect(res.status).toBe(status);
    const json = await res.json();
    expect(json.error.code).toBe(code);
    expect(json.error.field).toBe(field);
    expect(json.error.message.length).toBeGreaterThan(5);
    expect(await h.ctx.store.listPosts(h.workspaceId, { limit: 10 })).toEqual([]);
  });

  it('says by how much the text is too long', async () => {
    const res = await h.api('POST', '/v1/posts', { text: 'x'.repeat(341), targets: ['bluesky'] });
    expect((await res.json()).error.message).toMatch(/by 41 characters/);
  });

  it('says what to do next for a text too long: split it into a thread', async () => {
    const res = await h.api('POST', '/v1/posts', { text: 'x'.repeat(341), targets: ['bluesky'] });
    expect((await res.json()).error.message).toBe(
      'Too long for bluesky by 41 characters (341 of 300). Shorten it, or set thread: "auto" to split it into a thread.',
    );
  });

  it("names a missing targets and says what to put there, not zod's words", async () => {
    const res = await h.api('POST', '/v1/posts', { text: 'hi' });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.field).toBe('targets');
    expect(error.message).toBe(
      'targets is missing: it takes the accounts to publish to, as a list: ["bluesky"], ["bluesky", "mastodon:@me@mastodon.social"] or account ids.',
    );
    const unknown = await (
      await h.api('POST', '/v1/posts', { text: 'hi', targets: ['bluesky'], colour: 'red' })
    ).json();
    expect(unknown.error.message).toContain('a field hayon does not know: colour');
    expect(unknown.error.message).toContain('GET /docs');
  });

  it.each([
    [
      { text: 'hi', targets: 'bluesky' },
      'targets must be a list. Put the accounts to publish to, as a list: ["bluesky"], ["bluesky", "mastodon:@me@mastodon.social"] or account ids there.',
    ],
    [
      { text: 'hi', targets: [] },
      'targets needs at least 1 item. Put the accounts to publish to, as a list: ["bluesky"], ["bluesky", "mastodon:@me@mastodon.social"] or account ids there.',
    ],
    [{ text: 'hi', targets: ['bluesky'], thread: 'yes' }, 'thread must be one of "auto", "off".'],
    [{ text: 'hi', targets: ['bluesky'], threadCounter: 'no' }, 'threadCounter must be true or false.'],
  ])('words a wrong shape as a sentence naming the field: %j', async (body, message) => {
    const res = await h.api('POST', '/v1/posts', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe(message);
  });

  it('a target with no account says how to connect one', async () => {
    const res = await h.api('POST', '/v1/posts', { text: 'hi', targets: ['mastodon'] });
    expect((await res.json()).error.message).toBe(
      'No mastodon account is connected to this workspace. Connect one first: POST /v1/connect/mastodon answers a link to open (or hayon accounts connect mastodon).',
    );
  });

  it('refuses an unknown or missing token with 401 and writes nothing', async () => {
    for (const authorization of ['Bearer hyn_nope', 'Basic abc', '']) {
      const res = await h.request('/v1/posts', {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hi', targets: ['bluesky'] }),
      });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatchObject({ code: 'unauthorized', field: 'Authorization' });
    }
    expect(await h.ctx.store.listPosts(h.workspaceId, { limit: 10 })).toEqual([]);
  });

  it('refuses a body over the size cap with 413', async () => {
    const res = await h.api('POST', '/v1/posts', { text: 'x'.repeat(300_000), targets: ['bluesky'] });
    expect(res.status).toBe(413);
    expect((await res.json()).error.field).toBe('body');
  });

  it('answers 404 with JSON for an unknown post and an unknown route, naming the id and the path', async () => {
    const res = await h.api('GET', '/v1/posts/post_nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: 'not_found', field: 'id' });
    const route = await h.request('/nope');
    expect(route.status).toBe(404);
    expect((await route.json()).error).toMatchObject({ code: 'not_found', field: 'path' });
  });

  it('refuses a body that is not UTF-8 with a 400 about body, rather than storing U+FFFD in the text', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('","targets":["bluesky"]}'),
    ]);
    const res = await h.request('/v1/posts', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_request', field: 'body' });
    expect(await h.ctx.store.listPosts(h.workspaceId, { limit: 10 })).toEqual([]);
  });

  it('takes a fractional or absurd list limit as a whole number in 1 to 100, never a 500', async () => {
    for (const limit of ['3.7', '1.01', '0.5', '-2', '1e400', 'abc']) {
      const res = await h.api('GET', `/v1/posts?limit=${limit}`);
      expect(res.status, limit).toBe(200);
      expect((await res.json()).posts).toEqual([]);
    }
  });

  it('health and readiness', async () => {
    expect((await h.request('/healthz')).status).toBe(200);
    expect(await (await h.request('/readyz')).json()).toEqual({ ok: true });
  });
});

describe('the next step a refusal names works', () => {
  let h: TestHayon;
  beforeAll(async () => {
    h = await startHayon({ platforms: { bluesky: new FakePlatform('bluesky', { maxLength: 300 }) } });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  });
  afterAll(async () => h.stop());

  it('a text refused as too long passes with thread: "auto"', async () => {
    const text = 'A sentence that goes on for a while, to fill a post. '.repeat(8);
    const refused = await h.api('POST', '/v1/posts', { text, targets: ['bluesky'], when: 'in 2 hours' });
    expect((await refused.json()).error.message).toContain('set thread: "auto"');
    const split = await h.api('POST', '/v1/posts', { text, targets: ['bluesky'], thread: 'auto', when: 'in 2 hours' });
    expect(split.status).toBe(202);
  });
});
