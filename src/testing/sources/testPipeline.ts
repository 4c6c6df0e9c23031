import { readFileSync } from 'node:fs';

export { MULTI_CONFIG, multiFeatures } from './multiPipeline.ts';

/** The committed determinism fixture: 850 simulated BTC and ETH events. */
export function fixtureLines(): string[] {
  const url = new URL('../../../e2e/fixtures/determinism/input.ndjson', import.meta.url);
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}
