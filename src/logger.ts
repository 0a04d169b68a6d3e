import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. Adapters never log, and the rest log ids and
 * states, not payloads; this is the second line of defence.
 */
const redactPaths = [
  'password',
  'appPassword',
  'token',
  'accessJwt',
  'refreshJwt',
  'credentials',
  'secret',
  'authorization',
  '*.password',
  '*.appPassword',
  '*.token',
  '*.accessJwt',
  '*.refreshJwt',
  '*.credentials',
  '*.secret',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
];

const secretKeys = new Set(
  ['password', 'appPassword', 'token', 'accessJwt', 'refreshJwt', 'credentials', 'secret', 'authorization'].map((k) =>
    k.toLowerCase(),
  ),
);

/**
 * pino's redact paths reach a fixed depth; this catches the same keys at any depth (up to 8
 * levels), for objects a caller nested deeper than the paths foresee.
 */
function scrubDeep(value: Record<string, unknown>, depth = 0): Record<string, unknown> {
  if (depth > 8) return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    let next = v;
    if (secretKeys.has(k.toLowerCase()) && v !== undefined && v !== '[redacted]') next = '[redacted]';
    else if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Error)) {
      next = scrubDeep(v as Record<string, unknown>, depth + 1);
    }
    if (next !== v) {
      out ??= { ...value };
      out[k] = next;
    }
  }
  return out ?? value;
}

/** A URL's user and password (`mongodb://user:pass@host`, `amqp://…`), as drivers may quote them in a message. */
const urlUserinfo = /(\b[a-z][\w+.-]*:\/\/)[^@/\s]*@/gi;
const withoutUserinfo = (text: string | undefined) => text?.replace(urlUserinfo, '$1');

/**
 * Keeps an error's type, code and message (never its cause chain, which may hold a request),
 * with any user and password of a URL in its message or stack taken out.
 */
function errSerializer(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: withoutUserinfo(String(err)) };
  const e = err as Error & { code?: unknown; kind?: unknown; httpStatus?: unknown };
  return {
    type: e.name,
    message: withoutUserinfo(e.message),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.kind !== undefined ? { kind: e.kind } : {}),
    ...(e.httpStatus !== undefined ? { status: e.httpStatus } : {}),
    stack: withoutUserinfo(e.stack),
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { name: 'hayon' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { log: scrubDeep },
      serializers: { err: errSerializer },
    },
    destination,
  );
}

/**
 * A child logger for one subsystem: `"component":"http"`, `"worker"`, `"platform:bluesky"`, beside
 * the root's `"name":"hayon"` (a child's `name` would repeat the key in the same JSON line).
 */
export function subsystem(log: Logger, component: string): Logger {
  return log.child({ component });
}

/**
 * A child logger for one post: every line carries its id and its correlation id, from the
 * request that made it to the last reply in its thread (`jq 'select(.correlationId == "…")'`).
 */
export function forPost(log: Logger, post: { id: string; correlationId: string }): Logger {
  return log.child({ postId: post.id, correlationId: post.correlationId });
}
