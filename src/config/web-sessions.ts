import type { HayonEnv } from './env.js';
import { int } from './values.js';

/**
 * Signed-in browsers of the web page (`/app`): a session ends after this long without a request
 * (`HAYON_WEB_IDLE_HOURS`, default 12) and this long after signing in whatever the use
 * (`HAYON_WEB_SESSION_DAYS`, default 7).
 */
export interface WebSessionsConfig {
  idleMs: number;
  absoluteMs: number;
}

/** The web session lifetimes from `HAYON_WEB_IDLE_HOURS` and `HAYON_WEB_SESSION_DAYS`. */
export function webSessionsConfig(env: HayonEnv): WebSessionsConfig {
  return {
    idleMs: int('HAYON_WEB_IDLE_HOURS', env.webIdleHours, 12, 1, 24 * 30) * 3_600_000,
    absoluteMs: int('HAYON_WEB_SESSION_DAYS', env.webSessionDays, 7, 1, 365) * 86_400_000,
  };
}
