import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../core/errors.js';
import { defaultApiUrl, parseCredentials } from './credentials.js';
import { videoApiUrl } from './facebook-platform.js';

describe('Facebook credentials', () => {
  it('defaults the API URL to the current Graph API version', () => {
    expect(parseCredentials({ pageId: '123', pageAccessToken: 'EAAtoken' })).toEqual({
      pageId: '123',
      pageAccessToken: 'EAAtoken',
      apiUrl: defaultApiUrl,
    });
    expect(videoApiUrl(defaultApiUrl)).toBe('https://graph-video.facebook.com/v26.0');
    expect(videoApiUrl('http://127.0.0.1:4000/v26.0')).toBe('http://127.0.0.1:4000/v26.0');
  });

  it('names the missing or malformed field, never the secret', () => {
    const e = (() => {
      try {
        parseCredentials({ pageId: 'my-page-SECRET', pageAccessToken: '' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(PlatformError);
    expect(e).toMatchObject({ kind: 'auth', platform: 'facebook' });
    expect((e as Error).message).toBe('Facebook credentials are incomplete or malformed (pageId, pageAccessToken).');
  });
});
