import { deadline } from '../../core/deadline.js';
import type { Account } from '../../core/post.js';
import type { AccountContext } from '../../platforms/platform.js';
import type { PostsServiceDeps } from './deps.js';

/**
 * The account a content check (`rules`, `validate`) is for, with its credentials opened only if
 * the platform reads them, and then once: most platforms' rules do not depend on the account, so
 * checking a post decrypts nothing; Mastodon's read the instance URL, which it keeps per account
 * (see the Mastodon adapter's `AccountInstanceUrls`). Its signal, too, is made when first read.
 */
export function checkContext(
  deps: Pick<PostsServiceDeps, 'openCredentials'>,
  account: Account,
  signal: () => AbortSignal,
): AccountContext {
  let opened: Record<string, unknown> | undefined;
  return {
    account,
    get signal() {
      return signal();
    },
    get credentials() {
      opened ??= deps.openCredentials(account);
      return opened;
    },
  };
}

/**
 * The deadline of a check (`ms` for all its calls to the platforms), made when a platform first
 * reads it: most checks call no platform, and a deadline holds a timer until it fires.
 */
export function lazyDeadline(ms: number): () => AbortSignal {
  let signal: AbortSignal | undefined;
  return () => {
    signal ??= deadline([], ms);
    return signal;
  };
}
