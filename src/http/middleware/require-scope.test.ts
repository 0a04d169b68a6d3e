import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ApiScope, ApiToken } from '../../core/post.js';
import { createLogger } from '../../logger.js';
import type { HttpEnv } from '../env.js';
import { handleError } from '../errors.js';
import { requireScope, tokenActor } from './require-scope.js';

function appWith(scopes: ApiScope[]) {
  const token: ApiToken = { id: 'tok_1', workspaceId: 'ws_1', name: 'ci', hash: 'h', scopes, createdAt: 0 };
  const app = new Hono<HttpEnv>();
  app.onError(handleError(createLogger('silent')));
  app.use('*', async (c, next) => {
    c.set('token', token);
    await next();
  });
  app.get('/read', requireScope('posts:read'), (c) => c.json({ ok: true }));
  app.post('/write', requireScope('posts:write'), (c) => c.json({ ok: true }));
  return app;
}

describe('requireScope', () => {
  it('lets a token with the scope through', async () => {
    const app = appWith(['posts:read', 'posts:write']);
    expect((await app.request('/read')).status).toBe(200);
    expect((await app.request('/write', { method: 'POST' })).status).toBe(200);
  });

  it('answers 403 forbidden on Authorization, naming the scope missing and the ones the token has', async () => {
    const app = appWith(['posts:read']);
    expect((await app.request('/read')).status).toBe(200);
    const res = await app.request('/write', { method: 'POST' });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(body.error).toMatchObject({ code: 'forbidden', field: 'Authorization' });
    expect(body.error.message).toContain('posts:write');
    expect(body.error.message).toContain('it has posts:read');
  });

  it('refuses a token with no scopes at all', async () => {
    const res = await appWith([]).request('/read');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('posts:read');
  });

  it('names the token as the actor of what it does', () => {
    expect(tokenActor({ id: 'tok_1', name: 'ci' })).toEqual({ kind: 'api', id: 'tok_1', name: 'ci' });
  });
});
