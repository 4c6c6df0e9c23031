#!/usr/bin/env node
// postinstall: link this package's own `featurizer` bin into node_modules/.bin. npm never links a
// root package's bins into its own node_modules/.bin; npm 11's `npx featurizer` still finds it (it
// checks the local package's bins first and runs it from a symlink in the npx cache, offline), but
// older npm versions, other package managers and plain PATH use (`node_modules/.bin/featurizer`)
// need the link, and without it a missing bin could fall through to a registry lookup of an
// unrelated "featurizer" package. Idempotent, and never fails the install.
import { chmodSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const binDir = path.join(root, 'node_modules', '.bin');
const target = path.join('..', '..', 'bin', 'featurizer.mjs');
try {
  mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, 'featurizer');
  if (process.platform === 'win32') {
    writeFileSync(`${link}.cmd`, `@node "%~dp0\\${target}" %*\r\n`);
  } else {
    let current;
    try {
      current = readlinkSync(link);
    } catch {
      current = undefined;
    }
    if (current !== target) {
      rmSync(link, { force: true });
      symlinkSync(target, link);
    }
    chmodSync(path.join(root, 'bin', 'featurizer.mjs'), 0o755);
  }
} catch (error) {
  console.warn(`link-bin: could not link node_modules/.bin/featurizer: ${error.message}`);
}
