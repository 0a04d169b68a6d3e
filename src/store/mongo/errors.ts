/** True for MongoDB's E11000 (a unique index refused a write), from a single or a bulk write. */
export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === 11000;
}

/** True for WriteConflict (112): a concurrent transaction holds the document or the index key. */
export function isWriteConflict(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === 112;
}
