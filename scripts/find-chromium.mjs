#!/usr/bin/env node
// Finds a Chromium binary for the e2e tests, installing one if the machine has none.
//
// Search order: $CHROMIUM_PATH, the Debian/Ubuntu system paths, then Playwright's browser cache.
// If nothing is found: as root, install Debian's `chromium` with apt-get (works on CI and on the
// developer machines, which reach Debian's mirrors but not Playwright's CDN); otherwise fall back to
// `npx playwright install chromium`. Then search again, and fail loudly if there is still nothing.
//
// Usage: `node scripts/find-chromium.mjs` prints the path; `import { findChromium }` returns it.
import { execSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chromium builds in Playwright's cache, newest revision first. */
function playwrightCacheCandidates() {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(cache)) return [];
  const revision = (dir) => Number(dir.split('-').pop()) || 0;
  const dirs = readdirSync(cache).sort((a, b) => revision(b) - revision(a));
  const out = [];
  for (const dir of dirs) {
    if (dir.startsWith('chromium-')) {
      out.push(
        join(cache, dir, 'chrome-linux', 'chrome'),
        join(cache, dir, 'chrome-linux64', 'chrome'),
      );
    }
  }
  for (const dir of dirs) {
    if (dir.startsWith('chromium_headless_shell-')) {
      out.push(
        join(cache, dir, 'chrome-linux', 'headless_shell'),
        join(cache, dir, 'chrome-headless-shell-linux64', 'chrome-headless-shell'),
      );
    }
  }
  return out;
}

/** Returns the first usable Chromium, or undefined. Never installs anything. */
export function locateChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    console.error(`CHROMIUM_PATH=${fromEnv} is not an executable file; searching elsewhere.`);
  }
  return [...SYSTEM_PATHS, ...playwrightCacheCandidates()].find(isExecutable);
}

function run(command) {
  console.error(`$ ${command}`);
  // stdout goes to stderr too, so that `node scripts/find-chromium.mjs` prints only the path.
  execSync(command, { stdio: ['ignore', 2, 2] });
}

function install() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    console.error("Chromium not found: installing Debian's chromium with apt-get…");
    const started = Date.now();
    run('apt-get update');
    run('DEBIAN_FRONTEND=noninteractive apt-get install -y chromium');
    console.error(`Installed chromium in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  } else {
    console.error(
      'Chromium not found and not running as root: downloading Playwright’s Chromium build ' +
        'into ~/.cache/ms-playwright with `npx playwright install chromium`…',
    );
    run('npx playwright install chromium');
  }
}

/** Returns the path of a Chromium binary, installing one first if there is none. */
export function findChromium() {
  const found = locateChromium();
  if (found) return found;
  try {
    install();
  } catch (error) {
    throw new Error(`Chromium not found, and installing it failed: ${error.message}`);
  }
  const installed = locateChromium();
  if (!installed) {
    throw new Error(
      'Chromium still not found after installing it. Looked at $CHROMIUM_PATH, ' +
        `${SYSTEM_PATHS.join(', ')} and ~/.cache/ms-playwright. ` +
        'Install Chromium and set CHROMIUM_PATH to its binary.',
    );
  }
  return installed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(findChromium());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
