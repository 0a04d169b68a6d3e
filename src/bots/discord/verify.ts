import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key (64 hex characters from the developer portal) as a key object. */
export function discordPublicKey(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ed25519SpkiPrefix, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

/**
 * Discord's interaction signature: Ed25519 over `timestamp + body` with the application's public
 * key (`X-Signature-Ed25519`, hex; `X-Signature-Timestamp`). Discord sends a forged one now and
 * then to check that endpoints refuse it.
 */
export function verifyDiscordSignature(input: {
  publicKey: KeyObject;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
}): boolean {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature)) return false;
  try {
    return verify(null, Buffer.from(timestamp + input.body), input.publicKey, Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
}
