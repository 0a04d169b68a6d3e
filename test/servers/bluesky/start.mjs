#!/usr/bin/env node
// A local Bluesky PDS for hayon's tests: an in-memory PLC directory plus a PDS whose data lives in
// a temp dir that is removed on exit. Prints one JSON line `{"url","adminPassword"}` on stdout
// when it accepts requests (and writes it to $PDS_INFO_FILE when set); stops on SIGTERM/SIGINT
// (and, when spawned with an IPC channel, when its parent disconnects).
//
// Env: PDS_PORT (default: a free port), PDS_INFO_FILE, LOG_ENABLED=true for the PDS's own pino
// logs (on stdout too, unless LOG_DESTINATION names a file: look for the line with "url").
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secp256k1Keypair } from '@atproto/crypto';
import { PDS, envToCfg, envToSecrets } from '@atproto/pds';
import plc from '@did-plc/server';

/** Asks the OS for a port that is free right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const hex = (n) => randomBytes(n).toString('hex');

/** Starts PLC and PDS; returns the ready info and a function that stops both. */
async function start(dir) {
  const plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: await freePort() });
  const plcHttp = await plcServer.start();
  const plcUrl = `http://localhost:${plcHttp.address().port}`;

  const port = process.env.PDS_PORT ? Number(process.env.PDS_PORT) : await freePort();
  const rotationKey = await Secp256k1Keypair.create({ exportable: true });
  const recoveryKey = await Secp256k1Keypair.create();
  const adminPassword = hex(16);
  const env = {
    devMode: true,
    port,
    hostname: 'localhost',
    dataDirectory: dir,
    blobstoreDiskLocation: join(dir, 'blobs'),
    didPlcUrl: plcUrl,
    recoveryDidKey: recoveryKey.did(),
    plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString('hex'),
    adminPassword,
    jwtSecret: hex(32),
    serviceHandleDomains: ['.test'],
    inviteRequired: false,
    // No AppView or moderation service runs here; the PDS needs the settings but never calls
    // them for the repo methods hayon uses.
    bskyAppViewUrl: 'http://localhost:1',
    bskyAppViewDid: 'did:example:appview',
    modServiceUrl: 'http://localhost:1',
    modServiceDid: 'did:example:mod',
    rateLimitsEnabled: false,
  };
  const pds = await PDS.create(envToCfg(env), envToSecrets(env)).catch(async (err) => {
    await plcServer.destroy();
    throw err;
  });
  await pds.start();
  return {
    info: { url: `http://localhost:${port}`, adminPassword, plcUrl },
    async stop() {
      await pds.destroy();
      await plcServer.destroy();
    },
  };
}

const dir = await mkdtemp(join(tmpdir(), 'hayon-pds-'));
const infoFile = process.env.PDS_INFO_FILE;
const starting = start(dir);
let stopping = false;

/** Stops the servers (after startup finished, if a signal came during it) and cleans up. */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  try {
    const servers = await starting.catch(() => null);
    await servers?.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (infoFile) await rm(infoFile, { force: true });
  }
  process.exit(code);
}
// Registered before startup so that a signal during it still removes the temp dir.
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
// Started by the test harness with an IPC channel: stop when that parent goes away.
if (process.connected) process.on('disconnect', () => void shutdown(0));

try {
  const { info } = await starting;
  const line = JSON.stringify(info);
  if (infoFile) await writeFile(infoFile, `${line}\n`);
  process.stdout.write(`${line}\n`);
} catch (err) {
  process.stderr.write(`bluesky test PDS failed to start: ${err?.stack ?? err}\n`);
  await shutdown(1);
}
