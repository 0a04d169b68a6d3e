/** True for MongoDB's E11000 (a unique index refused a write), from a single or a bulk write. */
export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === 11000;
}

/** True for WriteConflict (112): a concurrent transaction holds the document or the index key. */
export function isWriteConflict(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; writeErrors?: { code?: unknown }[]; message?: unknown };
  if (err.code === 112 || err.writeErrors?.some((w) => w.code === 112)) return true;
  // DocumentDB answers a write that waited on another open transaction's row lock with the
  // PostgreSQL state in its message (lock not available, serialization failure, deadlock): the
  // same conflict that MongoDB reports as WriteConflict (112).
  return typeof err.message === 'string' && /SqlState\(E(55P03|40001|40P01)\)/.test(err.message);
}

const unreachableNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoServerClosedError',
]);

/**
 * True when the server could not be reached or the connection to it closed: the driver's
 * network and server-selection errors (also when they are the cause of another error, or copied
 * into one: insertMany's MongoBulkWriteError takes a network error's fields, `beforeHandshake`
 * among them, but neither its name nor its cause, and keeps a server-selection error as its
 * `errorResponse`), and mongoose's "buffering timed out" for a call made while disconnected.
 */
export function isUnreachable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if (typeof cur !== 'object') return false;
    const { name, message } = cur as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && unreachableNames.has(name)) return true;
    if (typeof (cur as { beforeHandshake?: unknown }).beforeHandshake === 'boolean') return true;
    if (typeof message === 'string' && /buffering timed out|connection .*closed/i.test(message)) return true;
    cur = wrapped(cur);
  }
  return false;
}

/**
 * The error inside another: its `cause`, or for a bulk write (insertMany's MongoBulkWriteError)
 * the error it was made from, kept as `errorResponse` (a server that could not be selected).
 */
function wrapped(e: object): unknown {
  const { cause, errorResponse } = e as { cause?: unknown; errorResponse?: unknown };
  return cause ?? (errorResponse instanceof Error ? errorResponse : undefined);
}

/** The errors of a connection lost with a request on its way: the server may have applied it. */
const cutNames = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoPoolClearedError']);

/**
 * Whether the store is away (`isUnreachable`), and whether a write may have been applied all the
 * same: a connection that closed or timed out with the request sent, as opposed to a server that
 * could not be selected, a pool never connected, or a call mongoose held back while disconnected.
 */
export function mongoAwayReason(
  e: unknown,
): { reason: 'not_answering'; maybeWritten: true } | 'not_answering' | undefined {
  if (!isUnreachable(e)) return undefined;
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const { name, message, beforeHandshake } = cur as { name?: unknown; message?: unknown; beforeHandshake?: unknown };
    if (beforeHandshake === true) return 'not_answering';
    if (typeof name === 'string' && cutNames.has(name)) return { reason: 'not_answering', maybeWritten: true };
    if (typeof message === 'string' && /connection .*closed/i.test(message)) {
      return { reason: 'not_answering', maybeWritten: true };
    }
    cur = wrapped(cur);
  }
  return 'not_answering';
}
