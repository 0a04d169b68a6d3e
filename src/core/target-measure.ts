import type { PlatformId } from './post.js';

/** One target of a post as a chat reply shows it: `Bluesky @me.bsky.social 41/300`. */
export interface TargetMeasure {
  deliveryId: string;
  platform: PlatformId;
  handle: string;
  count?: number;
  max?: number;
  unit?: 'graphemes' | 'characters';
  /** When the text is a thread there. */
  parts?: number;
}
