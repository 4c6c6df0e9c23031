import { snapshot, ticker, update } from '../core/gapRecording.ts';
import { simMarketEvents } from '../sources/simReplay.ts';
import { simLines } from '../../session/Session.ts';

/**
 * Venue line `v` of a Coinbase connection: a book snapshot every 31 lines, else book updates and
 * tickers; one sequence number in 23 is lost, so the adapter drops the book's updates until the
 * next snapshot. What a line decodes to depends on the lines before it (the decoder's state).
 */
function venueLine(v: number): string {
  const seq = v + Math.floor(v / 23);
  const s = v + 1;
  if (v % 31 === 0) return snapshot(seq, s, 100 + (v % 5), 110 + (v % 3));
  return v % 2 === 0 ? update(seq, s, 100 + (v % 7) / 8) : ticker(seq, s);
}

/**
 * Recording lines mixing stateful venue frames (a venue line every 7 lines, so the adapter's
 * state crosses chunks and checkpoints), SIM events of book, trades and ticker, and a blank line.
 */
export function mixedRecordingLines(n: number, seed = 7): string[] {
  const sim = simLines(simMarketEvents(n, seed));
  const out: string[] = [];
  for (let i = 0, v = 0; i < sim.length; i++) {
    if (i % 7 === 5) out.push(venueLine(v++));
    if (i === 300) out.push('');
    out.push(sim[i]!);
  }
  return out;
}
