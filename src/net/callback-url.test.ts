import { describe, expect, it } from 'vitest';
import { checkCallbackUrl } from './callback-url.js';

describe('checkCallbackUrl', () => {
  const lookup = (address: string) =>
    ((_h: string, _o: unknown, cb: (e: Error | null, a: { address: string; family: number }[]) => void) =>
      address ? cb(null, [{ address, family: 4 }]) : cb(new Error('ENOTFOUND'), [])) as never;

  it('accepts a public https URL', async () => {
    await expect(
      checkCallbackUrl('https://cms.example/hook', { lookup: lookup('93.184.215.14') }),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['ftp://cms.example/x', 'https://'],
    ['https://user:pw@cms.example/x', 'user name'],
    ['not a url', 'valid URL'],
    ['http://[::1]:8080/x', 'private'],
    ['http://100.64.0.1/x', 'private'],
  ])('refuses %s', async (url, says) => {
    await expect(checkCallbackUrl(url, { lookup: lookup('93.184.215.14') })).rejects.toMatchObject({
      field: 'callbackUrl',
      message: expect.stringContaining(says),
    });
  });

  it('refuses a name that resolves to a private address, or to nothing', async () => {
    await expect(
      checkCallbackUrl('https://intranet.example/x', { lookup: lookup('192.168.0.3') }),
    ).rejects.toMatchObject({
      field: 'callbackUrl',
    });
    await expect(checkCallbackUrl('https://nowhere.example/x', { lookup: lookup('') })).rejects.toMatchObject({
      message: expect.stringContaining('does not resolve'),
    });
  });

  it('lets an allowed private host through', async () => {
    await expect(checkCallbackUrl('http://cms.lan:2368/x', { allowHosts: ['cms.lan:2368'] })).resolves.toBeUndefined();
  });
});
