import type { Context } from 'hono';
import type { AppContext } from '../../app/app-context.js';
import { viewerZone } from './viewer-zone.js';
import type { WebEnv, WebSession } from './web-session.js';

export type WebContext = Context<WebEnv>;

/** The session and the zone a page is drawn for. */
export async function viewer(ctx: AppContext, c: WebContext): Promise<{ session: WebSession; zone: string }> {
  const session = c.get('webSession');
  const workspace = await ctx.workspaces.get(session.workspaceId);
  return { session, zone: viewerZone(c, workspace?.settings?.timezone ?? ctx.config.defaultTimezone) };
}

/** A form's text field, or undefined. */
export async function formField(c: WebContext, name: string): Promise<string | undefined> {
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}
