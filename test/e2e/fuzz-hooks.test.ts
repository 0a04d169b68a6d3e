import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HookSourceId } from '../../src/core/hook.js';
import { hookSources } from '../../src/core/hooks/sources.js';
import { signGhost, signGithub, signHayon } from '../../src/core/hooks/signature.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeMediaServer } from '../fakes/media-server.js';
import { startHayon, type TestHayon } from '../harness.js';
import {
  anyString,
  anyValue,
  Fuzzer,
  fuzzMediaMaxBytes,
  headerValue,
  isUtf8,
  mutated,
  rarely,
  rawBody,
  serialize,
  serveFuzzMedia,
  url,
} from './fuzz-inputs.js';

// Generated events against POST /v1/hooks/{hookId} for each source (issue #10): bodies built
// from each source's documented payload, mutated, and correctly signed so that they reach the
// payload checks; signature headers generated too. Never a 5xx; a 4xx is JSON naming the field,
// header or parameter at fault and writes nothing; an ignored event (202) writes nothing either.
// The worker is off, so nothing writes between two requests. On a failure fast-check prints the
// seed and the shrunk counterexample; `seed` in fc.assert's options replays it.

// Runs per property, sized so that the file takes about 15 s on a shared 2-core machine.
const runs: Record<HookSourceId, number> & { ids: number } = {
  generic: 400,
  github: 250,
  ghost: 200,
  wordpress: 250,
  ids: 100,
};

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/hooks/${name}`, import.meta.url), 'utf8'));

/** `base` with the value at each dotted path drawn from its generator. */
function withFields(base: Record<string, unknown>, fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc.record(fields).map((values) => {
    const copy = JSON.parse(JSON.stringify(base));
    for (const [path, value] of Object.entries(values)) {
      const steps = path.split('.');
      const parent = steps.slice(0, -1).reduce((v, k) => v[k], copy);
      parent[steps[steps.length - 1] as string] = value;
    }
    return copy as unknown;
  });
}

/** Mostly `valid`, now and then anything else. */
const mostly = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anyValue });

/** How a request is signed: right, stale, from the future, with another secret, absent or garbled. */
const signing = fc.oneof(
  { weight: 10, arbitrary: fc.constant('valid') },
  { weight: 3, arbitrary: fc.constantFrom('stale', 'future', 'wrong secret', 'missing', 'upper case', 'twice') },
  { weight: 1, arbitrary: headerValue },
);

describe('fuzzing incoming webhooks', () => {
  let h: TestHayon;
  let web: FakeMediaServer;
  let fuzz: Fuzzer;
  /** Per source, the hooks to send to with their secrets and the fields their templates use. */
  const hooks = new Map<HookSourceId, { id: string; secret: string; fields: string[] }[]>();
  let disabled: { id: string; secret: string };

  beforeAll(async () => {
    web = new FakeMediaServer();
    await web.start();
    await serveFuzzMedia(web);
    h = await startHayon({
      worker: false,
      env: { fetchAllowHosts: web.host, hookRateLimit: '1000000', mediaMaxBytes: String(fuzzMediaMaxBytes) },
      platforms: {
        bluesky: new FakePlatform('bluesky', { maxLength: 300 }),
        mastodon: new FakePlatform('mastodon', { maxLength: 500 }),
      },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    await h.ctx.accounts.add(h.workspaceId, 'mastodon', { identifier: '@alice@example.social', appPassword: 'pw' });
    const specs: Record<string, unknown>[] = [
      { source: 'generic', template: '{{title}} {{url}}', mediaTemplate: '{{image?}}', targets: ['bluesky'] },
      { source: 'generic', targets: ['bluesky', 'mastodon'], when: 'in 2 hours', thread: 'auto' },
      { source: 'github', targets: ['mastodon'] },
      { source: 'ghost', targets: ['bluesky'] },
      { source: 'wordpress', targets: ['mastodon'], thread: 'auto' },
    ];
    for (const spec of specs) {
      const { hook, secret } = await h.ctx.hooks.create(h.workspaceId, spec);
      const fields = [
        ...hook.template.matchAll(/{{([\w.]+)\??}}/g),
        ...(hook.mediaTemplate ?? '').matchAll(/{{([\w.]+)\??}}/g),
      ];
      const list = hooks.get(hook.source) ?? [];
      hooks.set(hook.source, [...list, { id: hook.id, secret, fields: fields.map((m) => m[1] as string) }]);
    }
    const off = await h.ctx.hooks.create(h.workspaceId, { source: 'generic', targets: ['bluesky'] });
    await h.ctx.hooks.setEnabled(h.workspaceId, off.hook.id, false);
    disabled = { id: off.hook.id, secret: off.secret };
    fuzz = new Fuzzer(h);
  });
  afterAll(async () => {
    if (fuzz) console.log(`fuzz-hooks: answers by status\n${fuzz.summary()}`);
    fuzz?.close();
    await h?.stop();
    await web?.stop();
  });

  /** The image URLs of the fixtures point at hosts that need DNS: each becomes the local photo. */
  const localImages = (payload: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(payload).replace(/https?:\/\/[^"]+\.(jpe?g|png)/g, `${web.origin}/photo.jpg`));
  const text = mostly(fc.string({ maxLength: 80 }));
  const unique = fc.uuid();

  /** Each source's documented payload with the fields it reads generated, then mutated. */
  const payloads = (): Record<HookSourceId, fc.Arbitrary<unknown>> => ({
    generic: fc.oneof(
      mutated(
        fc.record(
          { text, title: text, url: mostly(url(web.origin)), image: url(web.origin), links: fc.array(anyValue) },
          { requiredKeys: [] },
        ),
      ),
      anyValue,
    ),
    github: mutated(
      withFields(fixture('github-release-published.json'), {
        action: mostly(fc.constantFrom('published', 'published', 'created', 'deleted')),
        'release.tag_name': mostly(fc.constantFrom('v2.0.0', ' ', '')),
        'release.html_url': mostly(fc.constant('https://github.com/o/r/releases/tag/v2.0.0')),
        'release.name': text,
        'release.body': mostly(anyString),
        'release.prerelease': anyValue,
      }),
    ),
    ghost: mutated(
      withFields(localImages(fixture('ghost-post-published.json')), {
        'post.current.title': text,
        'post.current.url': mostly(fc.constant('https://blog.example.com/p/')),
        'post.current.feature_image': fc.oneof(url(web.origin), fc.constant(null)),
        'post.current.status': mostly(fc.constantFrom('published', 'published', 'draft')),
        'post.current.custom_excerpt': mostly(anyString),
        'post.current.tags': mostly(
          fc.array(fc.record({ name: anyString, visibility: fc.constantFrom('public', 'internal') })),
        ),
        'post.current.updated_at': mostly(unique),
      }),
    ),
    wordpress: fc.oneof(
      mutated(
        withFields(localImages(fixture('wordpress-wp-webhooks-post.json')), {
          'post.post_title': text,
          post_permalink: mostly(fc.constant('https://www.example.org/p/')),
          post_thumbnail: fc.oneof(url(web.origin), fc.constant(false)),
          'post.post_status': mostly(fc.constantFrom('publish', 'publish', 'draft')),
          'post.post_excerpt': mostly(anyString),
          'post.post_modified_gmt': mostly(unique),
          post_id: mostly(fc.nat()),
        }),
      ),
      mutated(
        withFields(localImages(fixture('wordpress-rest-post.json')), {
          'title.rendered': text,
          link: mostly(fc.constant('https://www.example.org/p/')),
          status: mostly(fc.constantFrom('publish', 'publish', 'future')),
          'excerpt.rendered': mostly(anyString.map((s) => `<p>${s}</p>`)),
          jetpack_featured_media_url: url(web.origin),
          modified_gmt: mostly(unique),
        }),
      ),
    ),
  });

  /** The signature header for `body`, signed or garbled as `how` says. */
  function signature(source: HookSourceId, secret: string, body: Uint8Array, how: string): Record<string, string> {
    const header = hookSources[source].signatureHeader.toLowerCase();
    if (!['valid', 'stale', 'future', 'wrong secret', 'upper case', 'twice', 'missing'].includes(how)) {
      return { [header]: how };
    }
    if (how === 'missing') return {};
    const key = how === 'wrong secret' ? 'hks_not-the-secret' : secret;
    const at = Date.now() + (how === 'stale' ? -600_000 : how === 'future' ? 86_400_000 : 0);
    const bytes = Buffer.from(body);
    const value =
      source === 'github'
        ? signGithub(key, bytes)
        : source === 'ghost'
          ? signGhost(key, bytes, at)
          : signHayon(key, bytes, Math.floor(at / 1000));
    // Upper-case hex digits are still the same signature.
    if (how === 'upper case') return { [header]: value.replace(/[0-9a-f]{64}/, (hex) => hex.toUpperCase()) };
    return { [header]: how === 'twice' ? `${value},${value}` : value };
  }

  /** What a 4xx about a source's event may name. */
  const fieldsFor = (source: HookSourceId, hook: { fields: string[] }) => {
    const named = [
      ...['hookId', 'body', hookSources[source].signatureHeader, 'Idempotency-Key', 'X-GitHub-Event'],
      ...['X-GitHub-Delivery', 'release.tag_name', 'release.html_url', 'post.current', 'text', ...hook.fields],
    ];
    return (field: string) => named.includes(field) || /^media\[\d+\]\.url$/.test(field);
  };

  /** Headers besides the signature: GitHub's event and delivery id, or an Idempotency-Key. */
  const extraHeaders = (source: HookSourceId): fc.Arbitrary<Record<string, string>> => {
    if (source === 'github') {
      return fc
        .record({
          'x-github-event': rarely(fc.constantFrom('ping', 'push', ''), 6),
          'x-github-delivery': fc.oneof(fc.uuid(), headerValue),
          odd: rarely(headerValue, 8),
        })
        .map(({ odd, 'x-github-event': event, 'x-github-delivery': delivery }) => ({
          'x-github-event': odd ?? event ?? 'release',
          'x-github-delivery': delivery,
        }));
    }
    return rarely(headerValue, 5).map((key) => (key === null ? {} : { 'idempotency-key': key }));
  };

  for (const source of ['generic', 'github', 'ghost', 'wordpress'] as const) {
    it(`${source}: generated payloads, signed or not, and headers`, async () => {
      const list = hooks.get(source) ?? [];
      // The JSON value is what a counterexample shows; it is serialized (markers expanded) when sent.
      const body = fc.oneof(
        { weight: 9, arbitrary: payloads()[source].map((json) => ({ json })) },
        { weight: 1, arbitrary: rawBody(payloads()[source].map(serialize)).map((raw) => ({ raw })) },
      );
      const request = fc.record({ hook: fc.nat(list.length - 1), body, how: signing, headers: extraHeaders(source) });
      await fc.assert(
        fc.asyncProperty(request, async ({ hook: i, body, how, headers }) => {
          const hook = list[i] as (typeof list)[number];
          const bytes = 'raw' in body ? body.raw : new Uint8Array(Buffer.from(serialize(body.json)));
          const all = { 'content-type': 'application/json', ...headers, ...signature(source, hook.secret, bytes, how) };
          const before = await fuzz.counts();
          const init = { method: 'POST', headers: all, body: bytes };
          const { status, answer } = await fuzz.send(
            `${source}`,
            `/v1/hooks/${hook.id}`,
            init,
            fieldsFor(source, hook),
          );
          if (answer?.ignored) expect(await fuzz.counts(), 'an ignored event wrote').toEqual(before);
          if (how === 'valid' && !isUtf8(bytes)) expect([400, 413]).toContain(status);
          // GitHub's signature has no time in it: stale and future are the same as valid there.
          if (!['valid', 'upper case'].includes(how) && !(source === 'github' && ['stale', 'future'].includes(how))) {
            expect([401, 413], `signed "${how}"`).toContain(status);
          }
        }),
        { numRuns: runs[source] },
      );
    }, 120_000);
  }

  it('unknown and disabled hooks: 404 or 403 about hookId, whatever the body', async () => {
    const hookId = fc.oneof(
      fc.constant(disabled.id),
      fc.string({ minLength: 1 }).map(encodeURIComponent),
      fc.constantFrom('%ff', 'hk_', '__proto__', 'x'.repeat(3_000)),
    );
    await fc.assert(
      fc.asyncProperty(hookId, payloads().generic, async (id, value) => {
        const body = serialize(value);
        const headers = {
          'content-type': 'application/json',
          ...signature('generic', disabled.secret, Buffer.from(body), 'valid'),
        };
        const { status } = await fuzz.send(
          'unknown or disabled',
          `/v1/hooks/${id}`,
          { method: 'POST', headers, body },
          (f) => ['hookId', 'path', 'Authorization', 'body'].includes(f),
        );
        // `.` and `..` resolve to another path: no route, or the API's token check.
        expect([401, 403, 404, 413]).toContain(status);
      }),
      { numRuns: runs.ids },
    );
  }, 120_000);
});
