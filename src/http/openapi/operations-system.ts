import { error } from './responses.js';
import { healthSchema, mediaStoredSchema, notReadySchema } from './schemas.js';
import type { OperationSpec, ParameterSpec } from './types.js';

const mediaTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'video/mp4'] as const;

const keyParameter: ParameterSpec = {
  name: 'key',
  in: 'path',
  description: 'The stored file’s key, as in the signed URL hayon handed out (it may hold slashes).',
  schema: { type: 'string' },
};

const signedQuery = (method: string): ParameterSpec[] => [
  {
    name: 'expires',
    in: 'query',
    required: true,
    description: 'When the URL stops working (unix seconds).',
    schema: { type: 'integer' },
  },
  {
    name: 'sig',
    in: 'query',
    required: true,
    description: `hayon’s HMAC over ${method}, the key, expires${method === 'PUT' ? ', type and size' : ''}.`,
    schema: { type: 'string' },
  },
];

const badSignature = error('The signature does not match or the URL has expired (error.code forbidden).');

/** Health checks, the disk media store’s signed URLs, and this document. */
export const systemOperations: readonly OperationSpec[] = [
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tags: ['Operations'],
    summary: 'Prometheus metrics',
    description:
      'Posts created by source, delivery attempts by platform and outcome, attempt duration, scheduler lateness, ' +
      'deliveries by state and by platform (parked included), how long the oldest waiting delivery has waited, broker queue depths, process metrics. Off (404) unless HAYON_METRICS_TOKEN is set; then ' +
      'it needs "Authorization: Bearer <HAYON_METRICS_TOKEN>". Counts are per process: with HAYON_METRICS_PORT set, ' +
      'every process (each `hayon worker` too) also serves this on a listener of its own.',
    responses: {
      '200': { description: 'Prometheus text exposition.', schema: { type: 'string' }, contentTypes: ['text/plain'] },
      '401': error('Missing or wrong metrics token (error.field Authorization).'),
      '404': error('Metrics are off: HAYON_METRICS_TOKEN is not set.'),
    },
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    tags: ['Operations'],
    summary: 'Liveness',
    description: 'The process answers. For a liveness probe: it checks nothing else.',
    responses: { '200': { description: 'Alive.', schema: healthSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    tags: ['Operations'],
    summary: 'Readiness',
    description: 'The process answers and can use its store. For a readiness probe or a load balancer.',
    responses: {
      '200': { description: 'Ready.', schema: healthSchema },
      '503': { description: 'The store cannot be reached (error.code store_unavailable).', schema: notReadySchema },
    },
  },
  {
    method: 'get',
    path: '/media/{key}',
    operationId: 'getMedia',
    tags: ['Media'],
    summary: 'Read a stored file (signed URL)',
    description:
      'What platforms that fetch media by URL (Threads, Instagram, Facebook) read. No token: the signature is the ' +
      'permission. Only with the disk media store; with S3 the URLs point at the bucket and this route answers 404.',
    parameters: [keyParameter, ...signedQuery('GET')],
    responses: {
      '200': { description: 'The file, with its type and length.', contentTypes: mediaTypes },
      '403': badSignature,
      '404': error('No such file (or the S3 media store is in use).'),
    },
  },
  {
    method: 'put',
    path: '/media/upload/{key}',
    operationId: 'putMedia',
    tags: ['Media'],
    summary: 'Send an upload’s file (signed URL)',
    description:
      'The URL `POST /v1/uploads` hands out with the disk media store. Send the file’s bytes with the declared ' +
      'Content-Type; it is checked by its content. No token: the signature is the permission.',
    parameters: [
      keyParameter,
      ...signedQuery('PUT'),
      { name: 'type', in: 'query', required: true, description: 'The declared type.', schema: { enum: mediaTypes } },
      {
        name: 'size',
        in: 'query',
        required: true,
        description: 'The declared size in bytes: the most the body may hold.',
        schema: { type: 'integer', minimum: 1 },
      },
    ],
    requestBody: { description: 'The file’s bytes.', contentTypes: mediaTypes, required: true },
    responses: {
      '200': { description: 'Stored.', schema: mediaStoredSchema },
      '403': badSignature,
      '404': error('The S3 media store is in use: upload to the presigned URL instead.'),
      '413': error('The body is larger than the size declared for this upload.'),
      '415': error(
        'The Content-Type is not the declared type, or the file’s content is not a file of that type ' +
          '(error.field is Content-Type or body).',
      ),
    },
  },
  {
    method: 'get',
    path: '/',
    operationId: 'root',
    tags: ['Operations'],
    summary: 'Where hayon’s address leads',
    description: 'Redirects to the API reference page, /docs.',
    responses: { '302': { description: 'To /docs.' } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    tags: ['Operations'],
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of hayon’s HTTP API, generated from the schemas the routes use.',
    responses: { '200': { description: 'The document.', schema: { type: 'object' } } },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    tags: ['Operations'],
    summary: 'API reference page',
    description: 'This document as a readable HTML page, self-contained (no scripts, fonts or styles from elsewhere).',
    responses: { '200': { description: 'The page.', contentTypes: ['text/html'] } },
  },
];
