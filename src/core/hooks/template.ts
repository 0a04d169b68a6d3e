import { truncateAtWord } from './plain-text.js';

/**
 * Logic-less templates for a hook's post: literal text with `{{path}}` placeholders, and
 * nothing else. No expression, helper, loop or condition exists, so nothing in a template or
 * in an event is ever evaluated.
 *
 * - `{{title}}`, `{{ release.tag_name }}`, `{{items.0.name}}`: a dotted path of names
 *   (`[A-Za-z_][A-Za-z0-9_-]*`) and list positions (digits); spaces inside the braces are allowed.
 * - `{{excerpt?}}`: optional, empty when the event lacks the field or it is null.
 * - `{{body:200}}`: at most 200 characters (graphemes: an emoji counts once), cut at a word and
 *   ending with `…`, which counts within the 200. N is 1 to 100000.
 * - `{{body?:200}}`: both, in that order.
 *
 * A literal `{{` cannot be written: every `{{` opens a placeholder. A `}}` on its own is text.
 * A value renders as it is (a string) or with `String()` (a number, a boolean); a missing or
 * null one is an error unless optional; an object or a list is an error even when optional.
 * Paths see only an object's own fields and a list's positions, never inherited ones
 * (`{{constructor}}` is missing). After rendering, runs of blank lines become one blank line
 * and the whole text is trimmed, so an empty optional field leaves no hole.
 */

/** The longest template accepted, in UTF-16 units (what `string.length` and zod's `max` count). */
export const maxTemplateLength = 5000;
/** The largest N of `{{field:N}}`. */
export const maxFieldLength = 100_000;

export interface TemplateField {
  /** As written, dotted: `release.tag_name`. */
  path: string;
  optional: boolean;
  /** From `{{path:N}}`. */
  max?: number;
}

export type RenderResult =
  | { ok: true; text: string }
  | {
      ok: false;
      /** The path of the first placeholder that could not be rendered. */
      missing: string;
      /** `missing`: absent or null; `not_text`: an object or a list. */
      reason: 'missing' | 'not_text';
    };

export interface Template {
  source: string;
  /** Every placeholder, in the order written. */
  fields: readonly TemplateField[];
  render(data: unknown): RenderResult;
}

/** A template that cannot be compiled. The message quotes the bad part and says where it is. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    /** 1-based line of the bad part. */
    readonly line: number | undefined,
    /** 1-based column (in code points) of the bad part within its line. */
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

type Part = { kind: 'text'; text: string } | { kind: 'field'; field: TemplateField; segments: readonly string[] };

const segment = '(?:[A-Za-z_][A-Za-z0-9_-]*|[0-9]+)';
const validPath = new RegExp(`^${segment}(?:\\.${segment})*$`);
const validModifier = /^(\?)?(?::([0-9]+))?$/;

/**
 * Compiles a template once; `render` can then run for every event.
 *
 * @example
 * compileTemplate('{{title}}\n\n{{excerpt?:200}}\n\n{{url}}').render({ title: 'Hi', url: 'https://x.dev' })
 * // { ok: true, text: 'Hi\n\nhttps://x.dev' }
 * @throws TemplateError for an unclosed `{{`, an empty or invalid path, a bad modifier, or a
 * template longer than 5000 characters.
 */
export function compileTemplate(source: string): Template {
  if (source.length > maxTemplateLength) {
    throw new TemplateError(
      `the template is ${source.length} characters long; the most is ${maxTemplateLength}.`,
      undefined,
      undefined,
    );
  }
  const parts: Part[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open === -1) {
      parts.push({ kind: 'text', text: source.slice(at) });
      break;
    }
    if (open > at) parts.push({ kind: 'text', text: source.slice(at, open) });
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw errorAt(source, open, `unclosed "{{"`, '; close it with "}}".');
    parts.push(placeholder(source, open, close));
    at = close + 2;
  }
  const fields = parts.flatMap((p) => (p.kind === 'field' ? [p.field] : []));
  return { source, fields, render: (data) => render(parts, data) };
}

function placeholder(source: string, open: number, close: number): Part {
  const inner = source.slice(open + 2, close);
  const body = inner.trim();
  const bodyStart = open + 2 + (inner.length - inner.trimStart().length);
  if (body === '') throw errorAt(source, open, `empty placeholder "{{${inner}}}"`, '; put a field name inside.');
  const split = body.search(/[?:]/);
  const rawPath = split === -1 ? body : body.slice(0, split);
  const path = rawPath.trimEnd();
  const modifier = split === -1 ? '' : body.slice(split).trim();
  if (path === '') {
    throw errorAt(source, bodyStart, `missing field name in "{{${inner}}}"`, '; write it first, like {{title?}}.');
  }
  if (!validPath.test(path)) {
    throw errorAt(
      source,
      bodyStart,
      `invalid field "${path}"`,
      '; a field is names or list positions joined by dots, like title, release.tag_name or items.0.name.',
    );
  }
  const m = validModifier.exec(modifier);
  const modifierStart = bodyStart + (split === -1 ? body.length : split);
  if (!m) {
    throw errorAt(
      source,
      modifierStart,
      `invalid modifier "${modifier}" in "{{${inner}}}"`,
      '; use {{field?}}, {{field:200}} or {{field?:200}}.',
    );
  }
  const field: TemplateField = { path, optional: m[1] === '?' };
  if (m[2] !== undefined) {
    const max = Number(m[2]);
    if (max < 1 || max > maxFieldLength) {
      const at = modifierStart + modifier.indexOf(':') + 1;
      throw errorAt(
        source,
        at,
        `length "${m[2]}" in "{{${inner}}}"`,
        ` is out of range; it is 1 to ${maxFieldLength}.`,
      );
    }
    field.max = max;
  }
  return { kind: 'field', field, segments: path.split('.') };
}

/** `<what> at column C<rest>`, or `at line L, column C` in a template of several lines. */
function errorAt(source: string, index: number, what: string, rest: string): TemplateError {
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  const where = source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  return new TemplateError(`${what} at ${where}${rest}`, line, column);
}

function render(parts: readonly Part[], data: unknown): RenderResult {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const { path, optional, max } = part.field;
    const value = lookup(data, part.segments);
    if (value === undefined || value === null) {
      if (optional) continue;
      return { ok: false, missing: path, reason: 'missing' };
    }
    const text = asText(value);
    if (text === undefined) return { ok: false, missing: path, reason: 'not_text' };
    out += max === undefined ? text : truncateAtWord(text, max);
  }
  const tidy = out
    .replace(/\r\n?/g, '\n')
    .replace(/\n(?:[ \t]*\n){2,}/g, '\n\n')
    .trim();
  return { ok: true, text: tidy };
}

/** Own fields of plain objects and positions of lists only: no prototype, no getters of classes. */
function lookup(data: unknown, segments: readonly string[]): unknown {
  let current = data;
  for (const key of segments) {
    if (Array.isArray(current)) {
      if (!/^[0-9]+$/.test(key) || !Object.hasOwn(current, key)) return undefined;
      current = current[Number(key)];
    } else if (isPlainObject(current)) {
      if (!Object.hasOwn(current, key)) return undefined;
      current = current[key];
    } else {
      return undefined;
    }
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}
