import { SimulatedMarket } from '../../sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../sources/sim/SimulatedEventEmitter.ts';

/**
 * `n` lines of a Simulated-market recording (BTC-USDT, seeded) as the NDJSON a user imports: the
 * replay bench's and the e2e's recordings.
 */
export function simRecordingText(n: number, seed: number): string {
  const m = new SimulatedMarket({ seed, startTime: 1_700_000_000, symbols: [SIM_SYMBOLS[0]!] });
  const out: string[] = [];
  for (const e of m) {
    out.push(
      JSON.stringify({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e }),
    );
    if (out.length >= n) break;
  }
  return out.join('\n') + '\n';
}
