#!/usr/bin/env node
// The `featurizer` command. It runs the prebuilt bundle in dist-cli/ (scripts/build-cli.mjs, run
// at postinstall and by `npm run build:cli`) when that bundle is at least as new as every file it
// was built from; otherwise, or when there is none, the TypeScript sources through tsx (a runtime
// dependency), so an edit under src/ is never shadowed by a stale bundle. tsx is only loaded on
// that path: transpiling at every start is what made startup take ~0.5 s.
// FEATURIZER_CLI=source forces the sources, FEATURIZER_CLI=bundle the bundle (even a stale one).
// Exit code comes from main().
/* global process */
// The global `process`, not `import … from 'node:process'`: importing it as an ES module copies
// every property of it, including the costly allowedNodeEnvironmentFlags.
import { URL } from 'node:url';
import { bundleIsFresh } from './cliBundle.mjs';

const dist = new URL('../dist-cli/', import.meta.url);
const mode = process.env.FEATURIZER_CLI ?? 'auto';

async function load() {
  if (mode === 'bundle' || (mode === 'auto' && bundleIsFresh(dist))) {
    try {
      return (await import(new URL('cli/main.mjs', dist).href)).main;
    } catch (error) {
      // Only a bundle deleted or being swapped by a rebuild after the check falls back.
      if (mode === 'bundle' || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/cli/main.ts')).main;
}

if (mode !== 'auto' && mode !== 'source' && mode !== 'bundle') {
  process.stderr.write(
    `error: FEATURIZER_CLI must be "auto", "source" or "bundle", got "${mode}"\n`,
  );
  process.exitCode = 2;
} else {
  const main = await load();
  process.exitCode = await main(process.argv.slice(2));
}
