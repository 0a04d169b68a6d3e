import * as dns from 'node:dns';
import { isIP } from 'node:net';
import { HayonError } from '../core/errors.js';
import { isPublicAddress } from './private-address.js';

export interface CallbackUrlCheckOptions {
  /** Private hosts callbacks may reach (`HAYON_FETCH_ALLOW_HOSTS`). */
  allowHosts?: readonly string[];
  lookup?: typeof dns.lookup;
}

const refuse = (field: string, message: string) =>
  new HayonError('invalid_request', message, { field, userMessage: `${field}: ${message}` });

/**
 * Checks a callback URL when a post or hook is made, so a bad one is a 400 at the door rather
 * than a failure later: http(s), no credentials in it, and a host that resolves to public
 * addresses only. The sender checks again as it connects (the name may resolve elsewhere by then).
 */
export async function checkCallbackUrl(
  raw: string,
  options: CallbackUrlCheckOptions = {},
  field = 'callbackUrl',
): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(field, 'not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refuse(field, 'must start with https:// or http://.');
  if (url.username || url.password) throw refuse(field, 'must not contain a user name or password.');
  const allowed = new Set(options.allowHosts?.map((h) => h.toLowerCase()));
  if (allowed.has(url.host)) return;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve) =>
        (options.lookup ?? dns.lookup)(host, { all: true }, (err, found) =>
          resolve(err ? [] : found.map((a) => a.address)),
        ),
      );
  if (addresses.length === 0) throw refuse(field, `the host ${url.hostname} does not resolve.`);
  const inside = addresses.find((a) => !isPublicAddress(a));
  if (inside) {
    throw refuse(
      field,
      `${url.hostname} is a private network address (${inside}); hayon sends callbacks to public addresses only. ` +
        `If that host is yours on purpose, whoever runs hayon adds ${url.host} to HAYON_FETCH_ALLOW_HOSTS.`,
    );
  }
}
