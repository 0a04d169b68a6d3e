import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { JsonSchema, SchemaSource } from './types.js';

export type Io = 'input' | 'output';

export interface SchemaUse {
  schema: SchemaSource;
  /** `input` for what a client sends (defaults optional), `output` for what hayon answers. */
  io: Io;
}

export interface ConvertedSchemas {
  /** Every zod schema with `.meta({ id })` that the uses reach, by component name. */
  components: Record<string, JsonSchema>;
  /** The JSON Schema of one of the uses, `$ref`s pointing at `#/components/schemas/<name>`. */
  schemaOf(source: SchemaSource, io: Io): JsonSchema;
}

const componentPrefix = '#/components/schemas/';
const defsPrefix = '#/$defs/';

export function isZodSchema(source: SchemaSource): source is z.ZodType {
  return '_zod' in source;
}

/**
 * Converts every zod schema the API uses with `z.toJSONSchema` (draft 2020-12), one call per
 * `io`: the schemas become the properties of one wrapper object, so that zod extracts each schema
 * with `.meta({ id })` it reaches, at any depth, into `$defs` once (and refuses two schemas with
 * one id). Those `$defs` become `components/schemas`. zod's registry form (`toJSONSchema(registry,
 * { uri })`) would need every nested id'd schema (`Delivery` inside `Post`) added by hand, and
 * sends the ones left out to a `__shared` document, so the wrapper is the simpler way.
 *
 * A schema reached both as input and as output keeps one component when both shapes agree;
 * otherwise the input one is named `<id>Input`, so one name never means two shapes. Better still,
 * give input variants their own id (`PostRequest` beside `Post`).
 */
export function convertSchemas(uses: readonly SchemaUse[]): ConvertedSchemas {
  const converted = { input: convertOne(uses, 'input'), output: convertOne(uses, 'output') };
  const names = componentNames(converted.input.defs, converted.output.defs);
  const rewrite = (json: unknown, io: Io) => rewriteRefs(json, names[io]) as JsonSchema;
  const entries: [string, JsonSchema][] = [];
  for (const io of ['output', 'input'] as const) {
    for (const [id, def] of Object.entries(converted[io].defs))
      entries.push([names[io].get(id) ?? id, rewrite(def, io)]);
  }
  const components = Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  return {
    components,
    schemaOf(source, io) {
      if (!isZodSchema(source)) return source;
      const raw = converted[io].bySchema.get(source);
      if (!raw) throw new Error(`schemaOf: a schema not given to convertSchemas as ${io}`);
      return rewrite(raw, io);
    },
  };
}

function convertOne(uses: readonly SchemaUse[], io: Io) {
  const schemas = [...new Set(uses.filter((u) => u.io === io).map((u) => u.schema))].filter(isZodSchema);
  const wrapper = z.object(Object.fromEntries(schemas.map((s, i) => [`s${i}`, s])));
  // A schema JSON Schema cannot say (a transform's output, a date) throws here, so the e2e test
  // that builds the document fails, rather than the document quietly saying "anything".
  const json = z.toJSONSchema(wrapper, { target: 'draft-2020-12', io }) as JsonSchema;
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const bySchema = new Map<z.ZodType, JsonSchema>(schemas.map((s, i) => [s, properties[`s${i}`] ?? {}]));
  return { bySchema, defs: (json.$defs ?? {}) as Record<string, JsonSchema> };
}

/** Output ids keep their name; an input id whose shape differs (or refers to one that does) gets `Input`. */
function componentNames(
  input: Record<string, JsonSchema>,
  output: Record<string, JsonSchema>,
): Record<Io, Map<string, string>> {
  const differs = new Set(Object.keys(input).filter((id) => id in output && !isDeepStrictEqual(input[id], output[id])));
  for (let grew = true; grew; ) {
    grew = false;
    for (const id of Object.keys(input)) {
      if (differs.has(id) || !refsOf(input[id]).some((ref) => differs.has(ref))) continue;
      differs.add(id);
      grew = true;
    }
  }
  const inputNames = new Map(Object.keys(input).map((id) => [id, differs.has(id) ? `${id}Input` : id]));
  for (const id of differs) {
    if (`${id}Input` in output || `${id}Input` in input)
      throw new Error(`OpenAPI: component ${id}Input is taken twice`);
  }
  return { input: inputNames, output: new Map(Object.keys(output).map((id) => [id, id])) };
}

function refsOf(json: unknown): string[] {
  if (Array.isArray(json)) return json.flatMap(refsOf);
  if (typeof json !== 'object' || json === null) return [];
  return Object.entries(json).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' && value.startsWith(defsPrefix)
      ? [decodePointer(value.slice(defsPrefix.length))]
      : refsOf(value),
  );
}

/**
 * A copy with `#/$defs/<id>` refs pointing at components, and without the bounds zod writes for
 * every `.int()` (the safe-integer range), which say nothing to a reader.
 */
function rewriteRefs(json: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(json)) return json.map((item) => rewriteRefs(item, names));
  if (typeof json !== 'object' || json === null) return json;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(defsPrefix)) {
      const id = decodePointer(value.slice(defsPrefix.length));
      out[key] = componentPrefix + encodeURIComponent(names.get(id) ?? id);
    } else if (
      (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) ||
      (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)
    ) {
      // dropped: see above
    } else {
      out[key] = rewriteRefs(value, names);
    }
  }
  return out;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
