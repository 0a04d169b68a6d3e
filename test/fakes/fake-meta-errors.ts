/** Meta's error envelope, as the Graph API answers it. */
export interface GraphErrorEnvelope {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    fbtrace_id: string;
  };
}

/** Builds Meta's error envelope (`{error: {message, type, code, error_subcode, fbtrace_id}}`). */
export function graphErrorEnvelope(
  code: number,
  message: string,
  more: { subcode?: number; type?: string; isTransient?: boolean } = {},
): GraphErrorEnvelope {
  return {
    error: {
      message,
      type: more.type ?? 'OAuthException',
      code,
      ...(more.subcode === undefined ? {} : { error_subcode: more.subcode }),
      ...(more.isTransient === undefined ? {} : { is_transient: more.isTransient }),
      fbtrace_id: 'AfakeTraceId0123',
    },
  };
}

/** A scripted answer: a status with a body (an error envelope by default) and headers. */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  /** Shorthand for `body: {error}` (an envelope without `fbtrace_id`). */
  error?: { message: string; code: number; type?: string; error_subcode?: number; is_transient?: boolean };
  headers?: Record<string, string>;
  /** Do the work for real (publish), then drop the connection instead of answering. */
  lostAfterPublish?: boolean;
  /** Drop the connection without doing anything (a network failure). */
  dropConnection?: boolean;
}

/** The documented error answers tests script with {@link FakeMetaGraphServer.failNext}; reusable by any Graph fake. */
export const metaErrors = {
  expiredToken: (): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(190, 'Error validating access token: Session has expired on Friday, 27-Nov-26.', {
      subcode: 463,
    }),
  }),
  appRateLimit: (): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(4, 'Application request limit reached', { isTransient: true }),
  }),
  userRateLimit: (minutes = 17): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(17, 'User request limit reached'),
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        '42': [
          {
            type: 'instagram',
            call_count: 100,
            total_cputime: 20,
            total_time: 30,
            estimated_time_to_regain_access: minutes,
          },
        ],
      }),
    },
  }),
  tooManyRequests: (retryAfterSeconds = 120): ScriptedAnswer => ({
    status: 429,
    body: graphErrorEnvelope(613, 'Calls to this api have exceeded the rate limit.'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  serverError: (): ScriptedAnswer => ({
    status: 500,
    body: graphErrorEnvelope(2, 'An unexpected error has occurred. Please retry your request later.', {
      isTransient: true,
    }),
  }),
  mediaNotFound: (): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(24, 'The requested resource does not exist', { subcode: 4279009 }),
  }),
  invalidParameter: (message: string): ScriptedAnswer => ({
    status: 400,
    body: graphErrorEnvelope(100, message),
  }),
  lostAnswer: (): ScriptedAnswer => ({ status: 200, lostAfterPublish: true }),
  dropConnection: (): ScriptedAnswer => ({ status: 0, dropConnection: true }),
};
