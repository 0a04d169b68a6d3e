import { randomBytes } from 'node:crypto';
import { isPlatformId, type PlatformId } from '../../core/post.js';
import type { ComposerValues } from './composer-page.js';
import { mediaSlots } from './composer-page.js';

type Body = Record<string, string | File | (string | File)[]>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => typeof x === 'string');

export function emptyValues(timezone: string): ComposerValues {
  return {
    text: '',
    targets: [],
    when: '',
    timezone,
    thread: false,
    overrides: {},
    media: [],
    nonce: randomBytes(12).toString('base64url'),
  };
}

/** The form as the composer posts it (multipart), with each slot's new file if one was chosen. */
export function readComposerForm(body: Body, zone: string): { values: ComposerValues; files: (File | undefined)[] } {
  const overrides: Partial<Record<PlatformId, string>> = {};
  for (const [key, value] of Object.entries(body)) {
    const platform = key.startsWith('override.') ? key.slice('override.'.length) : '';
    if (isPlatformId(platform) && text(value).trim()) overrides[platform] = text(value);
  }
  const files: (File | undefined)[] = [];
  const media: ComposerValues['media'] = [];
  for (let n = 1; n <= mediaSlots; n++) {
    const file = body[`media${n}`];
    const chosen = file instanceof File && file.size > 0 ? file : undefined;
    const kept = text(body[`drop${n}`]) ? undefined : text(body[`upload${n}`]) || undefined;
    files.push(chosen);
    media.push({ uploadId: chosen ? undefined : kept, alt: text(body[`alt${n}`]) });
  }
  return {
    values: {
      text: text(body.text),
      targets: list(body.targets),
      when: text(body.when),
      timezone: text(body.timezone) || zone,
      thread: text(body.thread) === 'auto',
      overrides,
      media,
      nonce: text(body.nonce) || randomBytes(12).toString('base64url'),
    },
    files,
  };
}

/** The API's request for these values; `uploads` are the slots' upload ids (new or kept). */
export function toPostRequest(v: ComposerValues, uploads: (string | undefined)[]): Record<string, unknown> {
  const media = uploads.flatMap((id, i) => (id ? [{ id, ...(v.media[i]?.alt ? { alt: v.media[i]?.alt } : {}) }] : []));
  const overrides = Object.fromEntries(Object.entries(v.overrides).map(([p, t]) => [p, { text: t }]));
  return {
    text: v.text,
    targets: v.targets,
    ...(v.when.trim() ? { when: v.when } : {}),
    ...(v.timezone ? { timezone: v.timezone } : {}),
    ...(v.thread ? { thread: 'auto' } : {}),
    ...(Object.keys(overrides).length ? { overrides } : {}),
    media,
  };
}
