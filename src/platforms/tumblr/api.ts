import type { CallSite } from '../http.js';
import type { TumblrCredentials } from './credentials.js';
import type { NpfBlock } from './npf.js';

/** `GET /v2/user/info`: the user and the blogs they may post to. */
export interface UserInfo {
  user: { name: string; blogs: { name: string; uuid?: string; url?: string; primary?: boolean }[] };
}

/** A post as `GET /v2/blog/{blog}/posts` lists it (the fields reconcile reads). */
export interface ListedPost {
  id_string?: string;
  id?: number | string;
  blog_name?: string;
  slug?: string;
  post_url?: string;
}

/** The NPF create body hayon sends; media blocks name their upload by `identifier`. */
export interface NewPost {
  content: NpfBlock[];
  state: 'published';
  slug: string;
}

/** The bytes of one media block, matched to it by `identifier`. */
export interface Upload {
  identifier: string;
  mimeType: string;
  bytes: Uint8Array;
}

/**
 * The Tumblr calls the adapter makes, one implementation per kind of account: tumblr.js for
 * OAuth 1.0a (tumblr-js-api.ts), a thin bearer-token client for OAuth 2 (bearer-api.ts). The
 * adapter's logic (NPF blocks, the slug marker, reconcile) is written once above this. Every call
 * is bounded by the deps' timeout and `signal`, and throws a PlatformError (errors.ts) on failure.
 */
export interface TumblrApi {
  /** The credentials now in use (an OAuth 2 refresh replaces them). */
  readonly credentials: TumblrCredentials;
  userInfo(signal: AbortSignal): Promise<UserInfo>;
  /** One page of the blog's published posts, newest first. */
  posts(blog: string, page: { limit: number; offset: number }, signal: AbortSignal): Promise<{ posts?: ListedPost[] }>;
  /** `POST /v2/blog/{blog}/posts`: JSON without uploads, multipart with them. */
  createPost(
    blog: string,
    post: NewPost,
    uploads: Upload[],
    signal: AbortSignal,
  ): Promise<{ id?: string | number; id_string?: string }>;
  /** `POST /v2/blog/{blog}/post/delete` with the post's `id`. */
  deletePost(blog: string, id: string, signal: AbortSignal): Promise<unknown>;
}

/** The route of each call, as errors name it. */
export const routes = {
  userInfo: '/v2/user/info',
  userLimits: '/v2/user/limits',
  posts: '/v2/blog/{blog}/posts',
  deletePost: '/v2/blog/{blog}/post/delete',
  token: '/v2/oauth2/token',
} as const;

/** One call as errors name it: `POST /v2/blog/{blog}/posts`. */
export const site = (method: CallSite['method'], route: string): CallSite => ({ platform: 'tumblr', method, route });
