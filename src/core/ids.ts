import { randomBytes, randomUUID } from 'node:crypto';

/** A short, sortable, URL-safe id with a type prefix: `post_01J…`. Time-ordered for readability. */
export function newId(prefix: string, now: number = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const rand = randomBytes(8).toString('hex');
  return `${prefix}_${time}${rand}`;
}

export function newCorrelationId(): string {
  return randomUUID();
}
