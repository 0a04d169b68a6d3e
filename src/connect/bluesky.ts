import { checkCallbackUrl } from '../net/callback-url.js';
import type { ConnectState } from '../core/connect.js';
import { HayonError } from '../core/errors.js';
import { escapeHtml, hiddenState } from './pages.js';
import type { ConnectContext, ConnectFinish, ConnectProvider, ConnectStart } from './provider.js';

export interface BlueskyConnectDeps {
  fetch: typeof fetch;
  publicUrl: string;
  /** Resolves handles (`com.atproto.identity.resolveHandle`): `HAYON_BLUESKY_RESOLVER_URL`. */
  resolverUrl: string;
  /** The PLC directory for `did:plc` documents: `HAYON_BLUESKY_PLC_URL`. */
  plcUrl: string;
  timeoutMs: number;
}

const notFound = (handle: string, why: string) => {
  const message = `Could not find the Bluesky server of ${handle}: ${why}.`;
  return new HayonError('invalid_request', message, { field: 'handle', userMessage: message });
};

/**
 * Finds an account's PDS from its handle: handle → DID (the resolver's
 * `com.atproto.identity.resolveHandle`), DID → DID document (PLC directory, or
 * `/.well-known/did.json` for did:web), and its `#atproto_pds` service endpoint.
 */
export async function discoverPds(
  handleOrDid: string,
  deps: BlueskyConnectDeps,
): Promise<{ did: string; pds: string }> {
  const get = async (url: string) => {
    let res: Response;
    try {
      res = await deps.fetch(url, {
        signal: AbortSignal.timeout(deps.timeoutMs),
        headers: { accept: 'application/json' },
      });
    } catch {
      throw notFound(handleOrDid, `${new URL(url).host} did not answer`);
    }
    if (!res.ok) throw notFound(handleOrDid, `${new URL(url).host} answered ${res.status}`);
    return (await res.json().catch(() => ({}))) as Record<string, unknown>;
  };
  const handle = handleOrDid.replace(/^@/, '').trim().toLowerCase();
  let did = handle;
  if (!handle.startsWith('did:')) {
    if (!/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$/.test(handle)) {
      throw new HayonError('invalid_request', 'bad handle', {
        field: 'handle',
        userMessage: `"${handleOrDid}" is not a Bluesky handle (like alice.bsky.social).`,
      });
    }
    const resolved = await get(
      `${deps.resolverUrl}/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(handle)}`,
    );
    if (typeof resolved.did !== 'string') throw notFound(handle, 'the handle does not resolve');
    did = resolved.did;
  }
  let doc: Record<string, unknown>;
  if (did.startsWith('did:plc:')) doc = await get(`${deps.plcUrl}/${encodeURIComponent(did)}`);
  else if (did.startsWith('did:web:')) {
    // A did:web names any host: only a public one is asked.
    const url = `https://${decodeURIComponent(did.slice(8))}/.well-known/did.json`;
    await checkCallbackUrl(url, {}, 'handle');
    doc = await get(url);
  } else throw notFound(handle, `${did} is not a did:plc or did:web`);
  const services = Array.isArray(doc.service) ? (doc.service as Record<string, unknown>[]) : [];
  const pds = services.find((s) => typeof s.id === 'string' && s.id.endsWith('#atproto_pds'));
  if (typeof pds?.serviceEndpoint !== 'string') throw notFound(handle, 'its DID document names no PDS');
  return { did, pds: pds.serviceEndpoint.replace(/\/+$/, '') };
}

/**
 * Bluesky: a form for the handle and an app password (never the account password); the PDS is
 * found from the handle, and the login (`accounts.add` → `verify`) checks the password.
 */
export class BlueskyConnect implements ConnectProvider {
  readonly platform = 'bluesky' as const;

  constructor(private readonly deps: BlueskyConnectDeps) {}

  async start(state: ConnectState, ctx: ConnectContext): Promise<ConnectStart> {
    const action = `${this.deps.publicUrl}/connect/bluesky/callback`;
    const body = `<p>Make an app password in Bluesky (Settings → Privacy and security → App passwords) and enter it here, with your handle. hayon never asks for your account password.</p>
<form method="post" action="${escapeHtml(action)}">
${hiddenState(ctx.token)}
<label for="handle">Handle</label>
<input type="text" id="handle" name="handle" placeholder="alice.bsky.social" required>
<label for="password">App password</label>
<input type="password" id="password" name="appPassword" placeholder="xxxx-xxxx-xxxx-xxxx" required autocomplete="off">
<button type="submit">Connect</button></form>
<p><small>For workspace ${escapeHtml(state.workspaceId)}; this link works once and expires in 15 minutes.</small></p>`;
    return { kind: 'page', title: 'Connect a Bluesky account', body };
  }

  async finish(_state: ConnectState, _ctx: ConnectContext, params: URLSearchParams): Promise<ConnectFinish> {
    const handle = params.get('handle') ?? '';
    const appPassword = params.get('appPassword') ?? '';
    if (!handle || !appPassword) {
      throw new HayonError('invalid_request', 'missing field', {
        field: handle ? 'appPassword' : 'handle',
        userMessage: 'Give both the handle and an app password.',
      });
    }
    const { pds } = await discoverPds(handle, this.deps);
    return { kind: 'connect', credentials: { service: pds, identifier: handle.replace(/^@/, ''), appPassword } };
  }
}
