import type { Clock } from '../../core/clock.js';
import type { Actor, ConnectState } from '../../core/connect.js';
import { HayonError } from '../../core/errors.js';
import { platformNames } from '../../core/platform-names.js';
import { type Account, isPlatformId, type PlatformId } from '../../core/post.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { CredentialBox } from '../../crypto/credential-box.js';
import { ConnectLinks, noConnectFlow } from './connect-links.js';
import type { ConnectStates } from './connect-states.js';
import { escapeHtml, hiddenState, page } from '../../connect/pages.js';
import type { ConnectOption, ConnectProvider } from '../../connect/provider.js';

export interface ConnectServiceDeps {
  states: ConnectStates;
  accounts: AccountsService;
  box: CredentialBox;
  clock: Clock;
  publicUrl: string;
  providers: Partial<Record<PlatformId, ConnectProvider>>;
  /** Told of each account connected (the audit log, a chat message). */
  onConnected?: (account: Account, actor: Actor, reconnected: boolean) => Promise<void>;
}

/** What a connect route answers: a redirect, or a page with its status. */
export type ConnectAnswer = { kind: 'redirect'; url: string } | { kind: 'page'; status: number; html: string };

/**
 * "Connect an account": a link made for someone allowed to manage accounts (CLI, `/hayon
 * connect` in Slack or Discord, the API), opened in a browser, through the platform's own
 * consent screen or form, back to hayon's callback, which verifies the credentials with the
 * platform (as `hayon accounts add` does) and stores the account.
 */
export class ConnectService {
  readonly #links: ConnectLinks;

  constructor(private readonly deps: ConnectServiceDeps) {
    this.#links = new ConnectLinks({
      states: deps.states,
      publicUrl: deps.publicUrl,
      platforms: Object.keys(deps.providers) as PlatformId[],
    });
  }

  platforms(): PlatformId[] {
    return Object.keys(this.deps.providers) as PlatformId[];
  }

  /**
   * A start link for `platform`, used once, valid 15 minutes (or `ttlMs`: a reconnect link in an
   * alert lasts as long as deliveries wait). `data` seeds the flow (a Mastodon instance).
   */
  async link(
    workspaceId: string,
    platform: string,
    actor: Actor,
    data: Record<string, unknown> = {},
    ttlMs?: number,
  ): Promise<{ url: string; expiresAt: number }> {
    return this.#links.link(workspaceId, platform, actor, data, ttlMs);
  }

  async start(platform: string, query: URLSearchParams): Promise<ConnectAnswer> {
    const provider = this.#provider(platform);
    const token = query.get('state') ?? '';
    const state = await this.deps.states.load(token, platform);
    if (query.get('workspace') !== state.workspaceId) {
      throw new HayonError('forbidden', 'workspace mismatch', {
        field: 'workspace',
        userMessage: 'This link belongs to another workspace.',
      });
    }
    const started = await provider.start(state, this.#ctx(platform, token), query, async (data) => {
      await this.deps.states.update(state, data);
    });
    return started.kind === 'redirect'
      ? started
      : { kind: 'page', status: 200, html: page(started.title, started.body) };
  }

  /** The provider's callback (a GET with `code` and `state`, or a POSTed form). */
  async callback(platform: string, params: URLSearchParams): Promise<ConnectAnswer> {
    const provider = this.#provider(platform);
    const token = params.get('state') ?? '';
    const state = await this.deps.states.take(token, platform);
    const denied = params.get('error');
    if (denied) {
      const why = params.get('error_description') ?? denied;
      return this.#page(400, 'Nothing was connected', `${platformNames[state.platform]} answered: ${why}.`);
    }
    const finished = await provider.finish(state, this.#ctx(platform, token), params);
    if (finished.kind === 'connect') return this.#connect(state, [finished.credentials]);
    if (finished.options.length === 1) return this.#connect(state, [finished.options[0]?.credentials ?? {}]);
    return this.#choose(state, finished.options);
  }

  /** The person's pick among several accounts (a form POST with a new, single-use state). */
  async choose(platform: string, form: URLSearchParams): Promise<ConnectAnswer> {
    this.#provider(platform);
    const state = await this.deps.states.take(form.get('state') ?? '', platform);
    const sealed = typeof state.data.options === 'string' ? state.data.options : '';
    const { options } = this.deps.box.open(`connect:${state.id}`, sealed) as { options: ConnectOption[] };
    const picked = new Set(form.getAll('account'));
    const chosen = options.filter((o) => picked.has(o.id));
    if (chosen.length === 0) return this.#page(400, 'Nothing was connected', 'No account was picked.');
    return this.#connect(
      state,
      chosen.map((o) => o.credentials),
    );
  }

  async #connect(state: ConnectState, all: Record<string, unknown>[]): Promise<ConnectAnswer> {
    const connected: string[] = [];
    for (const credentials of all) {
      const before = new Set((await this.deps.accounts.list(state.workspaceId)).map((a) => a.id));
      const account = await this.deps.accounts.add(state.workspaceId, state.platform, credentials, state.actor);
      const reconnected = before.has(account.id);
      await this.deps.onConnected?.(account, state.actor, reconnected).catch(() => undefined);
      connected.push(`${account.handle}${reconnected ? ' (reconnected)' : ''}`);
    }
    const list = connected.map((c) => `<li>${escapeHtml(c)}</li>`).join('');
    return this.#page(
      200,
      `${platformNames[state.platform]} connected`,
      `<ul>${list}</ul><p>hayon can now post there for workspace <b>${escapeHtml(state.workspaceId)}</b>. You can close this window.</p>`,
      true,
    );
  }

  async #choose(state: ConnectState, options: ConnectOption[]): Promise<ConnectAnswer> {
    const next = await this.deps.states.mint(state.workspaceId, state.platform, state.actor);
    // The options hold tokens: sealed, bound to the new flow's id, and gone when it is used.
    await this.deps.states.update(next.state, {
      options: this.deps.box.seal(`connect:${next.state.id}`, { options }),
    });
    const boxes = options
      .map(
        (o) =>
          `<label><input type="checkbox" name="account" value="${escapeHtml(o.id)}"> ${escapeHtml(o.label)}</label>`,
      )
      .join('\n');
    const body = `<p>Which ones should hayon post to?</p>
<form method="post" action="${escapeHtml(`${this.deps.publicUrl}/connect/${state.platform}/choose`)}">
${hiddenState(next.token)}
${boxes}
<button type="submit">Connect</button></form>`;
    return { kind: 'page', status: 200, html: page(`Choose ${platformNames[state.platform]} accounts`, body) };
  }

  #page(status: number, title: string, text: string, html = false): ConnectAnswer {
    return { kind: 'page', status, html: page(title, html ? text : `<p>${escapeHtml(text)}</p>`) };
  }

  #ctx(platform: string, token: string) {
    return { redirectUri: `${this.deps.publicUrl}/connect/${platform}/callback`, token };
  }

  #provider(platform: string): ConnectProvider {
    const provider = isPlatformId(platform) ? this.deps.providers[platform] : undefined;
    if (!provider) throw noConnectFlow(platform, this.platforms());
    return provider;
  }
}
