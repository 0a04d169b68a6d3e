import { type PaceLimit, parsePaceLimits } from '../core/pacing.js';
import { type PlatformId, platformIds } from '../core/post.js';
import { defaultPaceLimits } from '../platforms/pacing-limits.js';
import type { HayonEnv } from './env.js';
import { ConfigError, flag } from './values.js';

/** The pace limits per platform from `HAYON_PACING` and `HAYON_PACE_LIMITS`; an empty table when off. */
export function pacingConfig(env: HayonEnv): Record<PlatformId, PaceLimit[]> {
  const none = Object.fromEntries(platformIds.map((p) => [p, []])) as unknown as Record<PlatformId, PaceLimit[]>;
  if (env.pacing && !flag('HAYON_PACING', env.pacing)) return none;
  try {
    return { ...defaultPaceLimits, ...(parsePaceLimits(env.paceLimits ?? '', platformIds) as Partial<typeof none>) };
  } catch (e) {
    throw new ConfigError(`HAYON_PACE_LIMITS: ${(e as Error).message}.`);
  }
}
