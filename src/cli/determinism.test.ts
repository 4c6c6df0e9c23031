import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../core/batch/runBatch.ts';
import { FIXTURES, featurizer, tempDir } from '../testing/cli/cliHarness.ts';

const config = readFileSync(`${FIXTURES}/config.yaml`, 'utf8');
const input = readFileSync(`${FIXTURES}/input.ndjson`, 'utf8');
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('byte determinism', { timeout: 60_000 }, () => {
  it.each(['ndjson', 'csv'] as const)(
    '%s: same input twice ⇒ identical bytes, CLI = runBatch',
    (format) => {
      const a = runBatch(config, input, { format });
      const b = runBatch(config, input, { format });
      expect(a.length).toBeGreaterThan(10_000);
      expect(sha(a)).toBe(sha(b));
      // The CLI streams lines through readline into a file: it must give the same bytes as the
      // string entry point the browser uses.
      const out = `${tempDir()}/out.${format}`;
      const r = featurizer([
        'run',
        '-c',
        `${FIXTURES}/config.yaml`,
        '-i',
        `${FIXTURES}/input.ndjson`,
        '-o',
        out,
        '-q',
      ]);
      expect(r.code).toBe(0);
      expect(sha(readFileSync(out, 'utf8'))).toBe(sha(a));
    },
  );
});
