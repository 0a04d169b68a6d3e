import { describe, expect, it } from 'vitest';
import { hmacSha1Signature, oauth1Header, percentEncode, signatureBaseString } from './oauth1.js';

describe('OAuth 1.0a signing (RFC 5849)', () => {
  it('builds the §3.4.1.1 example base string: double-encoded query, form body and oauth params, sorted', () => {
    const base = signatureBaseString('post', 'http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', [
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['c2', ''],
      ['a3', '2 q'],
    ]);
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('signs the §1.2 example request to the RFC signature', () => {
    const header = oauth1Header(
      {
        consumerKey: 'dpf43f3p2l4k3l03',
        consumerSecret: 'kd94hf93k423kf44',
        token: 'nnch734d00sl2jdk',
        tokenSecret: 'pfkkdhi9sl3r4s00',
      },
      'GET',
      'http://photos.example.net/photos?file=vacation.jpg&size=original',
      { nonce: 'chapoH', timestamp: 137131202 },
    );
    expect(header).toContain('oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"');
    expect(header).toMatch(/^OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="chapoH", /);
  });

  it('keys the HMAC with both secrets, so a wrong token secret gives another signature', () => {
    const base = 'GET&http%3A%2F%2Fa%2F&';
    expect(hmacSha1Signature(base, 'c', 't')).not.toBe(hmacSha1Signature(base, 'c', 'u'));
  });

  it('percent-encodes reserved characters RFC 3986 style', () => {
    expect(percentEncode("a b!*'()~-._é")).toBe('a%20b%21%2A%27%28%29~-._%C3%A9');
  });
});
