import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { buildOpenApiDocument } from './document.js';
import { renderReferencePage } from './reference-page.js';

let version: string | undefined;

/** hayon's version, from package.json, read once (three levels up from both src/ and dist/). */
function packageVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}

/**
 * `GET /openapi.json`, the OpenAPI 3.1 document, and `GET /docs`, the same as a readable page;
 * `GET /` leads there.
 * No token: the API's description is public. Both are built once, on the first request (the
 * document is the same until hayon restarts).
 */
export function openapiRoutes(ctx: AppContext): Hono {
  const app = new Hono();
  let built: { json: string; html: string } | undefined;
  const build = () => {
    if (!built) {
      const doc = buildOpenApiDocument({ serverUrl: ctx.config.publicUrl, version: packageVersion() });
      built = { json: JSON.stringify(doc), html: renderReferencePage(doc) };
    }
    return built;
  };
  // Where a person who opens hayon's address lands: the docs for now (a web page later).
  app.get('/', (c) => c.redirect('/docs', 302));
  app.get('/openapi.json', (c) =>
    c.body(build().json, 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }),
  );
  app.get('/docs', (c) =>
    c.body(build().html, 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=300',
      // The page is self-contained: nothing may load from elsewhere, and no script runs.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    }),
  );
  return app;
}
