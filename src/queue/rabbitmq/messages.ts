import { isPlatformId } from '../../core/post.js';
import type { TransportMessage } from '../transport.js';

export function encode(message: TransportMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** The message, or null when it is not JSON or not a kind and version this code knows. */
export function decode(content: Buffer): TransportMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const m = value as Record<string, unknown>;
  if (m.kind !== 'delivery' || m.v !== 1) return null;
  const { deliveryId, postId, platform, correlationId, notBefore } = m;
  if (typeof deliveryId !== 'string' || typeof postId !== 'string' || typeof correlationId !== 'string') return null;
  if (typeof platform !== 'string' || !isPlatformId(platform)) return null;
  const early = typeof notBefore === 'number' && Number.isFinite(notBefore) ? { notBefore } : {};
  return { kind: 'delivery', v: 1, deliveryId, postId, platform, correlationId, ...early };
}
