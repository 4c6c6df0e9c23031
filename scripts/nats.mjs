#!/usr/bin/env node
// Finds (or installs) `nats-server` and starts it for tests, the bench and local development:
// JetStream on, its store in a fresh temp folder, the websocket listener on (no TLS: 127.0.0.1
// only), both on free ports. Like scripts/find-chromium.mjs, it installs what is missing.
//
// Search order: $NATS_SERVER_PATH, `nats-server` on PATH, /usr/sbin and /usr/bin. If nothing is
// found: as root, install Debian's `nats-server` with apt-get; otherwise fail with the command
// to run.
//
// Usage: `node scripts/nats.mjs` prints the binary's path; `node scripts/nats.mjs start` starts a
// server and prints its URLs until Ctrl-C; `import { startNatsServer }` from code (tests, bench).
import { execSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SYSTEM_PATHS = [
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first usable nats-server, or undefined. Never installs anything. */
export function locateNatsServer() {
  const fromEnv = process.env.NATS_SERVER_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    console.error(`NATS_SERVER_PATH=${fromEnv} is not an executable file; searching elsewhere.`);
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'nats-server'));
  return [...onPath, ...SYSTEM_PATHS].find(isExecutable);
}

/** A nats-server binary, installed with apt-get (as root) when the machine has none. */
export function findNatsServer() {
  const found = locateNatsServer();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      'nats-server not found and not running as root: install it with ' +
        '`sudo apt-get install nats-server`, or set NATS_SERVER_PATH',
    );
  }
  console.error("nats-server not found: installing Debian's nats-server with apt-get…");
  for (const command of [
    'apt-get update',
    'DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server',
  ]) {
    console.error(`$ ${command}`);
    execSync(command, { stdio: ['ignore', 2, 2] });
  }
  const installed = locateNatsServer();
  if (!installed) throw new Error('apt-get installed nats-server, but no binary was found');
  return installed;
}

/** A TCP port free right now on 127.0.0.1 (the OS picks it). */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function canConnect(port) {
  return new Promise((ok) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => (c.destroy(), ok(true)));
    c.once('error', () => ok(false));
  });
}

/**
 * Start a nats-server on free ports with JetStream (store in a new temp folder) and the
 * websocket listener. Options: `auth: { token }` or `auth: { user, password }` to require
 * credentials. Resolves once both ports accept connections; `stop()` ends it and removes the
 * store. `pause()`/`resume()` are not offered: tests pause workers, not the server.
 */
export async function startNatsServer(options = {}) {
  const bin = findNatsServer();
  const dir = mkdtempSync(join(tmpdir(), 'featurizer-nats-'));
  const port = await freePort();
  const wsPort = await freePort();
  const auth = options.auth;
  const authConf = auth?.token
    ? `authorization { token: ${JSON.stringify(auth.token)} }`
    : auth?.user
      ? `authorization { user: ${JSON.stringify(auth.user)}, password: ${JSON.stringify(auth.password)} }`
      : '';
  // The store limits are sized for tests and the bench; docs/cluster-setup.md has production values.
  const conf = [
    `listen: "127.0.0.1:${port}"`,
    `max_payload: 8MB`,
    `jetstream { store_dir: ${JSON.stringify(join(dir, 'js'))}, max_memory_store: 256MB, max_file_store: 4GB }`,
    `websocket { listen: "127.0.0.1:${wsPort}", no_tls: true }`,
    authConf,
  ].join('\n');
  const confFile = join(dir, 'nats.conf');
  writeFileSync(confFile, conf);
  const child = spawn(bin, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => {
    log = (log + d).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 20_000;
  while (!(await canConnect(port)) || !(await canConnect(wsPort))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nats-server did not start (${bin}):\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    port,
    wsPort,
    dir,
    pid: child.pid,
    log: () => log,
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'start') {
    const s = await startNatsServer();
    console.log(`nats: ${s.url}\nwebsocket: ${s.wsUrl}\nstore: ${s.dir}\n(Ctrl-C stops it)`);
    const stop = () => s.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } else {
    try {
      console.log(findNatsServer());
    } catch (e) {
      console.error(e.message);
      process.exit(1);
    }
  }
}
