import type { z } from 'zod';

/** A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) or any part of the OpenAPI document. */
export type JsonSchema = { [key: string]: unknown };

/**
 * A zod schema, converted by `z.toJSONSchema`, or a JSON Schema written by hand for what has no
 * zod schema (bodies hayon does not read itself: Slack's, Discord's, a webhook source's).
 */
export type SchemaSource = z.ZodType | JsonSchema;

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** An OpenAPI security requirement: `[{ bearerAuth: [] }]`. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  /** Path parameters are always required. */
  required?: boolean;
  schema: SchemaSource;
}

export interface HeaderSpec {
  description: string;
  schema: SchemaSource;
  required?: boolean;
}

export interface RequestBodySpec {
  description?: string;
  /** Omitted for a body of bytes (a file). */
  schema?: SchemaSource;
  contentTypes: readonly string[];
  required?: boolean;
}

export interface ResponseSpec {
  description: string;
  /** The body's schema; none for an empty body or bytes. */
  schema?: SchemaSource;
  /** The body's content types; default `application/json` when there is a schema, none without. */
  contentTypes?: readonly string[];
  headers?: Readonly<Record<string, HeaderSpec>>;
}

/** One operation of the API, as data; `document.ts` turns the list into OpenAPI. */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI style: `/v1/posts/{id}`. */
  path: string;
  operationId: string;
  tags: readonly string[];
  summary: string;
  description: string;
  /** None: the route takes no token (its signature, or nothing, is the permission). */
  security?: readonly SecurityRequirement[];
  parameters?: readonly ParameterSpec[];
  requestBody?: RequestBodySpec;
  /** By status (`'202'`, `'2XX'`, `'default'`). */
  responses: Readonly<Record<string, ResponseSpec>>;
}

/**
 * A request hayon itself sends (OpenAPI 3.1 `webhooks`). Its body and headers are what hayon
 * writes, so their zod schemas are read as outputs; its responses are what the receiver answers.
 */
export interface WebhookSpec extends Omit<OperationSpec, 'path' | 'method'> {
  name: string;
  method: 'post';
}

export interface TagSpec {
  name: string;
  description: string;
}
