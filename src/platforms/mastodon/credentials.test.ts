import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../core/errors.js';
import { parseCredentials } from './credentials.js';

describe('parseCredentials (Mastodon)', () => {
  it('drops a trailing slash and keeps the defaults', () => {
    expect(
      parseCredentials({ instanceUrl: 'https://m.example/', accessToken: 't', defaultVisibility: 'unlisted' }),
    ).toEqual({ instanceUrl: 'https://m.example', accessToken: 't', defaultVisibility: 'unlisted' });
  });

  it('names the wrong fields without echoing the token', () => {
    const err = (() => {
      try {
        return parseCredentials({ instanceUrl: 'ftp://nope', accessToken: 'secret-token', defaultVisibility: 'all' });
      } catch (e) {
        return e;
      }
    })() as PlatformError;
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('Mastodon credentials are incomplete or malformed (instanceUrl, defaultVisibility).');
    expect(() => parseCredentials({ instanceUrl: 'https://m.example' })).toThrow(/\(accessToken\)/);
  });
});
