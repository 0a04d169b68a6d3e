import { type HookEvent, HookPayloadError, type HookRequest } from './source.js';

/** Small readers for untrusted JSON payloads, shared by the sources. */

/** A JSON object (not a list, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string with something besides whitespace in it, or undefined. */
export function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** What a JSON value is, for messages: "a list", "a string", "null"… */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A value from a payload or header as a short quoted string, safe inside a sentence. */
export function quote(value: unknown): string {
  // A list or an object is named by its kind: String() of a deeply nested list overflows the stack.
  const text = typeof value === 'string' ? value : typeof value === 'object' && value ? kindOf(value) : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Leaves out absent fields, so that a template using one says it is missing. */
export function definedOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export function ignore(reason: string): HookEvent {
  return { kind: 'ignore', reason };
}

/** The whole body as a JSON object, or a HookPayloadError('body') naming what it is instead. */
export function bodyObject(json: unknown, expected: string): Record<string, unknown> {
  if (isObject(json)) return json;
  throw new HookPayloadError('body', `expected ${expected}; the body is ${kindOf(json)}.`);
}

/** Longest `Idempotency-Key` taken (it becomes part of a stored key). */
export const maxIdempotencyKeyLength = 255;

/** The `Idempotency-Key` header when sent (1–255 characters), else undefined. */
export function idempotencyKey(req: HookRequest): string | undefined {
  const key = req.headers('Idempotency-Key');
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > maxIdempotencyKeyLength) {
    throw new HookPayloadError(
      'Idempotency-Key',
      `must be 1 to ${maxIdempotencyKeyLength} characters; this one has ${key.length}.`,
    );
  }
  return key;
}
