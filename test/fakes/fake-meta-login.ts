import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphErrorEnvelope } from './fake-meta-errors.js';

/** A Facebook Page the fake's Facebook user manages (`/me/accounts`). */
export interface FakePage {
  id: string;
  name: string;
  /** Its Page token. */
  accessToken: string;
  tasks: string[];
  /** The Instagram professional account linked to it. */
  instagram?: { id: string; username: string };
}

export const allTasks = ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'];

/** An authorization code the fake handed out: single use, bound to its app and redirect URI. */
export interface LoginCode {
  app: 'facebook' | 'threads';
  redirectUri: string;
  used: boolean;
}

/** What the login endpoints read and change on FakeMetaGraphServer. */
export interface LoginHost {
  readonly apps: Record<'facebook' | 'threads', { id: string; secret: string }>;
  readonly codes: Map<string, LoginCode>;
  readonly shortTokens: Set<string>;
  denyNext: boolean;
  token: string;
  refreshes: number;
  userId: string;
  userToken: string;
  pages: FakePage[];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Facebook Login and Threads' OAuth for FakeMetaGraphServer (see its class comment): answers the
 * request and returns true, or false when the request is not one of theirs.
 */
export function metaLogin(
  fake: LoginHost,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  first: string,
  q: Record<string, string>,
): boolean {
  const refuse = (code: number, message: string, subcode?: number) => {
    json(res, 400, graphErrorEnvelope(code, message, subcode === undefined ? {} : { subcode }));
    return true;
  };
  if (route === 'GET /dialog/oauth' || route === 'GET /oauth/authorize') {
    const app = route === 'GET /dialog/oauth' ? 'facebook' : 'threads';
    if (q.client_id !== fake.apps[app].id || !q.redirect_uri || q.response_type !== 'code') {
      return refuse(101, 'Invalid App ID, redirect_uri or response_type');
    }
    const back = new URL(q.redirect_uri);
    back.searchParams.set('state', q.state ?? '');
    if (fake.denyNext) {
      fake.denyNext = false;
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_reason', 'user_denied');
      back.searchParams.set('error_description', 'Permissions error');
    } else {
      const code = `${app}-code-${fake.codes.size + 1}`;
      fake.codes.set(code, { app, redirectUri: q.redirect_uri, used: false });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
    return true;
  }
  if (route === 'GET /oauth/access_token' || route === 'POST /oauth/access_token') {
    const app = req.method === 'GET' ? 'facebook' : 'threads';
    if (q.client_id !== fake.apps[app].id || q.client_secret !== fake.apps[app].secret) {
      return refuse(1, 'Error validating client secret.');
    }
    if (app === 'facebook' && q.grant_type === 'fb_exchange_token') {
      if (!fake.shortTokens.has(q.fb_exchange_token ?? '')) return refuse(190, 'Invalid OAuth access token.');
      json(res, 200, { access_token: fake.userToken, token_type: 'bearer', expires_in: 5_183_944 });
      return true;
    }
    const grant = fake.codes.get(q.code ?? '');
    if (!grant || grant.app !== app) return refuse(100, 'Invalid verification code format.');
    if (grant.used) return refuse(100, 'This authorization code has been used.', 36009);
    if (grant.redirectUri !== q.redirect_uri) {
      const why = 'Error validating verification code. Please make sure your redirect_uri is identical.';
      return refuse(100, why, 36008);
    }
    grant.used = true;
    const short = `${app}-short-token-${fake.shortTokens.size + 1}`;
    fake.shortTokens.add(short);
    if (app === 'facebook') {
      json(res, 200, { access_token: short, token_type: 'bearer', expires_in: 5_183 });
      return true;
    }
    // Threads sends the user id as a JSON number.
    const answer = `{"access_token":"${short}","user_id":${fake.userId}}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    return true;
  }
  if (route === 'GET /refresh_access_token' && q.grant_type === 'th_refresh_token') {
    // Threads: a long-lived token (at least a day old, not expired) for a new 60-day one.
    if (q.access_token !== fake.token)
      return refuse(190, 'Error validating access token: the user has not authorized the application.');
    fake.refreshes++;
    fake.token = `fake-meta-token-r${fake.refreshes}`;
    json(res, 200, { access_token: fake.token, token_type: 'bearer', expires_in: 5_183_944 });
    return true;
  }
  if (route === 'GET /access_token' && q.grant_type === 'th_exchange_token') {
    if (q.client_secret !== fake.apps.threads.secret) return refuse(1, 'Error validating client secret.');
    if (!fake.shortTokens.has(q.access_token ?? '')) return refuse(190, 'Invalid OAuth access token.');
    json(res, 200, { access_token: fake.token, token_type: 'bearer', expires_in: 5_183_944 });
    return true;
  }
  if (route === 'GET /me/accounts' && q.access_token === fake.userToken) {
    const data = fake.pages.map((p) => ({ id: p.id, name: p.name, access_token: p.accessToken, tasks: p.tasks }));
    json(res, 200, { data, paging: { cursors: { before: 'QVFIUb', after: 'QVFIUa' } } });
    return true;
  }
  const page = fake.pages.find((p) => p.id === first);
  if (route === 'GET /{id}' && page && (q.access_token === fake.userToken || q.access_token === page.accessToken)) {
    const fields = (q.fields ?? 'id,name').split(',');
    const ig = fields.some((f) => f.startsWith('instagram_business_account')) ? page.instagram : undefined;
    json(res, 200, { id: page.id, name: page.name, ...(ig ? { instagram_business_account: ig } : {}) });
    return true;
  }
  return false;
}
