import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { Hono } from 'hono';
import { HayonError } from '../../core/errors.js';
import { errorBody } from '../../core/error-body.js';
import type { Logger } from '../../logger.js';
import { verifySlackSignature } from './verify.js';

export interface HonoReceiverOptions {
  signingSecret: string;
  log: Logger;
  now?: () => number;
  /** Answer Slack even if no listener acknowledged by then (Slack gives up at 3 s). */
  ackTimeoutMs?: number;
}

/** Largest body Slack sends (a view submission with many blocks stays far below). */
const maxBodyBytes = 1024 * 1024;

/**
 * Bolt's HTTP receiver on hayon's Hono server: `POST /slack/events` takes slash commands,
 * interactivity (buttons, modals, shortcuts) and events alike. Each request's signature is checked
 * first (401 when it fails); the answer goes back as soon as a listener acknowledges, and the
 * listener's work goes on after it.
 */
export class HonoSlackReceiver implements Receiver {
  #app: App | undefined;
  readonly #now: () => number;

  constructor(private readonly options: HonoReceiverOptions) {
    this.#now = options.now ?? Date.now;
  }

  init(app: App): void {
    this.#app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  routes(ready: () => Promise<void>): Hono {
    const routes = new Hono();
    routes.post('/slack/events', async (c) => {
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > maxBodyBytes) throw new HayonError('payload_too_large', 'slack body too large');
      const raw = await c.req.text();
      const verdict = verifySlackSignature({
        signingSecret: this.options.signingSecret,
        body: raw,
        timestamp: c.req.header('x-slack-request-timestamp'),
        signature: c.req.header('x-slack-signature'),
        now: this.#now(),
      });
      if (!verdict.ok) {
        this.options.log.warn({ reason: verdict.reason }, 'slack request refused');
        return c.json(errorBody(new HayonError('unauthorized', verdict.reason, { userMessage: verdict.reason })), 401);
      }
      const body = parseBody(raw, c.req.header('content-type') ?? '');
      if (!body) return c.json(errorBody(new HayonError('invalid_request', 'unreadable slack body')), 400);
      if (body.type === 'url_verification') return c.json({ challenge: body.challenge });
      await ready();
      return this.#dispatch(body, c.req.header('x-slack-retry-num'), c.req.header('x-slack-retry-reason'));
    });
    return routes;
  }

  #dispatch(body: Record<string, unknown>, retryNum?: string, retryReason?: string): Promise<Response> {
    const app = this.#app;
    if (!app) throw new Error('the Slack receiver was not initialised by Bolt');
    return new Promise<Response>((resolve) => {
      let answered = false;
      const answer = (response: Response) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(response);
      };
      const timer = setTimeout(() => answer(new Response(null, { status: 200 })), this.options.ackTimeoutMs ?? 2500);
      const event: ReceiverEvent = {
        body,
        ...(retryNum ? { retryNum: Number(retryNum) } : {}),
        ...(retryReason ? { retryReason } : {}),
        ack: async (response?: unknown) => answer(ackResponse(response)),
      };
      app.processEvent(event).catch((err: unknown) => {
        this.options.log.error({ err }, 'slack listener failed');
        answer(new Response(null, { status: 200 }));
      });
    });
  }
}

function ackResponse(response: unknown): Response {
  if (response === undefined || response === '') return new Response(null, { status: 200 });
  if (typeof response === 'string') return new Response(response, { status: 200 });
  return new Response(JSON.stringify(response), { status: 200, headers: { 'content-type': 'application/json' } });
}

/** Commands come form-encoded, interactivity as a form field `payload` holding JSON, events as JSON. */
function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
    return Object.fromEntries(form);
  } catch {
    return null;
  }
}
