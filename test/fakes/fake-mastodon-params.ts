import type { IncomingMessage } from 'node:http';

/**
 * A request's parameters the way Rails reads them for Mastodon: a JSON body, a form
 * (`application/x-www-form-urlencoded`, arrays as `name[]`), or multipart form data (files).
 */
export interface RequestParams {
  get(name: string): string | undefined;
  list(name: string): string[];
  file(name: string): File | undefined;
}

export async function readParams(req: IncomingMessage, body: Buffer): Promise<RequestParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    const json = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    const scalar = (v: unknown) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    return {
      get: (name) => scalar(json[name]),
      list: (name) => {
        const v = json[name];
        return Array.isArray(v) ? v.map(scalar).filter((x): x is string => x !== undefined) : [];
      },
      file: () => undefined,
    };
  }
  if (type === 'multipart/form-data') {
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body,
    }).formData();
    return {
      get: (name) => {
        const v = form.get(name);
        return typeof v === 'string' ? v : undefined;
      },
      list: (name) => [...form.getAll(`${name}[]`), ...form.getAll(name)].filter((v) => typeof v === 'string'),
      file: (name) => {
        const v = form.get(name);
        return v instanceof File ? v : undefined;
      },
    };
  }
  const form = new URLSearchParams(type === 'application/x-www-form-urlencoded' ? body.toString('utf8') : '');
  return {
    get: (name) => form.get(name) ?? undefined,
    list: (name) => [...form.getAll(`${name}[]`), ...form.getAll(name)],
    file: () => undefined,
  };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
