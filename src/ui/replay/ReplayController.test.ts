import { describe, expect, it } from 'vitest';
import { SimulatedMarket } from '../../sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../sources/sim/SimulatedEventEmitter.ts';
import { DEFAULT_PIPELINE } from '../state/defaultPipeline.ts';
import { ReplayController, upperBound } from './ReplayController.ts';
import { replayStore } from './replayStore.ts';

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

const { lines, ts } = recording(3000);
const make = (deliver: (id: string, e: unknown) => void = () => {}) =>
  new ReplayController({ doc: DEFAULT_PIPELINE, recordingId: 'r', name: 'r', lines, ts, deliver });

describe('ReplayController', () => {
  it('maps time to lines: a seek to t processes every line received at or before t', () => {
    const c = make();
    const t = ts[1234]!;
    c.seekTime(t);
    c.finishSeek();
    expect(replayStore.getState().position).toBe(upperBound(ts, t));
    expect(replayStore.getState().t).toBe(t);
    c.dispose();
  });

  it('steps one event forward and back, deterministically', () => {
    const c = make();
    const at: number[] = [];
    for (let i = 0; i < 3; i++) {
      c.step(1);
      at.push(replayStore.getState().position);
    }
    expect(at[0]).toBeLessThan(at[1]!);
    c.step(-1);
    expect(replayStore.getState().position).toBe(at[1]);
    c.dispose();
  });

  it("delivers, after a seek, each node's latest value as of the target", () => {
    const direct = new Map<string, unknown>();
    const a = make((id, e) => direct.set(id, e));
    a.seekLine(2000);
    a.finishSeek();
    a.dispose();
    const played = new Map<string, unknown>();
    const b = make((id, e) => played.set(id, e));
    b.playToEnd();
    b.seekLine(2000);
    b.finishSeek();
    expect(played).toEqual(direct);
    b.dispose();
  });
});
