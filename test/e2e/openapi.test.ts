import { generateKeyPairSync } from 'node:crypto';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postViewSchema } from '../../src/core/post-view.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { type Answer, startHayon, type TestHayon } from '../harness.js';

/**
 * Documented operations whose route is not mounted yet. Empty: `POST /v1/hooks/{hookId}` was
 * expected here, but its route is mounted already. Whoever documents a route ahead of its code
 * adds it here and removes it when the route lands (the last test fails while an entry is stale).
 */
const notYetMounted: readonly string[] = [];

/** Hono's paths in OpenAPI's words: `:id` → `{id}`, the media store's wildcards → `{key}`. */
const wildcards: Record<string, string> = { '/media/*': '/media/{key}', '/media/upload/*': '/media/upload/{key}' };
const toOpenApiPath = (path: string) => wildcards[path] ?? path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** An Ed25519 public key as Discord's portal shows it (hex), so the HTTP interactions route exists. */
function discordPublicKey(): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('hex');
}

type Schema = Record<string, Answer>;

/**
 * A small JSON Schema check (the keywords zod writes): the problems found, as paths. Enough to
 * show that the document's schemas describe what hayon really answers.
 */
function problems(value: unknown, schema: Schema, components: Record<string, Schema>, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    return target ? problems(value, target, components, at) : [`${at}: unresolved ${schema.$ref}`];
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const ok = (alternatives as Schema[]).some((alt) => problems(value, alt, components, at).length === 0);
    return ok ? [] : [`${at}: matches none of the alternatives`];
  }
  if ('const' in schema && value !== schema.const) return [`${at}: is not ${JSON.stringify(schema.const)}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not in the enum`];
  const type = schema.type as string | undefined;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (type === 'integer' && !Number.isInteger(value)) return [`${at}: not an integer`];
  if (type && type !== 'integer' && type !== actual) return [`${at}: ${actual}, not ${type}`];
  if (schema.format === 'date-time' && Number.isNaN(Date.parse(value as string))) return [`${at}: not a date-time`];
  if (actual === 'array' && schema.items) {
    return (value as unknown[]).flatMap((item, i) => problems(item, schema.items, components, `${at}[${i}]`));
  }
  if (actual !== 'object') return [];
  const record = value as Record<string, unknown>;
  const found: string[] = [];
  for (const name of schema.required ?? []) if (!(name in record)) found.push(`${at}.${name}: missing`);
  for (const [name, v] of Object.entries(record)) {
    const property = schema.properties?.[name];
    if (property) found.push(...problems(v, property, components, `${at}.${name}`));
    else if (schema.additionalProperties === false) found.push(`${at}.${name}: not in the schema`);
  }
  return found;
}

describe('OpenAPI document and reference page', () => {
  let h: TestHayon;
  let doc: Answer;

  beforeAll(async () => {
    h = await startHayon({
      // Slack over HTTP and Discord HTTP interactions, so that their routes are mounted too; neither API is called.
      env: {
        slackBotToken: 'xoxb-openapi-test',
        slackSigningSecret: 'slack-signing-secret',
        slackApiUrl: 'http://127.0.0.1:9/api/',
        discordToken: 'discord-bot-token',
        discordAppId: '1300000000000000000',
        discordPublicKey: discordPublicKey(),
        discordApiUrl: 'http://127.0.0.1:9/api',
      },
      platforms: { bluesky: new FakePlatform('bluesky', { maxLength: 300 }) },
    });
    await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
    const res = await h.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = await res.json();
  });
  afterAll(async () => h.stop());

  /**
   * Each route of the app as `METHOD /openapi/{path}`; middleware (`app.use`, it takes `next`) left
   * out, and the web page for people (`/app`: its forms and fragments are the page's own, not an
   * API; test/web covers them).
   */
  const mountedRoutes = () =>
    new Set(
      h.app.routes
        .filter((r) => !(r.method === 'ALL' && r.handler.length >= 2))
        .filter((r) => r.path !== '/app' && !r.path.startsWith('/app/'))
        .map((r) => `${r.method} ${toOpenApiPath(r.path)}`),
    );
  const documentedOperations = () =>
    new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );

  it('documents every route of the app', () => {
    const documented = documentedOperations();
    const undocumented = [...mountedRoutes()].filter((route) => !documented.has(route));
    expect(undocumented).toEqual([]);
  });

  it('documents no operation the app lacks (except those listed as not yet mounted)', () => {
    const mounted = mountedRoutes();
    const missing = [...documentedOperations()].filter((op) => !mounted.has(op) && !notYetMounted.includes(op));
    expect(missing).toEqual([]);
    expect(mounted.size).toBeGreaterThanOrEqual(14);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('hayon');
    expect(doc.servers).toEqual([{ url: h.ctx.config.publicUrl }]);
    const result = await validate(structuredClone(doc));
    expect(result.valid ? [] : compileErrors(result)).toEqual([]);
  });

  it('answers every error with the Error schema, and names the callback webhook', () => {
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Answer>>)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, Answer>)) {
          if (Number(status) < 400 || `${method} ${path} ${status}` === 'get /readyz 503') continue;
          // The browser side of connecting accounts answers pages, errors too.
          if (path.startsWith('/connect/')) {
            expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['text/html']);
            continue;
          }
          expect(response.content['application/json'].schema, `${method} ${path} ${status}`).toEqual({
            $ref: '#/components/schemas/Error',
          });
        }
      }
    }
    const callback = doc.webhooks.callbackEvent.post;
    expect(callback.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CallbackEvent',
    });
    expect(callback.parameters.map((p: Answer) => p.name)).toEqual(['X-Hayon-Signature', 'X-Hayon-Event-Id']);
  });

  it('describes POST /v1/posts with the request schema and the Post answer', () => {
    const op = doc.paths['/v1/posts'].post;
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PostRequest' });
    const request = doc.components.schemas.PostRequest;
    expect(Object.keys(request.properties)).toEqual(
      expect.arrayContaining(['text', 'targets', 'when', 'media', 'callbackUrl']),
    );
    // Input shape: `text` and `media` have defaults, so only `targets` is required.
    expect(request.required).toEqual(['targets']);
    expect(op.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Post' });
    expect(op.responses['429'].headers['Retry-After']).toBeDefined();
    expect(doc.paths['/v1/hooks/{hookId}'].post.security).toBeUndefined();
  });

  it('describes a real answer: a post made through the API fits the Post schema', async () => {
    const res = await h.api('POST', '/v1/posts', { text: 'Hello from the OpenAPI test', targets: ['bluesky'] });
    expect(res.status).toBe(202);
    const post = await res.json();
    expect(() => postViewSchema.parse(post)).not.toThrow();
    const components = doc.components.schemas;
    for (const name of components.Post.required) expect(post).toHaveProperty(name);
    expect(problems(post, { $ref: '#/components/schemas/Post' }, components)).toEqual([]);
    const list = await (await h.api('GET', '/v1/posts?limit=5')).json();
    expect(problems(list, { $ref: '#/components/schemas/PostList' }, components)).toEqual([]);
    const error = await (await h.api('GET', '/v1/posts/pst_nope')).json();
    expect(problems(error, { $ref: '#/components/schemas/Error' }, components)).toEqual([]);
  });

  it('serves a self-contained reference page that names every path', async () => {
    const res = await h.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path}</code>`);
    expect(html).toContain('callbackEvent');
    expect(html).toContain('id="schema-Post"');
    expect(html).not.toMatch(/<script|<link|\bsrc=|@import|url\(|href="(https?:)?\/\//i);
  });

  it('lists only routes that are still missing as not yet mounted', () => {
    const mounted = mountedRoutes();
    expect(notYetMounted.filter((op) => mounted.has(op))).toEqual([]);
  });
});
