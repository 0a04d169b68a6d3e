import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaStore } from '../../src/media/media-store.js';
import { ObjectTooLargeError } from '../../src/media/read-capped.js';

/** A fresh, empty store, and how to GET/PUT its URLs (disk URLs go to hayon's own routes). */
export type MediaStoreFactory = () => Promise<{
  store: MediaStore;
  fetch: typeof fetch;
  cleanup(): Promise<void>;
}>;

// Small real files: the disk store reads types from content, so the bytes must be what they claim.
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const tinyJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 7)]);

/**
 * The MediaStore port's contract, run by each adapter's test against the real thing (a temp
 * directory behind hayon's routes; a local S3 server).
 */
export function defineMediaStoreContract(name: string, factory: MediaStoreFactory): void {
  describe(`MediaStore contract: ${name}`, () => {
    let current: Awaited<ReturnType<MediaStoreFactory>> | undefined;
    const store = () => {
      if (!current) throw new Error('store used outside a test');
      return current.store;
    };
    beforeEach(async () => {
      current = await factory();
      await current.store.init();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });

    it('put, get and head a file with its type and size', async () => {
      await store().put('posts/ws_1/post_1/0.png', tinyPng, 'image/png');
      const got = await store().get('posts/ws_1/post_1/0.png');
      expect(got?.mimeType).toBe('image/png');
      expect(Buffer.compare(got?.bytes ?? Buffer.alloc(0), tinyPng)).toBe(0);
      const head = await store().head('posts/ws_1/post_1/0.png');
      expect(head).toMatchObject({ key: 'posts/ws_1/post_1/0.png', size: tinyPng.length, mimeType: 'image/png' });
      expect(head?.modifiedAt).toBeGreaterThan(Date.now() - 60_000);
    });

    it('put replaces an existing object', async () => {
      await store().put('temp/ws_1/a.png', tinyPng, 'image/png');
      await store().put('temp/ws_1/a.png', tinyJpeg, 'image/jpeg');
      expect((await store().get('temp/ws_1/a.png'))?.mimeType).toBe('image/jpeg');
    });

    it('get with maxBytes returns an object up to the cap and refuses a larger one', async () => {
      await store().put('temp/ws_1/big.png', tinyPng, 'image/png');
      expect((await store().get('temp/ws_1/big.png', { maxBytes: tinyPng.length }))?.bytes).toEqual(tinyPng);
      await expect(store().get('temp/ws_1/big.png', { maxBytes: tinyPng.length - 1 })).rejects.toBeInstanceOf(
        ObjectTooLargeError,
      );
      expect(await store().get('temp/ws_1/none.png', { maxBytes: 10 })).toBeNull();
    });

    it('get and head of a missing key answer null', async () => {
      expect(await store().get('posts/ws_1/none/0.png')).toBeNull();
      expect(await store().head('posts/ws_1/none/0.png')).toBeNull();
    });

    it('delete removes the objects and ignores missing ones', async () => {
      await store().put('temp/ws_1/a.png', tinyPng, 'image/png');
      await store().put('temp/ws_1/b.png', tinyPng, 'image/png');
      await store().delete(['temp/ws_1/a.png', 'temp/ws_1/missing.png']);
      expect(await store().head('temp/ws_1/a.png')).toBeNull();
      expect(await store().head('temp/ws_1/b.png')).not.toBeNull();
    });

    it('list returns what is under a prefix, and nothing else', async () => {
      await store().put('temp/ws_1/a.png', tinyPng, 'image/png');
      await store().put('temp/ws_12/b.png', tinyPng, 'image/png');
      await store().put('posts/ws_1/p/0.png', tinyPng, 'image/png');
      const keys = async (prefix: string) => {
        const found: string[] = [];
        for await (const object of store().list(prefix)) found.push(object.key);
        return found.sort();
      };
      expect(await keys('temp/')).toEqual(['temp/ws_1/a.png', 'temp/ws_12/b.png']);
      expect(await keys('temp/ws_1/')).toEqual(['temp/ws_1/a.png']);
      expect(await keys('nothing/')).toEqual([]);
    });

    it('refuses keys that could leave the store', async () => {
      await expect(store().put('../outside.png', tinyPng, 'image/png')).rejects.toThrow('invalid media key');
      await expect(store().get('/etc/passwd')).rejects.toThrow('invalid media key');
    });

    it('a download URL serves the bytes with their type', async () => {
      await store().put('posts/ws_1/post_1/0.png', tinyPng, 'image/png');
      const url = await store().downloadUrl('posts/ws_1/post_1/0.png', 600);
      const res = await current!.fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), tinyPng)).toBe(0);
    });

    it('an upload target takes a PUT with the declared type, and the object is then there', async () => {
      const target = await store().uploadTarget('temp/ws_1/u1.png', 'image/png', tinyPng.length, 600);
      expect(target.method).toBe('PUT');
      expect(target.expiresAt).toBeGreaterThan(Date.now());
      const res = await current!.fetch(target.url, { method: 'PUT', headers: target.headers, body: tinyPng });
      expect(res.status).toBe(200);
      const head = await store().head('temp/ws_1/u1.png');
      expect(head).toMatchObject({ size: tinyPng.length, mimeType: 'image/png' });
    });
  });
}
