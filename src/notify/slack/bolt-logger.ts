import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * Bolt's and WebClient's log lines into hayon's pino logger. Their debug output can include
 * request bodies, so only warnings and errors pass, as text (never the objects they were given).
 */
export function boltLogger(log: Logger): SlackLogger {
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg) => log.warn({ slack: text(msg) }, 'slack sdk warning'),
    error: (...msg) => log.error({ slack: text(msg) }, 'slack sdk error'),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
}
