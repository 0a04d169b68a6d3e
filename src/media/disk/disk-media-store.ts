import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assertKey, type MediaStore, type StoredObject, type UploadTarget } from '../media-store.js';
import { ObjectTooLargeError, readCapped } from '../read-capped.js';
import { sniffBytes, sniffMediaType } from '../sniff.js';
import type { UrlSigner } from '../url-signer.js';

export interface DiskMediaStoreOptions {
  /** The directory, `{dataDir}/media`. */
  root: string;
  /** Where platforms and clients reach hayon (`HAYON_PUBLIC_URL`), for signed URLs. */
  publicUrl: string;
  signer: UrlSigner;
  /** Epoch ms; tests pass a fixed clock. */
  now?: () => number;
}

/** What a signed URL carries, checked by the `/media` routes. */
export interface SignedRequest {
  method: 'GET' | 'PUT';
  key: string;
  expires: string | undefined;
  signature: string | undefined;
  /** Uploads only. */
  type?: string | undefined;
  size?: string | undefined;
}

/**
 * The embedded default: files under `{dataDir}/media/{key}`, served by hayon's HTTP app at
 * signed, expiring URLs. The type of a file is read from its first bytes (hayon stores only
 * types it has sniffed), so no sidecar is needed. Writes go to a temporary file and are renamed
 * into place, so a reader never sees half a file.
 */
export class DiskMediaStore implements MediaStore {
  readonly kind = 'disk';
  readonly #now: () => number;

  constructor(private readonly options: DiskMediaStoreOptions) {
    this.#now = options.now ?? Date.now;
  }

  async init(): Promise<void> {
    await fs.mkdir(this.options.root, { recursive: true });
  }

  #path(key: string): string {
    assertKey(key);
    return path.join(this.options.root, key);
  }

  async put(key: string, bytes: Uint8Array, _mimeType: string): Promise<void> {
    const file = this.#path(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomUUID()}.partial`;
    try {
      await fs.writeFile(partial, bytes);
      await fs.rename(partial, file);
    } catch (e) {
      await fs.rm(partial, { force: true });
      throw e;
    }
  }

  async get(key: string, options: { maxBytes?: number } = {}): Promise<{ bytes: Buffer; mimeType: string } | null> {
    const file = this.#path(key);
    const { maxBytes } = options;
    let bytes: Buffer | null;
    if (maxBytes === undefined) {
      bytes = await fs.readFile(file).catch(notFoundAsNull);
    } else {
      const stat = await fs.stat(file).catch(notFoundAsNull);
      if (!stat?.isFile()) return null;
      if (stat.size > maxBytes) throw new ObjectTooLargeError(key, maxBytes);
      // The file may grow between the stat and the read: the read stops at the cap too.
      bytes = await readCapped(createReadStream(file), maxBytes, key).catch(notFoundAsNull);
    }
    if (!bytes) return null;
    return { bytes, mimeType: sniffMediaType(bytes) ?? 'application/octet-stream' };
  }

  async head(key: string): Promise<StoredObject | null> {
    const file = this.#path(key);
    const stat = await fs.stat(file).catch(notFoundAsNull);
    if (!stat?.isFile()) return null;
    return { key, size: stat.size, mimeType: await this.#typeOf(file), modifiedAt: stat.mtimeMs };
  }

  async #typeOf(file: string): Promise<string> {
    const handle = await fs.open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(sniffBytes), 0, sniffBytes, 0);
      return sniffMediaType(buffer.subarray(0, bytesRead)) ?? 'application/octet-stream';
    } finally {
      await handle.close();
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => fs.rm(this.#path(key), { force: true })));
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    // Walk from the deepest directory the prefix names whole, then filter by the full prefix.
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (dir) assertKey(dir);
    const start = path.join(this.options.root, dir);
    const entries = await fs.readdir(start, { recursive: true, withFileTypes: true }).catch(notFoundAsNull);
    for (const entry of entries ?? []) {
      if (!entry.isFile() || entry.name.endsWith('.partial')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const key = path.relative(this.options.root, file).split(path.sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const stat = await fs.stat(file).catch(notFoundAsNull);
      if (stat) yield { key, size: stat.size, mimeType: await this.#typeOf(file), modifiedAt: stat.mtimeMs };
    }
  }

  async downloadUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertKey(key);
    const expires = String(Math.floor(this.#now() / 1000) + expiresInSeconds);
    const sig = this.options.signer.sign(['GET', key, expires]);
    return `${this.options.publicUrl}/media/${encodeKey(key)}?expires=${expires}&sig=${sig}`;
  }

  async uploadTarget(key: string, mimeType: string, size: number, expiresInSeconds: number): Promise<UploadTarget> {
    assertKey(key);
    const expiresAt = (Math.floor(this.#now() / 1000) + expiresInSeconds) * 1000;
    const expires = String(expiresAt / 1000);
    const sig = this.options.signer.sign(['PUT', key, expires, mimeType, String(size)]);
    const query = new URLSearchParams({ expires, type: mimeType, size: String(size), sig });
    return {
      method: 'PUT',
      url: `${this.options.publicUrl}/media/upload/${encodeKey(key)}?${query}`,
      headers: { 'Content-Type': mimeType },
      expiresAt,
    };
  }

  /**
   * Whether a request to a `/media` route carries a valid, unexpired signature for this key
   * (and, for uploads, this type and size). Answers why not, for the 403's message, and the
   * query parameter (or the key) at fault.
   */
  check(request: SignedRequest): { ok: true } | { ok: false; reason: string; field: 'key' | 'expires' | 'sig' } {
    const { method, key, expires, signature } = request;
    if (!expires || !/^\d{1,12}$/.test(expires)) {
      return { ok: false, reason: 'The URL is not signed.', field: 'expires' };
    }
    if (!signature) return { ok: false, reason: 'The URL is not signed.', field: 'sig' };
    try {
      assertKey(key);
    } catch {
      return { ok: false, reason: 'The URL names no media.', field: 'key' };
    }
    const parts =
      method === 'GET' ? ['GET', key, expires] : ['PUT', key, expires, request.type ?? '', request.size ?? ''];
    // An upload URL is used by a person's client: its refusal says how to get a working one.
    const again = method === 'PUT' ? ' Ask POST /v1/uploads for a new upload URL and use it as given.' : '';
    if (!this.options.signer.verify(parts, signature)) {
      return { ok: false, reason: `The URL signature is not valid.${again}`, field: 'sig' };
    }
    if (Number(expires) * 1000 < this.#now()) {
      return { ok: false, reason: `The URL has expired.${again}`, field: 'expires' };
    }
    return { ok: true };
  }

  close(): void {}

  /** The file behind a key, for streaming it out. */
  filePath(key: string): string {
    return this.#path(key);
  }
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function notFoundAsNull(e: unknown): null {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw e;
}
