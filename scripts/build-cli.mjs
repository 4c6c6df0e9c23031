#!/usr/bin/env node
// Prebuild the CLI: bundle src/cli/main.ts and the Node stream-worker entry used by `--workers`
// into dist-cli/ (gitignored) with esbuild, so `featurizer` starts without transpiling TypeScript
// (tsx at every start cost ~0.5 s). Runs at postinstall (see scripts/link-bin.mjs) and as
// `npm run build:cli`; bin/featurizer.mjs uses the bundle only while bundleIsFresh() says so.
//
//   node scripts/build-cli.mjs [--if-stale] [--best-effort] [--root DIR] [--out DIR]
//
// The output mirrors src/ (dist-cli/cli/main.mjs, dist-cli/session/worker/nodeStreamWorker.mjs) so
// the sources' `new URL('../…', import.meta.url)` lookups (package.json, the worker entry) resolve
// the same way bundled as from source. Code is split at dynamic imports (chunks beside main.mjs in
// dist-cli/cli/, so their `import.meta.url` lookups resolve as main's do): `--help` loads ~20 kB,
// `run` leaves out the user-definition compiler, the NATS client and the live feeds.
import { createRequire } from 'node:module';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MANIFEST, bundleIsFresh } from '../bin/cliBundle.mjs';

const SELF = fileURLToPath(import.meta.url);
const REPO = path.dirname(path.dirname(SELF));

/** Entry points, relative to the root's src/ (their output path under dist-cli/ is the same). */
export const ENTRIES = ['cli/main.ts', 'session/worker/nodeStreamWorker.ts'];

/** esbuild: tsx's own dependency (hoisted by npm), else resolved from tsx's install directory. */
async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    const fromTsx = createRequire(fileURLToPath(import.meta.resolve('tsx/esm/api')));
    return import(pathToFileURL(fromTsx.resolve('esbuild')).href);
  }
}

/** A path relative to `dir`, as a URL reference (the manifest is read with `new URL(ref, dir)`). */
function urlRef(dir, file) {
  return path.relative(dir, file).split(path.sep).map(encodeURIComponent).join('/');
}

/**
 * Bundle the CLI of the project at `root` into `outDir`, atomically: it is written beside
 * `outDir` and swapped in, so a concurrent `featurizer` sees the old bundle, none (and runs from
 * source), or the new one, never half of one. Returns the output directory.
 */
export async function buildCli({ root = REPO, outDir = path.join(root, 'dist-cli') } = {}) {
  const esbuild = await loadEsbuild();
  // Taken before esbuild reads anything: a source saved during the build counts as newer.
  const builtAtMs = Date.now();
  const tmp = `${outDir}.tmp-${process.pid}-${builtAtMs}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ENTRIES.map((e) => ({ in: `src/${e}`, out: e.replace(/\.ts$/, '') })),
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      splitting: true,
      chunkNames: 'cli/[name]-[hash]',
      target: 'node20',
      // Less source for V8 to compile at every start; identifiers stay, so stack traces read.
      minifyWhitespace: true,
      minifySyntax: true,
      metafile: true,
      logLevel: 'error',
      // Bundled CommonJS packages may call require(); ESM output has none of its own.
      banner: {
        js: "import { createRequire as __featurizerRequire } from 'node:module'; const require = __featurizerRequire(import.meta.url);",
      },
    });
    const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(root, f));
    inputs.push(SELF, fileURLToPath(new URL('../bin/cliBundle.mjs', import.meta.url)));
    inputs.push(path.join(root, 'package.json'));
    const outputs = Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f));
    const manifest = {
      builtAtMs,
      inputs: [...new Set(inputs)].map((f) => urlRef(outDir, f)),
      outputs: outputs.map((f) => urlRef(tmp, f)),
    };
    writeFileSync(path.join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
    const old = `${outDir}.old-${process.pid}-${builtAtMs}`;
    mkdirSync(path.dirname(outDir), { recursive: true });
    try {
      renameSync(outDir, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(tmp, outDir);
    } catch (error) {
      // A concurrent build swapped its bundle in first; it is built from the same files.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    }
    rmSync(old, { recursive: true, force: true });
    return outDir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const { values } = parseArgs({
    options: {
      'if-stale': { type: 'boolean' },
      'best-effort': { type: 'boolean' },
      root: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const root = path.resolve(values.root ?? REPO);
  const outDir = path.resolve(values.out ?? path.join(root, 'dist-cli'));
  if (values['if-stale'] && bundleIsFresh(pathToFileURL(`${outDir}/`))) {
    console.log(`build-cli: ${path.relative(process.cwd(), outDir) || '.'} is up to date`);
  } else {
    try {
      await buildCli({ root, outDir });
      console.log(`build-cli: bundled the CLI into ${path.relative(process.cwd(), outDir) || '.'}`);
    } catch (error) {
      // At postinstall a failed build must not fail the install: the bin runs from source.
      if (!values['best-effort']) throw error;
      console.warn(`build-cli: no prebuilt CLI (featurizer runs from source): ${error.message}`);
    }
  }
}
