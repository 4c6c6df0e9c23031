import { describe, expect, it } from 'vitest';
import { upperBound } from '../recording/ChunkWindow.ts';
import { memoryChunkStore } from '../recording/chunkStores.ts';
import { SimulatedMarket } from '../sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../sources/sim/SimulatedEventEmitter.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { ReplayController } from './ReplayController.ts';
import { ReplayEngine } from './ReplayEngine.ts';
import { arrayLines } from '../testing/session/arrayLines.ts';
import { replayStatePort } from './replayState.ts';

function recording(n: number) {
  const m = new SimulatedMarket({
    seed: 5,
    startTime: 1e9,
    symbols: [SIM_SYMBOLS[0]!],
    exchange: 'SIM',
  });
  const lines: string[] = [];
  const ts: number[] = [];
  for (const e of m) {
    lines.push(
      JSON.stringify({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e }),
    );
    ts.push(Math.max(ts[ts.length - 1] ?? 0, e.event.receipt_timestamp));
    if (lines.length >= n) break;
  }
  return { lines, ts };
}

const { lines, ts } = recording(5000);
/** The controllers publish here, as the studio's do into its replayStore. */
const replayStore = replayStatePort();
/** Chunks of 300 lines, 2 read ahead: every test pages through the window many times. */
const make = (
  deliver: (id: string, e: unknown) => void = () => {},
  store = memoryChunkStore(lines, ts, 300),
) =>
  new ReplayController({
    doc: DEFAULT_PIPELINE,
    recordingId: 'r',
    name: 'r',
    store,
    total: lines.length,
    start: ts[0]!,
    end: ts[ts.length - 1]!,
    deliver,
    readAhead: 2,
    state: replayStore,
  });

describe('ReplayController', () => {
  it('maps time to lines: a seek to t processes every line received at or before t', async () => {
    const c = make();
    for (const i of [1234, 4321, 17]) {
      const t = ts[i]!;
      c.seekTime(t);
      await new Promise((r) => setTimeout(r, 0));
      await c.finishSeek();
      expect(replayStore.getState().position).toBe(upperBound(ts, t));
      expect(replayStore.getState().t).toBe(t);
    }
    c.dispose();
  });

  it('steps one event forward and back, deterministically', async () => {
    const c = make();
    c.seekLine(2990);
    await c.finishSeek();
    const at: number[] = [];
    for (let i = 0; i < 3; i++) {
      await c.step(1);
      at.push(replayStore.getState().position);
    }
    expect(at[0]).toBeLessThan(at[1]!);
    await c.step(-1);
    expect(replayStore.getState().position).toBe(at[1]);
    await c.step(-1);
    expect(replayStore.getState().position).toBe(at[0]);
    c.dispose();
  });

  it("delivers, after a seek, each node's latest value as of the target", async () => {
    const direct = new Map<string, unknown>();
    const a = make((id, e) => direct.set(id, e));
    a.seekLine(2000);
    await a.finishSeek();
    a.dispose();
    const played = new Map<string, unknown>();
    const b = make((id, e) => played.set(id, e));
    await b.playToEnd();
    b.seekLine(2000);
    await b.finishSeek();
    expect(played).toEqual(direct);
    b.dispose();
  });

  it('streams: plays everything as an in-memory replay does, holding a bounded window', async () => {
    const want: string[] = [];
    new ReplayEngine(DEFAULT_PIPELINE, arrayLines(lines), (id, e) =>
      want.push(JSON.stringify([id, e])),
    ).runTo(lines.length);
    const got: string[] = [];
    const store = memoryChunkStore(lines, ts, 100);
    const c = make((id, e) => got.push(JSON.stringify([id, e])), store);
    let most = 0;
    const read = store.read.bind(store);
    store.read = (from, n) => {
      most = Math.max(most, c.window.held);
      return read(from, n);
    };
    await c.playToEnd();
    expect(got).toEqual(want);
    expect(replayStore.getState().position).toBe(lines.length);
    // 50 chunks, never more than read-ahead + 2 held, read in a few batches rather than one by one.
    expect(most).toBeLessThanOrEqual(4);
    expect(store.reads).toBeLessThan(40);
    c.dispose();
  });
});
