import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { FakeDiscordApi } from '../fakes/fake-discord-api.js';
import { type StartOptions, startHayon, type TestHayon } from '../harness.js';

/** The guild, channel and member the Discord end-to-end tests act in. */
export const guild = '1300000000000000001';
export const channel = '1300000000000000002';
export const alice = { id: '1300000000000000003', username: 'alice' };
export const manageGuild = String(1 << 5);

export interface KeyPair {
  privateKey: KeyObject;
  publicHex: string;
}

/** An Ed25519 key pair like the one Discord signs interactions with; the public key as the portal shows it (hex). */
export function keyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicHex: der.subarray(der.length - 32).toString('hex') };
}

/** The headers Discord sends with an interaction: the body signed with `privateKey` now. */
export function signedHeaders(body: string, privateKey: KeyObject): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': timestamp,
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
  };
}

export interface DiscordRig {
  discord: FakeDiscordApi;
  h: TestHayon;
  keys: KeyPair;
  /** Interactions made so far (their tokens and ids count up). */
  made: number;
}

/**
 * FakeDiscordApi started, hayon started against it with a fresh signing key and `options`, and
 * alice's Bluesky account added.
 */
export async function startDiscordRig(options: Omit<StartOptions, 'env'>): Promise<DiscordRig> {
  const discord = new FakeDiscordApi();
  await discord.start();
  const keys = keyPair();
  const h = await startHayon({
    env: {
      discordToken: discord.botToken,
      discordAppId: discord.applicationId,
      discordPublicKey: keys.publicHex,
      discordApiUrl: discord.apiUrl,
    },
    ...options,
  });
  await h.ctx.accounts.add(h.workspaceId, 'bluesky', { identifier: 'alice.test', appPassword: 'pw' });
  return { discord, h, keys, made: 0 };
}

export async function stopDiscordRig(rig: DiscordRig): Promise<void> {
  await rig.h.stop();
  await rig.discord.stop();
}

/** An interaction from a guild member (alice, who may manage the guild, by default); returns its token. */
export function newInteraction(
  rig: DiscordRig,
  type: number,
  data: Record<string, unknown>,
  member: Record<string, unknown> = { user: alice, roles: [] as string[], permissions: manageGuild },
  extra: Record<string, unknown> = {},
) {
  const n = ++rig.made;
  const token = `interaction-token-${n}`;
  rig.discord.addInteraction(token, channel, { answeredOverHttp: true });
  const payload = { id: `14000000000000000${n}`, application_id: rig.discord.applicationId, type, token, version: 1 };
  return { token, payload: { ...payload, guild_id: guild, channel_id: channel, member, data, ...extra } };
}
