import { userInfo } from 'node:os';
import type { Actor } from '../core/audit.js';
import type { Author } from '../core/post.js';

/** The login name of whoever runs the command; undefined when the system has none for this uid. */
function loginName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the way in is still known.
    return undefined;
  }
}

/** Whoever runs the command, as the audit log names them: `cli (ada)`. */
export function cliActor(): Actor {
  const name = loginName();
  return { kind: 'cli', ...(name ? { name } : {}) };
}

/** The author of a post made with `hayon post`: the same person. */
export function cliAuthor(): Author {
  const name = loginName();
  return name ? { name } : {};
}
