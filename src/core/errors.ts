import type { z } from 'zod';
import { zodIssueSentence } from './zod-message.js';

/**
 * Typed errors. Every edge (HTTP handler, CLI, worker) turns unknown errors into a HayonError
 * with `HayonError.from(e)`; only `userMessage` is ever shown to a user, and a 500 shows a
 * generic sentence, never the underlying message.
 */

export type ErrorCode =
  | 'invalid_request'
  | 'invalid_schedule'
  | 'content_too_long'
  | 'unknown_target'
  | 'ambiguous_target'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'template_field_missing'
  | 'not_cancellable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'store_unavailable'
  | 'platform_error'
  | 'internal';

const statusByCode = {
  invalid_request: 400,
  invalid_schedule: 400,
  content_too_long: 400,
  unknown_target: 400,
  ambiguous_target: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  template_field_missing: 422,
  not_cancellable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  store_unavailable: 503,
  platform_error: 502,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

export interface HayonErrorOptions {
  /** A sentence safe to show to the person who made the request. */
  userMessage?: string;
  /** The input field the error is about, as a path: `targets[1]`, `when`. */
  field?: string;
  cause?: unknown;
  /** For `rate_limited`: seconds until a retry can pass (the `Retry-After` header). */
  retryAfterSec?: number;
  /** What to do next, when each way in says it its own way (see `next-step.ts`). */
  nextStep?: NextStep;
}

/**
 * A next step that the API, the CLI, Slack and Discord each word their own way (a field, a
 * flag, an option): `thread` is "split the text into a thread", `connect` "connect an account
 * on this platform first", `reconnect` "connect that account again".
 */
export type NextStep =
  | { kind: 'thread' }
  | { kind: 'connect'; platform: string }
  | { kind: 'reconnect'; platform: string };

export class HayonError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string | undefined;
  readonly field: string | undefined;
  readonly retryAfterSec: number | undefined;
  readonly nextStep: NextStep | undefined;

  constructor(code: ErrorCode, message: string, options: HayonErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'HayonError';
    this.code = code;
    this.userMessage = options.userMessage;
    this.field = options.field;
    this.retryAfterSec = options.retryAfterSec;
    this.nextStep = options.nextStep;
  }

  get status(): number {
    return statusByCode[this.code];
  }

  /** Whether the error is the caller's fault (a 4xx). */
  get isClientError(): boolean {
    return this.status < 500;
  }

  /** What a user may read: the user message, or for server errors a generic sentence. */
  get publicMessage(): string {
    if (this.userMessage) return this.userMessage;
    return this.isClientError ? this.message : 'Something went wrong on our side. It was logged.';
  }

  static from(e: unknown): HayonError {
    if (e instanceof HayonError) return e;
    return new HayonError('internal', 'unexpected error', { cause: e });
  }
}

/** Shorthand for a 400 about one input field. */
export function invalid(field: string, message: string, code: ErrorCode = 'invalid_request'): HayonError {
  return new HayonError(code, message, { field, userMessage: message });
}

/** The kinds an upstream failure falls into; only the first two are retried. */
export type FailureKind = 'transient' | 'rate_limited' | 'auth' | 'invalid';

export interface PlatformErrorOptions {
  platform: string;
  /** HTTP status of the upstream answer, if there was one. */
  status?: number;
  method?: string;
  route?: string;
  /** For `rate_limited`: how long the platform asked us to wait. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * An upstream (platform) failure. The worker decides retry or not from `kind` alone, never from
 * the message. The message must not contain credentials: adapters build it from status codes and
 * the platform's error name.
 */
export class PlatformError extends HayonError {
  readonly kind: FailureKind;
  readonly platform: string;
  readonly httpStatus: number | undefined;
  readonly method: string | undefined;
  readonly route: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: FailureKind, message: string, options: PlatformErrorOptions) {
    super('platform_error', message, { cause: options.cause, userMessage: message });
    this.name = 'PlatformError';
    this.kind = kind;
    this.platform = options.platform;
    this.httpStatus = options.status;
    this.method = options.method;
    this.route = options.route;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limited';
  }
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}

/** Turns the first zod issue into a 400 that names its field. */
export function zodToHayonError(error: z.ZodError): HayonError {
  const issue = error.issues[0];
  const field = issue?.path.length ? formatPath(issue.path) : 'body';
  const message = issue ? zodIssueSentence(issue, field) : 'invalid request';
  return new HayonError('invalid_request', message, { field, userMessage: message });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
