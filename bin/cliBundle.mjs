// Is the prebuilt CLI bundle (dist-cli/, written by scripts/build-cli.mjs) safe to run? Only if
// every file it was built from is no newer than the build: a developer who edits src/ must never
// run stale code. The bundle's manifest lists those files (sources, bundled packages, the build
// script, package.json) relative to itself, so this costs one read and ~200 stats (< 2 ms).
import { readFileSync, statSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

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
    const dir = fileURLToPath(distDir);
    for (const file of outputs) statSync(filePath(dir, distDir, file));
    for (const file of inputs) {
      const st = statSync(filePath(dir, distDir, file), NO_THROW);
      if (st === undefined || st.mtimeMs > builtAtMs) return false;
    }
  } catch {
    return false;
  }
  return true;
}

const NO_THROW = { throwIfNoEntry: false };

/**
 * The path of manifest entry `ref` (a relative URL reference): what `new URL(ref, distDir)` names,
 * without a URL object per file — a few hundred of those were a third of the launcher's time.
 * `dir` is `distDir` as a path, with its trailing separator.
 */
function filePath(dir, distDir, ref) {
  // Leading `../` segments only (what path.relative writes), plain names, %-escapes: by hand.
  let base = dir.length - 1;
  let at = 0;
  while (ref.startsWith('../', at)) {
    base = dir.lastIndexOf('/', base - 1);
    at += 3;
  }
  const rest = ref.slice(at);
  if (base < 0 || rest.includes('./') || rest.includes('\\')) return new URL(ref, distDir);
  return dir.slice(0, base + 1) + (rest.includes('%') ? decodeURIComponent(rest) : rest);
}
