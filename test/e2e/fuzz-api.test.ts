import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/accounts/api-tokens.js';
import { platformIds } from '../../src/core/post.js';
import { operations } from '../../src/http/openapi/operations.js';
import type { DiskMediaStore } from '../../src/media/disk/disk-media-store.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeMediaServer } from '../fakes/media-server.js';
import { startHayon, type TestHayon } from '../harness.js';
import {
  anyString,
  anyValue,
  Fuzzer,
  fieldIsInBody,
  fuzzMediaMaxBytes,
  headerValue,
  isUtf8,
  mediaItem,
  mutated,
  named,
  rarely,
  rawBody,
  serialize,
  serveFuzzMedia,
  timezone,
  url,
  when,
} from './fuzz-inputs.js';
import { browserRequests, numberish, only, query, type Request, segment, systemRequests } from './fuzz-route-inputs.js';

// Generated input against the HTTP API (issue #10): never a 5xx; a 4xx is JSON naming the field,
// header or parameter at fault, and writes nothing (see Fuzzer). Generated input may be valid:
// a 2xx may write. The worker is off, so nothing writes between two requests. On a failure
// fast-check prints the seed and the shrunk counterexample; `seed` in fc.assert's options replays it.

// Runs per property, sized so that the file takes about 15 s on a shared 2-core machine.
const runs = { bodies: 800, raw: 250, headers: 150, routes: 800 };

const json = { 'content-type': 'application/json' };
describe('fuzzing the HTTP API', () => {
  let h: TestHayon;
  let web: FakeMediaServer;
  let fuzz: Fuzzer;
  let manageToken: string;
  let accountIds: string[];
  /** The expired Tumblr account: the one that DELETE /v1/accounts/{id} may remove. */
  let expiredAccountId: string;
  /** A scheduled, a due and a cancelled post. */
  const postIds: string[] = [];
  /** What DELETE /v1/posts/{id} may delete: the cancelled post and one of its own. */
  const deletable: string[] = [];
  /** Two uploads' signed PUT URLs, and a signed GET URL of the first once sent. */
  const uploads: { url: URL; type: string; file: Uint8Array }[] = [];
  let download: URL;
  /** An upload sent in full, that the first post naming it consumes. */
  let uploadedId: string;

  beforeAll(async () => {
    web = new FakeMediaServer();
    await web.start();
    await serveFuzzMedia(web);
    h = await startHayon({
      worker: false,
      env: {
        fetchAllowHosts: web.host,
        rateLimitPerToken: '1000000',
        mediaMaxBytes: String(fuzzMediaMaxBytes),
        metricsToken: 'mtk_fuzz-metrics-token',
      },
      platforms: {
        bluesky: new FakePlatform('bluesky', { maxLength: 300 }),
        mastodon: new FakePlatform('mastodon', { maxLength: 500 }),
        tumblr: new FakePlatform('tumblr', { maxLength: 4096 }),
      },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: '@alice@example.social', appPassword: 'pw' });
    const tumblr = await h.ctx.accounts.add(h.workspaceId, 'tumblr', { identifier: 'alice', appPassword: 'pw' });
    await h.ctx.store.setAccountHealth(tumblr.id, 'expired', 'test', Date.now());
    expiredAccountId = tumblr.id;
    accountIds = (await h.ctx.store.listAccounts(h.workspaceId)).map((a) => a.id);
    const scopes = ['posts:read', 'posts:write', 'accounts:manage'] as const;
    manageToken = (await createApiToken(h.ctx.store, h.workspaceId, 'manage', h.ctx.clock, scopes)).token;
    for (const when of ['in 2 hours', 'now', 'in 3 hours']) {
      postIds.push((await (await h.api('POST', '/v1/posts', { text: when, targets: ['bluesky'], when })).json()).id);
    }
    await h.api('POST', `/v1/posts/${postIds[2]}/cancel`);
    const doomed = await h.api('POST', '/v1/posts', { text: 'to delete', targets: ['bluesky'], when: 'in 4 hours' });
    deletable.push(postIds[2] as string, (await doomed.json()).id);
    const photo = new Uint8Array(await (await fetch(`${web.origin}/photo.jpg`)).arrayBuffer());
    for (const [type, file] of [['image/jpeg', photo] as const, ['image/png', new Uint8Array(64)] as const]) {
      const made = await (await h.api('POST', '/v1/uploads', { type, size: file.length })).json();
      uploads.push({ url: new URL(made.upload.url), type, file: named(file, `the declared ${type} file`) });
      uploadedId ??= made.id;
    }
    const first = uploads[0] as (typeof uploads)[number];
    const headers = { 'content-type': first.type };
    await h.request(`${first.url.pathname}${first.url.search}`, { method: 'PUT', headers, body: first.file });
    const key = decodeURIComponent(first.url.pathname.slice('/media/upload/'.length));
    download = new URL(await (h.ctx.media.store as DiskMediaStore).downloadUrl(key, 3_600));
    fuzz = new Fuzzer(h);
  });
  afterAll(async () => {
    if (fuzz) console.log(`fuzz-api: answers by status\n${fuzz.summary()}`);
    fuzz?.close();
    await h?.stop();
    await web?.stop();
  });

  const send = ({ route, method, path, token, headers, body, fields }: Request) => {
    const bearer = token === undefined ? h.token : token;
    const all = { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers };
    return fuzz.send(route, path, { method, headers: all, ...(body !== undefined ? { body } : {}) }, fields);
  };

  const target = () =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('bluesky', 'mastodon', 'bluesky:alice.test', ...accountIds) },
      { weight: 1, arbitrary: fc.constantFrom('tumblr', 'bluesky:bob.test', 'myspace', '', 'BLUESKY', 'mastodon:') },
      { weight: 1, arbitrary: anyString },
    );
  const text = fc.oneof(
    { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 290, maxLength: 520 }) },
    { weight: 1, arbitrary: anyString },
  );

  /** The valid body's model, each field drawn from valid and invalid values alike. */
  const postBody = () => {
    const media = fc.array(mediaItem(web.origin), { maxLength: 2 });
    const visibility = fc.constantFrom('public', 'unlisted', 'direct', 'secret');
    const language = fc.constantFrom('en', 'de', 'zzz', 'EN', 'english');
    const options = fc.record({ visibility, contentWarning: anyString, language }, { requiredKeys: [] });
    const thread = fc.constantFrom('auto', 'off');
    const override = fc.record({ text, media, thread, options }, { requiredKeys: [] });
    const platform = fc.constantFrom('bluesky', 'mastodon', 'tumblr', 'myspace');
    return fc.record(
      {
        text,
        targets: fc.array(target(), { minLength: 1, maxLength: 3 }),
        media,
        when,
        timezone,
        overrides: fc.dictionary(platform, override, { maxKeys: 2 }),
        thread,
        threadCounter: fc.boolean(),
        callbackUrl: url(web.origin),
      },
      { requiredKeys: ['text', 'targets'] },
    );
  };
  /**
   * Bodies that pass the schema, so that the later checks (time, targets, media, platforms, the
   * store) run too; `fields` replaces some fields' values.
   */
  const validish = (fields: Record<string, fc.Arbitrary<unknown>> = {}) =>
    fc.record(
      {
        text: fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim() !== ''),
        targets: fc.subarray(['bluesky', 'mastodon'], { minLength: 1 }),
        media: fc.constantFrom([], [{ url: `${web.origin}/photo.jpg`, alt: 'a photo' }], [{ id: uploadedId }]),
        when: fc.constantFrom('now', 'in 2 hours', 'tomorrow 9am Europe/Berlin', 'next friday 17:30'),
        timezone: fc.constantFrom('UTC', 'Asia/Kathmandu', 'America/St_Johns'),
        ...fields,
      },
      { requiredKeys: ['text', 'targets'] },
    );

  it('POST /v1/posts: mutated bodies, wrong types, huge strings, lone surrogates, deep nesting, absurd dates', async () => {
    const someTargets = fc.array(target(), { minLength: 1, maxLength: 3 });
    const someMedia = fc.array(mediaItem(web.origin), { maxLength: 2 });
    const zone = fc.oneof(fc.constantFrom('UTC', 'Pacific/Kiritimati'), timezone);
    const body = fc.oneof(
      { weight: 5, arbitrary: mutated(postBody()) },
      { weight: 2, arbitrary: mutated(validish()) },
      { weight: 2, arbitrary: validish({ when, timezone: zone }) },
      { weight: 1, arbitrary: validish({ targets: someTargets }) },
      { weight: 1, arbitrary: validish({ media: someMedia, callbackUrl: url(web.origin) }) },
      { weight: 1, arbitrary: anyValue },
    );
    const key = rarely(fc.oneof(fc.constantFrom('k1', 'k2', ''), headerValue));
    await fc.assert(
      fc.asyncProperty(body, key, async (value, idempotencyKey) => {
        const headers = { ...json, ...(idempotencyKey !== null ? { 'idempotency-key': idempotencyKey } : {}) };
        const fields = (f: string) => ['body', 'Idempotency-Key'].includes(f) || fieldIsInBody(value, f);
        const request = { route: 'POST /v1/posts (bodies)', method: 'POST', path: '/v1/posts', headers };
        await send({ ...request, body: serialize(value), fields });
      }),
      { numRuns: runs.bodies },
    );
  }, 120_000);

  it('POST /v1/posts: bodies that are not JSON or not UTF-8 are a 400 about body', async () => {
    const type = fc.constantFrom(
      ...'application/json|application/json; charset=latin1|APPLICATION/JSON|text/plain'.split('|'),
    );
    await fc.assert(
      fc.asyncProperty(rawBody(validish().map(serialize)), fc.option(type), async (bytes, contentType) => {
        const headers = contentType === null ? {} : { 'content-type': contentType };
        const request = { route: 'POST /v1/posts (raw)', method: 'POST', path: '/v1/posts', headers, body: bytes };
        // Latin-1 bytes of an ASCII body are UTF-8 too: such a body reaches the later checks.
        // (A field other than body means the server parsed it: so can this.)
        const fields = (f: string) => f === 'body' || fieldIsInBody(JSON.parse(new TextDecoder().decode(bytes)), f);
        const { status, answer } = await send({ ...request, fields });
        if (!isUtf8(bytes)) expect([status, answer.error?.field]).toEqual([400, 'body']);
      }),
      { numRuns: runs.raw },
    );
  }, 120_000);

  it('POST /v1/posts: generated Authorization, Idempotency-Key and Content-Type headers', async () => {
    const authorization = fc.oneof(
      headerValue,
      headerValue.map((v) => `Bearer ${v}`),
      fc.nat(40).map((n) => `Bearer ${h.token.slice(0, n)}`),
      fc.constant(`bearer  ${h.token}`),
    );
    const headers = fc.record(
      { authorization, 'idempotency-key': headerValue, 'content-type': headerValue },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(headers, validish(), async (given, value) => {
        const fields = (f: string) =>
          ['Authorization', 'Idempotency-Key', 'Content-Type', 'body'].includes(f) || fieldIsInBody(value, f);
        const request = { route: 'POST /v1/posts (headers)', method: 'POST', path: '/v1/posts', token: null };
        await send({ ...request, headers: { ...json, ...given }, body: serialize(value), fields });
      }),
      { numRuns: runs.headers },
    );
  }, 120_000);

  /** Requests to every route but POST /v1/posts, from generated ids, queries, signed-URL parameters and bodies. */
  const routes = (): fc.Arbitrary<Request> => {
    const list = query({
      limit: numberish,
      before: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        when,
        numberish,
      ),
    }).map(
      (q): Request => ({
        route: 'GET /v1/posts',
        method: 'GET',
        path: `/v1/posts${q}`,
        fields: only('limit', 'before'),
      }),
    );
    const action = fc.constantFrom('GET ', 'POST /cancel', 'POST /publish-now', 'POST /retry');
    const one = fc.tuple(action, fc.oneof(fc.constantFrom(...postIds), segment)).map(([a, id]): Request => {
      const [method = 'GET', tail = ''] = a.split(' ');
      return {
        route: `${method} /v1/posts/{id}${tail}`,
        method,
        path: `/v1/posts/${id}${tail}`,
        fields: only('id', 'path'),
      };
    });
    // Deleting only posts no other request uses, so that the others keep their state.
    const remove = fc.oneof(fc.constantFrom(...deletable), segment).map(
      (id): Request => ({
        route: 'DELETE /v1/posts/{id}',
        method: 'DELETE',
        path: `/v1/posts/${id}`,
        fields: only('id', 'path'),
      }),
    );
    // An edit: the body of a post, every field optional, on a waiting, a due or a cancelled post.
    const someFields = validish().chain((b) =>
      fc
        .subarray(Object.keys(b))
        .map((keys) => Object.fromEntries(keys.map((k) => [k, (b as Record<string, unknown>)[k]]))),
    );
    const patchBody = fc.oneof(
      { weight: 3, arbitrary: someFields },
      { weight: 2, arbitrary: mutated(someFields) },
      { weight: 2, arbitrary: mutated(postBody()) },
      { weight: 1, arbitrary: anyValue },
    );
    const edit = fc.tuple(fc.oneof(fc.constantFrom(...postIds), segment), patchBody).map(([id, body]): Request => {
      const fields = (f: string) => ['id', 'path', 'body'].includes(f) || fieldIsInBody(body, f);
      return {
        route: 'PATCH /v1/posts/{id}',
        method: 'PATCH',
        path: `/v1/posts/${id}`,
        headers: json,
        body: serialize(body),
        fields,
      };
    });
    const platform = fc.oneof(fc.constantFrom(...platformIds, 'myspace', 'constructor'), segment);
    const linkBody = fc.option(fc.oneof(fc.record({ instance: anyString }, { requiredKeys: [] }), anyValue));
    const link = fc.tuple(platform, linkBody).map(([p, body]): Request => {
      const fields = (f: string) => ['platform', 'body', 'path'].includes(f) || fieldIsInBody(body, f);
      const route = { route: 'POST /v1/connect/{platform}', method: 'POST', path: `/v1/connect/${p}`, fields };
      return { ...route, token: manageToken, ...(body !== null ? { headers: json, body: serialize(body) } : {}) };
    });
    // Removing an account: mostly ids that are none, now and then the expired one (the others stay targets).
    const accountId = fc.oneof(
      { weight: 1, arbitrary: fc.constant(expiredAccountId) },
      { weight: 4, arbitrary: segment },
    );
    const unlink = fc
      .tuple(accountId, query({ cancelWaiting: fc.oneof(fc.constantFrom('true', 'false', 'yes', ''), anyString) }))
      .map(
        ([id, q]): Request => ({
          ...{ route: 'DELETE /v1/accounts/{id}', method: 'DELETE', path: `/v1/accounts/${id}${q}` },
          ...{ token: manageToken, fields: only('id', 'path', 'cancelWaiting') },
        }),
      );
    const size = fc.oneof(fc.integer({ min: 1, max: 300_000 }), fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e308));
    const type = fc.constantFrom('image/jpeg', 'image/png', 'video/mp4', 'image/svg+xml', 'text/html');
    const upload = mutated(fc.record({ type, size })).map(
      (body): Request => ({
        ...{ route: 'POST /v1/uploads', method: 'POST', path: '/v1/uploads', headers: json, body: serialize(body) },
        fields: (f) => f === 'body' || fieldIsInBody(body, f),
      }),
    );
    const signed = ['expires', 'sig', 'type', 'size'];
    const put = fc
      .record({
        upload: fc.nat(uploads.length - 1),
        tweak: rarely(fc.tuple(fc.constantFrom(...signed), headerValue), 3),
        key: rarely(segment, 5),
        contentType: rarely(headerValue, 5),
        body: rarely(fc.uint8Array({ maxLength: 400 }), 3),
      })
      .map(({ upload, tweak, key, contentType, body }): Request => {
        const { url, type, file } = uploads[upload] as (typeof uploads)[number];
        const search = new URLSearchParams(url.search);
        if (tweak) search.set(...tweak);
        const path = `${key === null ? url.pathname : `/media/upload/${key}`}?${search}`;
        const headers = { 'content-type': contentType ?? type };
        const fields = only('key', ...signed, 'Content-Type', 'body', 'path');
        return {
          route: 'PUT /media/upload/{key}',
          method: 'PUT',
          path,
          token: null,
          headers,
          body: body ?? file,
          fields,
        };
      });
    const tweak = rarely(fc.tuple(fc.constantFrom('expires', 'sig'), headerValue), 3);
    const get = fc.tuple(rarely(segment, 3), tweak).map(([key, tweak]): Request => {
      const search = new URLSearchParams(download.search);
      if (tweak) search.set(...tweak);
      const path = `${key === null ? download.pathname : `/media/${key}`}?${search}`;
      return {
        route: 'GET /media/{key}',
        method: 'GET',
        path,
        token: null,
        fields: only('key', 'expires', 'sig', 'path'),
      };
    });
    const all = [one, remove, edit, link, unlink, upload, put, get, browserRequests(), systemRequests()];
    return fc.oneof({ weight: 2, arbitrary: list }, ...all);
  };

  it('every other route: generated ids, queries, signed-URL parameters and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(routes(), async (request) => {
        await send(request);
      }),
      { numRuns: runs.routes },
    );
  }, 120_000);

  it('covers every documented route (the chat apps are not configured here; hooks are fuzz-hooks.test.ts)', () => {
    const fuzzed = [
      ...['POST /v1/posts', 'GET /v1/posts', 'GET /v1/posts/{id}', 'POST /v1/posts/{id}/cancel'],
      ...['POST /v1/posts/{id}/publish-now', 'POST /v1/uploads', 'POST /v1/connect/{platform}'],
      ...['PATCH /v1/posts/{id}', 'POST /v1/posts/{id}/retry', 'DELETE /v1/posts/{id}', 'DELETE /v1/accounts/{id}'],
      ...['GET /connect/{platform}/start', 'GET /connect/{platform}/callback', 'POST /connect/{platform}/callback'],
      ...['POST /connect/{platform}/choose', 'PUT /media/upload/{key}', 'GET /media/{key}', 'GET /metrics'],
      ...['GET /healthz', 'GET /readyz', 'GET /openapi.json', 'GET /docs', 'GET /', 'POST /v1/hooks/{hookId}'],
    ];
    const documented = operations()
      .filter((op) => !op.tags.includes('Chat'))
      .map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(documented.filter((route) => !fuzzed.includes(route))).toEqual([]);
    expect(fuzzed.filter((route) => !documented.includes(route))).toEqual([]);
  });
});
