#!/usr/bin/env node
// `npm run test:e2e`: find (or install) a system Chromium, build the app, run the Playwright suite.
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-chromium.mjs';

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

run('npx', ['vite', 'build']);
run('npx', ['playwright', 'test', ...process.argv.slice(2)], {
  ...process.env,
  CHROMIUM_PATH: chromium,
});
console.log(`e2e done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
