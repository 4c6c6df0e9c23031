// Test helpers: run the real launcher (bin/featurizer.mjs) as a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const FIXTURES = path.join(ROOT, 'e2e/fixtures/determinism');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `featurizer <args>` in `cwd`, as a user would run it. */
export function featurizer(
  args: readonly string[],
  cwd = ROOT,
  env: Readonly<Record<string, string>> = {},
): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/featurizer.mjs'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'featurizer-cli-'));
}
