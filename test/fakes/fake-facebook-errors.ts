/** A Graph API error envelope, as Meta sends it. */
export interface GraphErrorAnswer {
  status: number;
  error: { message: string; type: string; code: number; error_subcode?: number; is_transient?: boolean };
  headers?: Record<string, string>;
}

/** Meta's error answers for the cases hayon must tell apart. */
export const graphErrors = {
  expiredToken: {
    status: 400,
    error: {
      message: 'Error validating access token: Session has expired on Friday, 27-Nov-26 10:00:00 PST.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 463,
    },
  },
  passwordChanged: {
    status: 400,
    error: {
      message:
        'Error validating access token: The session has been invalidated because the user changed their password.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 460,
    },
  },
  invalidToken: {
    status: 400,
    error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 },
  },
  appRateLimit: {
    status: 400,
    error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, is_transient: true },
  },
  userRateLimit: {
    status: 400,
    error: { message: '(#17) User request limit reached', type: 'OAuthException', code: 17, is_transient: true },
  },
  pageRateLimit: {
    status: 400,
    error: { message: '(#32) Page request limit reached', type: 'OAuthException', code: 32, is_transient: true },
  },
  customRateLimit: {
    status: 400,
    error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 },
  },
  blocked: {
    status: 400,
    error: {
      message: '(#368) The action attempted has been deemed abusive or is otherwise disallowed',
      type: 'OAuthException',
      code: 368,
      error_subcode: 1390008,
    },
  },
  permission: {
    status: 403,
    error: {
      message: '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts permission',
      type: 'OAuthException',
      code: 200,
    },
  },
  invalidParameter: {
    status: 400,
    error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 },
  },
  serverError: {
    status: 500,
    error: {
      message: 'An unexpected error has occurred. Please retry your request later.',
      type: 'OAuthException',
      code: 2,
      is_transient: true,
    },
  },
} as const satisfies Record<string, GraphErrorAnswer>;

/** Documented fields of the nodes hayon reads; asking for another is refused, as the Graph API does. */
const pageNodeFields = {
  Page: ['id', 'name', 'username', 'link', 'category', 'fan_count', 'about', 'access_token', 'tasks'],
  PagePost: [
    'id',
    'message',
    'created_time',
    'updated_time',
    'permalink_url',
    'story',
    'full_picture',
    'attachments',
    'status_type',
    'is_published',
    'from',
  ],
  Photo: ['id', 'page_story_id', 'created_time', 'link', 'name', 'images', 'alt_text_custom', 'album', 'from'],
  Video: ['id', 'description', 'created_time', 'updated_time', 'permalink_url', 'title', 'length', 'source', 'status'],
} as const;

export type PageNode = keyof typeof pageNodeFields;

/** Meta's "(#100) Tried accessing nonexisting field" for the first unknown field asked, or undefined. */
export function unknownPageField(fields: string | null, node: PageNode): GraphErrorAnswer | undefined {
  const known: readonly string[] = pageNodeFields[node];
  const wrong = (fields ?? '').split(',').find((f) => f !== '' && !known.includes(f.replace(/[{.].*$/, '')));
  if (!wrong) return undefined;
  const message = `(#100) Tried accessing nonexisting field (${wrong}) on node type (${node})`;
  return { status: 400, error: { message, type: 'OAuthException', code: 100 } };
}
