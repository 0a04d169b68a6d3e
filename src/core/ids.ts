import { randomUUID } from 'node:crypto';

/** A short, sortable, URL-safe id with a type prefix: `post_01J…`. Time-ordered for readability. */
export function newId(prefix: string, now: number = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  // randomUUID draws from a cached entropy pool: much cheaper per call than randomBytes(8).
  const rand = randomUUID().replaceAll('-', '').slice(0, 16);
  return `${prefix}_${time}${rand}`;
}

export function newCorrelationId(): string {
  return randomUUID();
}
