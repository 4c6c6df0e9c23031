#!/usr/bin/env node
// `npm run test:e2e`: find (or install) a system Chromium, build the app, run the Playwright suite.
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-chromium.mjs';
import { findNatsServer } from './nats.mjs';

function run(command, args, env = process.env) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const started = Date.now();
let chromium;
try {
  chromium = findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
console.log(`Using Chromium at ${chromium}`);
// e2e/cluster.spec.ts starts its own nats-server (JetStream + websocket): find or install it
// here, once, as for Chromium.
let natsServer;
try {
  natsServer = findNatsServer();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
console.log(`Using nats-server at ${natsServer}`);

run('npx', ['vite', 'build']);
run('npx', ['playwright', 'test', ...process.argv.slice(2)], {
  ...process.env,
  CHROMIUM_PATH: chromium,
  NATS_SERVER_PATH: natsServer,
});
console.log(`e2e done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
