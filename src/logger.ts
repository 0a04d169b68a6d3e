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

/** Keeps an error's type, code and message (never its cause chain, which may hold a request). */
function errSerializer(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; kind?: unknown; httpStatus?: unknown };
  return {
    type: e.name,
    message: e.message,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.kind !== undefined ? { kind: e.kind } : {}),
    ...(e.httpStatus !== undefined ? { status: e.httpStatus } : {}),
    stack: e.stack,
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { name: 'hayon' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: { err: errSerializer },
    },
    destination,
  );
}

/** A child logger for one subsystem: `hayon:http`, `hayon:worker`, `hayon:platform:bluesky`. */
export function subsystem(log: Logger, name: string): Logger {
  return log.child({ name: `hayon:${name}` });
}
