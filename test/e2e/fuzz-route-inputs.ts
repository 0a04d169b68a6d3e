import fc from 'fast-check';
import { platformIds } from '../../src/core/post.js';
import { anyString, type FieldCheck, headerValue } from './fuzz-inputs.js';

// Generated path segments, query strings and the requests of the routes without a body, for fuzz-api.test.ts.

/** A path segment: any string percent-encoded, broken escapes, dot segments, huge ones. */
export const segment = fc.oneof(
  fc.string({ minLength: 1 }).map(encodeURIComponent),
  fc.constantFrom('%ff', '%E0%A4%A', '%', '%2e%2e', '%2F', '%00', 'x'.repeat(3_000), '__proto__'),
  // Every byte percent-encoded: encodeURIComponent throws on a lone surrogate.
  anyString
    .filter((s) => s.length > 0 && s.length < 5_000)
    .map((s) => Buffer.from(s).toString('hex').replace(/../g, '%$&')),
);
/** A query string of some of `params`, now and then with a broken escape or a bare name after them. */
export const query = (params: Record<string, fc.Arbitrary<string>>) =>
  fc
    .tuple(fc.record(params, { requiredKeys: [] }), fc.constantFrom('', '', '&%ff=%E0', '&x'))
    .map(([q, raw]) => `?${new URLSearchParams(q as Record<string, string>)}${raw}`);
/** Numbers as query strings: valid, out of range, not numbers. */
export const numberish = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 15_000 }).map((n) => String(n / 100)) },
  fc.double().map(String),
  fc.integer().map(String),
  fc.constantFrom('3.7', '-1', '0', '1e400', '0x10', 'NaN', '', ' 5 ', '100000000000000000000'),
  anyString,
);

/** A generated request to a route, with what its 4xx may name. */
export interface Request {
  route: string;
  method: string;
  path: string;
  /** The API token to send (default the harness's), or null for none. */
  token?: string | null;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  fields: FieldCheck;
}

// A generated segment may be `%2e%2e`, which the URL resolves away: an unknown route names `path`.
export const only =
  (...names: string[]) =>
  (field: string) =>
    names.includes(field);

/** The browser side of connecting answers HTML pages, refusals too: checked for status and writes. */
export function browserRequests(): fc.Arbitrary<Request> {
  const params = ['state', 'workspace', 'code', 'error', 'error_description', 'account'];
  const step = fc.constantFrom('GET start', 'GET callback', 'POST callback', 'POST choose');
  return fc
    .tuple(
      step,
      fc.oneof(fc.constantFrom(...platformIds), segment),
      query(Object.fromEntries(params.map((p) => [p, fc.oneof(headerValue, anyString)]))),
    )
    .map(([s, p, q]): Request => {
      const [method = 'GET', name = 'start'] = s.split(' ');
      const route = { route: `${s} (HTML)`, method, token: null, fields: 'html' as const };
      if (method === 'GET') return { ...route, path: `/connect/${p}/${name}${q}` };
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      return { ...route, path: `/connect/${p}/${name}`, headers: form, body: q.slice(1) };
    });
}

/** The routes without a token (/metrics takes its own), now and then with a generated Authorization. */
export function systemRequests(): fc.Arbitrary<Request> {
  const systemPaths = fc.constantFrom('/', '/metrics', '/healthz', '/readyz', '/openapi.json', '/docs');
  return fc.tuple(systemPaths, fc.option(headerValue)).map(
    ([path, authorization]): Request => ({
      ...{ route: `GET ${path}`, method: 'GET', path, token: null, fields: only('Authorization') },
      headers: authorization === null ? {} : { authorization },
    }),
  );
}
