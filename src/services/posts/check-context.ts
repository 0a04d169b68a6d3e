import type { Account } from '../../core/post.js';
import type { AccountContext } from '../../platforms/platform.js';
import type { PostsServiceDeps } from './deps.js';

/**
 * The account a content check (`rules`, `validate`) is for, with its credentials opened only if
 * the platform reads them, and then once: most platforms' rules do not depend on the account, so
 * checking a post decrypts nothing; Mastodon's read the instance URL, which it keeps per account
 * (see the Mastodon adapter's `instanceUrlOf`).
 */
export function checkContext(
  deps: Pick<PostsServiceDeps, 'openCredentials'>,
  account: Account,
  signal: AbortSignal,
): AccountContext {
  let opened: Record<string, unknown> | undefined;
  return {
    account,
    signal,
    get credentials() {
      opened ??= deps.openCredentials(account);
      return opened;
    },
  };
}
