import type { JsonSchema } from './types.js';

/** JSON Schema as HTML for the reference page: nested property tables, `$ref`s as links. */

const componentPrefix = '#/components/schemas/';

/** Text for HTML (content and attribute values). */
export function esc(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Escaped text with `code` and **strong** spans, as the document's descriptions use them. */
export function prose(text: unknown): string {
  return esc(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** An id attribute (and its `#` link) from any name. */
export function anchor(kind: string, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function componentLink(name: string): string {
  return `<a href="#${anchor('schema', name)}">${esc(name)}</a>`;
}

function refName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' && ref.startsWith(componentPrefix)
    ? decodeURIComponent(ref.slice(componentPrefix.length))
    : undefined;
}

const asSchema = (value: unknown): JsonSchema | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;

const alternativesOf = (schema: JsonSchema): JsonSchema[] | undefined => {
  const list = schema.oneOf ?? schema.anyOf;
  return Array.isArray(list) ? (list as JsonSchema[]) : undefined;
};

const isObjectWithProperties = (schema: JsonSchema | undefined): schema is JsonSchema & { properties: JsonSchema } =>
  schema !== undefined && asSchema(schema.properties) !== undefined;

/** A short type: `string (date-time)`, `array of Delivery`, `map of string`. */
export function typeLabel(schema: JsonSchema): string {
  const name = refName(schema);
  if (name) return componentLink(name);
  if ('const' in schema) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  const alternatives = alternativesOf(schema);
  if (alternatives) return alternatives.map(typeLabel).join(' | ');
  const items = asSchema(schema.items);
  if (schema.type === 'array') return `array of ${items ? typeLabel(items) : 'any'}`;
  const values = asSchema(schema.additionalProperties);
  if (schema.type === 'object' && !schema.properties && values && Object.keys(values).length > 0) {
    return `map of ${typeLabel(values)}`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? (schema.enum ? 'enum' : 'any'));
  return esc(type) + (schema.format ? ` (${esc(schema.format)})` : '');
}

/** `1 to 50 items`, `at most 200 characters`, or nothing. */
function range(min: unknown, max: unknown, unit: string): string | undefined {
  const u = unit ? ` ${unit}` : '';
  if (min !== undefined && max !== undefined) return `${esc(min)} to ${esc(max)}${u}`;
  if (min !== undefined) return `at least ${esc(min)}${u}`;
  if (max !== undefined) return `at most ${esc(max)}${u}`;
  return undefined;
}

/** Allowed values, limits and default, as sentences: for a property's cell or a parameter's. */
export function limitParts(schema: JsonSchema): string[] {
  const parts: string[] = [];
  const code = (v: unknown) => `<code>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</code>`;
  if (Array.isArray(schema.enum)) parts.push(`One of: ${schema.enum.map(code).join(', ')}.`);
  const keys = asSchema(schema.propertyNames);
  if (keys && Array.isArray(keys.enum)) parts.push(`Keys: ${keys.enum.map(code).join(', ')}.`);
  const limits = [
    range(schema.minLength, schema.maxLength, 'characters'),
    range(schema.minimum, schema.maximum, ''),
    range(schema.minItems, schema.maxItems, 'items'),
    schema.pattern !== undefined ? `matching ${code(schema.pattern)}` : undefined,
  ].filter((l) => l !== undefined);
  if (limits.length > 0) parts.push(`${limits.join(', ')}.`);
  if (schema.default !== undefined) parts.push(`Default ${code(schema.default)}.`);
  return parts;
}

/** Description, allowed values, default and limits, as one cell. */
function details(schema: JsonSchema): string {
  const parts = schema.description ? [prose(schema.description), ...limitParts(schema)] : limitParts(schema);
  const items = asSchema(schema.items);
  if (items && !refName(items)) {
    const inner = [...(items.description ? [prose(items.description)] : []), ...limitParts(items)];
    if (inner.length > 0) parts.push(`Each: ${inner.join(' ')}`);
  }
  return parts.map((p) => `<p>${p}</p>`).join('');
}

/** The table (or tables, for alternatives) nested under a property, if its value has fields. */
function nested(schema: JsonSchema): string {
  const items = asSchema(schema.items);
  const values = asSchema(schema.additionalProperties);
  const target = isObjectWithProperties(items) ? items : isObjectWithProperties(values) ? values : schema;
  if (isObjectWithProperties(target)) return propertiesTable(target);
  const alternatives = alternativesOf(target);
  if (alternatives?.some(isObjectWithProperties)) return renderSchemaBody(target);
  return '';
}

function propertiesTable(schema: JsonSchema): string {
  const properties = asSchema(schema.properties) ?? {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const rows = Object.entries(properties).map(([name, value]) => {
    const property = asSchema(value) ?? {};
    return (
      `<tr><td><code>${esc(name)}</code></td><td>${typeLabel(property)}</td>` +
      `<td>${required.has(name) ? 'required' : 'optional'}</td><td>${details(property)}${nested(property)}</td></tr>`
    );
  });
  const extra = schema.additionalProperties === false ? '' : '<p class="note">Other properties are allowed.</p>';
  return (
    '<table class="props"><thead><tr><th>Name</th><th>Type</th><th>Required</th><th>Description</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>${rows.length > 0 ? '' : extra}`
  );
}

/** A schema's fields: a property table, one per alternative, or its type and limits. */
export function renderSchemaBody(schema: JsonSchema): string {
  const head = schema.description ? `<p>${prose(schema.description)}</p>` : '';
  const alternatives = alternativesOf(schema);
  if (alternatives) {
    const items = alternatives.map((alt) => {
      const label = refName(alt) ? typeLabel(alt) : (alt.properties && tagOf(alt)) || typeLabel(alt);
      return `<li>${label}${refName(alt) ? '' : renderSchemaBody(alt)}</li>`;
    });
    return `${head}<p>One of:</p><ul class="alts">${items.join('')}</ul>`;
  }
  if (isObjectWithProperties(schema)) return head + propertiesTable(schema);
  const rest = details({ ...schema, description: undefined });
  return `${head}<p>Type: ${typeLabel(schema)}</p>${rest}${nested(schema)}`;
}

/** For a tagged union's member: `type: "delivery.published"`. */
function tagOf(schema: JsonSchema): string | undefined {
  const properties = asSchema(schema.properties) ?? {};
  for (const [name, value] of Object.entries(properties)) {
    const v = asSchema(value);
    if (v && 'const' in v) return `<code>${esc(name)}: ${esc(JSON.stringify(v.const))}</code>`;
  }
  return undefined;
}

/**
 * A body or answer schema: a `$ref` is named as a link and, the first time within `expanded`
 * (one operation), its component's fields are shown too (one level: refs inside stay links), so
 * an operation reads without jumping around and a shared answer (`Error`) is spelled out once.
 */
export function renderSchema(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  expanded: Set<string> = new Set(),
): string {
  const name = refName(schema);
  const target = name ? components[name] : undefined;
  if (!name || !target) return renderSchemaBody(schema);
  if (expanded.has(name)) return `<p>${componentLink(name)} (as above)</p>`;
  expanded.add(name);
  return `<p>${componentLink(name)}</p>${renderSchemaBody({ ...target, description: undefined })}`;
}
