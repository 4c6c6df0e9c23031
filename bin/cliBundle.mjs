// Is the prebuilt CLI bundle (dist-cli/, written by scripts/build-cli.mjs) safe to run? Only if
// every file it was built from is no newer than the build: a developer who edits src/ must never
// run stale code. The bundle's manifest lists those files (sources, bundled packages, the build
// script, package.json) relative to itself, so this costs one read and ~200 stats (< 2 ms).
import { readFileSync, statSync } from 'node:fs';
import { URL } from 'node:url';

/** The manifest's file name inside the bundle directory. */
export const MANIFEST = 'manifest.json';

/**
 * True when `distDir` (a directory URL ending in `/`) holds a complete bundle that is at least as
 * new as each of its inputs. A missing or unreadable manifest, a missing output, or any input that
 * is missing or modified after the build started all mean "not fresh".
 */
export function bundleIsFresh(distDir) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL(MANIFEST, distDir), 'utf8'));
  } catch {
    return false;
  }
  const { builtAtMs, inputs, outputs } = manifest ?? {};
  if (typeof builtAtMs !== 'number' || !Array.isArray(inputs) || !Array.isArray(outputs)) {
    return false;
  }
  try {
    for (const file of outputs) statSync(new URL(file, distDir));
    for (const file of inputs) {
      if (statSync(new URL(file, distDir)).mtimeMs > builtAtMs) return false;
    }
  } catch {
    return false;
  }
  return true;
}
