import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Event } from '../core/events.ts';
import { openStudioDb } from '../storage/db.ts';
import { RecordingWriter } from '../recording/RecordingWriter.ts';
import type { RecordLine } from '../recording/lineHead.ts';
import { SimulatedMarket } from '../sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../sources/sim/SimulatedEventEmitter.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { compareRecording } from './compareRecording.ts';
import { ReplayEngine } from './ReplayEngine.ts';
import { arrayLines } from '../testing/session/arrayLines.ts';

const market = new SimulatedMarket({
  seed: 9,
  startTime: 1e9,
  symbols: [SIM_SYMBOLS[0]!],
  exchange: 'SIM',
});
const lines: string[] = [];
for (const e of market) {
  lines.push(
    JSON.stringify({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e }),
  );
  if (lines.length >= 4000) break;
}
/** What each line produced (the replay equals live: replay.test.ts proves it). */
const outs: [string, Event][][] = lines.map(() => []);
new ReplayEngine(DEFAULT_PIPELINE, arrayLines(lines), (node, e, line) =>
  outs[line]!.push([node, e]),
).runTo(lines.length);

/** Record the session as the live recorder does: each line, then the outputs it caused. */
async function recorded(tamper?: { line: number }): Promise<ReturnType<typeof openStudioDb>> {
  const db = await openStudioDb(`compare-${Math.random()}`);
  const w = await RecordingWriter.create(db, { id: 'r', name: 'r', outputs: true, maxLines: 250 });
  for (let i = 0; i < lines.length; i++) {
    w.line(JSON.parse(lines[i]!) as RecordLine, lines[i]);
    for (const [node, e] of outs[i]!) {
      w.output(node, tamper?.line === i ? { ...e, timestamp: e.timestamp + 1 } : e);
    }
    if (i % 250 === 249) await Promise.resolve();
  }
  await w.close();
  return db;
}

describe('compareRecording (what the Compare worker runs)', { timeout: 60_000 }, () => {
  it('streams a stored recording and finds it identical, reporting progress', async () => {
    const db = await recorded();
    const progress: number[] = [];
    const r = await compareRecording(
      db,
      { recordingId: 'r', doc: DEFAULT_PIPELINE, tolerance: 0 },
      (p) => progress.push(p),
    );
    expect(r.divergence).toBeUndefined();
    expect(r.compared).toBe(outs.flat().length);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(1);
    db.close();
  });

  it('reports the first divergence and stops reading once it is known', async () => {
    const at = outs.findIndex((o, i) => i > 1000 && o.length > 0);
    const db = await recorded({ line: at });
    const progress: number[] = [];
    const r = await compareRecording(
      db,
      { recordingId: 'r', doc: DEFAULT_PIPELINE, tolerance: 0 },
      (p) => progress.push(p),
    );
    const [node, e] = outs[at]![0]!;
    expect(r.divergence).toMatchObject({ nodeId: node, field: 'timestamp', time: e.timestamp + 1 });
    expect(r.compared).toBe(outs.slice(0, at).flat().length + 1);
    expect(progress[progress.length - 1]).toBeLessThan(1);
    db.close();
  });
});
