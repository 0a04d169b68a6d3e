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
 * among them, but neither its name nor its cause), and mongoose's "buffering timed out" for a
 * call made while disconnected.
 */
export function isUnreachable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if (typeof cur !== 'object') return false;
    const { name, message } = cur as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && unreachableNames.has(name)) return true;
    if (typeof (cur as { beforeHandshake?: unknown }).beforeHandshake === 'boolean') return true;
    if (typeof message === 'string' && /buffering timed out|connection .*closed/i.test(message)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
