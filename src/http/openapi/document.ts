import { operations, tags, webhookOperations } from './operations.js';
import type {
  HeaderSpec,
  JsonSchema,
  OperationSpec,
  ParameterSpec,
  RequestBodySpec,
  ResponseSpec,
  SchemaSource,
  WebhookSpec,
} from './types.js';
import { type ConvertedSchemas, convertSchemas, type Io, type SchemaUse } from './zod-components.js';

export interface OpenApiDocumentOptions {
  /** Where clients reach hayon (`HAYON_PUBLIC_URL`); none: the document names no server. */
  serverUrl?: string;
  /** hayon's version (package.json). */
  version: string;
}

/** The OpenAPI 3.1 document as a plain JSON object (what `/openapi.json` serves). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  webhooks: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const description = [
  'hayon publishes to Bluesky, Mastodon, Tumblr, Threads, Instagram and Facebook from one request.',
  '',
  'Authenticate with an API token (`hayon tokens create`): `Authorization: Bearer hyn_…`. Routes that are signed ' +
    'instead (webhooks, signed media URLs, Slack, Discord) take no token.',
  '',
  'Every error answers `{ "error": { "code", "message", "field"? } }`: `code` for programs, `message` a sentence ' +
    'for people, `field` the input it is about. A 429 carries `Retry-After`.',
].join('\n');

/**
 * Builds the OpenAPI 3.1 document from the operation list: zod schemas become JSON Schema draft
 * 2020-12 (request bodies and parameters as `input`, answers as `output`), and every schema with
 * `.meta({ id })` a component under `#/components/schemas/<id>`.
 *
 * @example buildOpenApiDocument({ serverUrl: 'https://hayon.example', version: '0.1.0' }).paths['/v1/posts']
 */
export function buildOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  const ops = operations();
  const schemas = convertSchemas([
    ...ops.flatMap((op) => usesOf(op, 'input')),
    ...webhookOperations.flatMap((w) => usesOf(w, 'output')),
  ]);
  const paths: OpenApiDocument['paths'] = {};
  for (const op of ops) {
    const path = paths[op.path] ?? {};
    paths[op.path] = path;
    if (path[op.method]) throw new Error(`OpenAPI: ${op.method.toUpperCase()} ${op.path} is described twice`);
    path[op.method] = operationObject(op, schemas, 'input');
  }
  const webhooks: OpenApiDocument['webhooks'] = {};
  for (const w of webhookOperations) webhooks[w.name] = { [w.method]: operationObject(w, schemas, 'output') };
  return {
    openapi: '3.1.0',
    info: { title: 'hayon', version: options.version, description },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: tags.map((t) => ({ ...t })),
    paths,
    webhooks,
    components: {
      schemas: schemas.components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'hyn_…',
          description:
            'An API token from `hayon tokens create`; it acts for one workspace, with its scopes: posts:write ' +
            '(make, cancel, publish now, upload), posts:read (read posts), accounts:manage. A revoked token is a 401.',
        },
      },
    },
  };
}

/**
 * The schemas an operation uses and as what: what the caller sends (`requestIo`: input for the
 * API, output for a webhook hayon sends) and what comes back (output).
 */
function usesOf(op: OperationSpec | WebhookSpec, requestIo: Io): SchemaUse[] {
  const uses: SchemaUse[] = (op.parameters ?? []).map((p) => ({ schema: p.schema, io: requestIo }));
  if (op.requestBody?.schema) uses.push({ schema: op.requestBody.schema, io: requestIo });
  for (const response of Object.values(op.responses)) {
    if (response.schema) uses.push({ schema: response.schema, io: 'output' });
    for (const h of Object.values(response.headers ?? {})) uses.push({ schema: h.schema, io: 'output' });
  }
  return uses;
}

function operationObject(op: OperationSpec | WebhookSpec, schemas: ConvertedSchemas, requestIo: Io): JsonSchema {
  const schema = (source: SchemaSource, io: Io) => schemas.schemaOf(source, io);
  const parameter = (p: ParameterSpec): JsonSchema => ({
    name: p.name,
    in: p.in,
    description: p.description,
    required: p.in === 'path' ? true : (p.required ?? false),
    schema: schema(p.schema, requestIo),
  });
  const header = (h: HeaderSpec): JsonSchema => ({
    description: h.description,
    required: h.required ?? false,
    schema: schema(h.schema, 'output'),
  });
  const content = (types: readonly string[], source: SchemaSource | undefined, io: Io) =>
    Object.fromEntries(types.map((t) => [t, source ? { schema: schema(source, io) } : {}]));
  const requestBody = (body: RequestBodySpec): JsonSchema => ({
    ...(body.description ? { description: body.description } : {}),
    required: body.required ?? false,
    content: content(body.contentTypes, body.schema, requestIo),
  });
  const response = (r: ResponseSpec): JsonSchema => {
    const types = r.contentTypes ?? (r.schema ? ['application/json'] : []);
    return {
      description: r.description,
      ...(r.headers ? { headers: Object.fromEntries(Object.entries(r.headers).map(([n, h]) => [n, header(h)])) } : {}),
      ...(types.length > 0 ? { content: content(types, r.schema, 'output') } : {}),
    };
  };
  return {
    operationId: op.operationId,
    tags: [...op.tags],
    summary: op.summary,
    description: op.description,
    ...(op.security ? { security: op.security.map((s) => ({ ...s })) } : {}),
    ...(op.parameters?.length ? { parameters: op.parameters.map(parameter) } : {}),
    ...(op.requestBody ? { requestBody: requestBody(op.requestBody) } : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, r]) => [status, response(r)]),
    ),
  };
}
