import { createHmac, randomBytes } from 'node:crypto';

/** What an OAuth 1.0a request is signed with. */
export interface OAuth1Keys {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** RFC 5849 §3.6: unreserved characters stay, everything else is %XX (uppercase) of its UTF-8 bytes. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The signature base string (RFC 5849 §3.4.1): method, base URI (no query, no default port) and
 * the normalized parameters: the query's, the `oauth_*` ones and, for form-encoded bodies only,
 * the body's. JSON and multipart bodies are not signed, as the RFC says.
 */
export function signatureBaseString(method: string, url: string, params: [string, string][]): string {
  const u = new URL(url);
  const defaultPort = (u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443');
  const base = `${u.protocol}//${u.hostname.toLowerCase()}${u.port && !defaultPort ? `:${u.port}` : ''}${u.pathname}`;
  const all: [string, string][] = [...u.searchParams.entries(), ...params].map(([k, v]) => [
    percentEncode(k),
    percentEncode(v),
  ]);
  all.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = all.map(([k, v]) => `${k}=${v}`).join('&');
  return [method.toUpperCase(), percentEncode(base), percentEncode(normalized)].join('&');
}

/** HMAC-SHA1 of the base string keyed by `consumerSecret&tokenSecret` (RFC 5849 §3.4.2), base64. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString).digest('base64');
}

/**
 * The `Authorization: OAuth …` header for one request. `nonce` and `timestamp` are injectable so
 * tests can check against fixed vectors; by default a random nonce and the current second.
 * `oauth_version` is left out (optional in RFC 5849 §3.1).
 */
export function oauth1Header(
  keys: OAuth1Keys,
  method: string,
  url: string,
  opts: { nonce?: string; timestamp?: number; formParams?: [string, string][] } = {},
): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', keys.consumerKey],
    ['oauth_nonce', opts.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(opts.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_token', keys.token],
  ];
  const base = signatureBaseString(method, url, [...oauth, ...(opts.formParams ?? [])]);
  const signature = hmacSha1Signature(base, keys.consumerSecret, keys.tokenSecret);
  const fields = [...oauth, ['oauth_signature', signature]].map(([k, v]) => `${k}="${percentEncode(v ?? '')}"`);
  return `OAuth ${fields.join(', ')}`;
}
