import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../core/errors.js';
import { blogNameOf, parseCredentials } from './credentials.js';

describe('Tumblr credentials', () => {
  it('accepts OAuth 2 and OAuth 1.0a', () => {
    expect(parseCredentials({ blog: 'myblog.tumblr.com', accessToken: 'a' })).toMatchObject({ auth: 'oauth2' });
    expect(
      parseCredentials({ blog: 'myblog', consumerKey: 'k', consumerSecret: 's', token: 't', tokenSecret: 'ts' }),
    ).toMatchObject({ auth: 'oauth1', consumerKey: 'k' });
  });

  it('names the missing fields without echoing secrets', () => {
    const e = (() => {
      try {
        parseCredentials({ blog: 'b', consumerKey: 'k', consumerSecret: 'very-secret', token: 't' });
      } catch (err) {
        return err as PlatformError;
      }
    })();
    expect(e).toBeInstanceOf(PlatformError);
    expect(e?.message).toBe('Tumblr credentials are incomplete or malformed (OAuth 1.0a: tokenSecret).');
    expect(() => parseCredentials({ accessToken: 'a' })).toThrow('(OAuth 2: blog)');
  });

  it('reads the blog name from a name or a tumblr.com hostname, not from a custom domain or uuid', () => {
    const name = (blog: string) => blogNameOf(parseCredentials({ blog, accessToken: 'a' }));
    expect(name('MyBlog')).toBe('myblog');
    expect(name('myblog.tumblr.com')).toBe('myblog');
    expect(name('www.example.com')).toBeUndefined();
    expect(name('t:abc')).toBeUndefined();
  });
});
