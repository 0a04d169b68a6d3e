import type { ApiToken } from '../core/post.js';

/** What middleware puts on the Hono context for the routes after it. */
export interface HttpEnv {
  Variables: {
    token: ApiToken;
  };
}
