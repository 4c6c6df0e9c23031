// Drives a headless Session in Node (no DOM): its outputs over a recording's lines must equal the
// pure BatchRunner's over the same events, node by node and event by event.
import { describe, expect, it, vi } from 'vitest';
import { BatchRunner } from '../core/batch/BatchRunner.ts';
import { featuresFromPipeline } from '../core/config/PipelineDoc.ts';
import type { Event, MarketEvent } from '../core/events.ts';
import { SimulatedMarket } from '../sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../sources/sim/SimulatedEventEmitter.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { Session, type SessionListener, simLines } from './Session.ts';

function marketEvents(n: number): MarketEvent[] {
  const m = new SimulatedMarket({ seed: 11, startTime: 1.7e9, symbols: [SIM_SYMBOLS[0]!] });
  const out: MarketEvent[] = [];
  for (const e of m) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

/** Each node's outputs from the batch runner, run over the events one feature at a time. */
function batchOutputs(events: readonly MarketEvent[]): Map<string, Event[]> {
  const { byNodeId } = featuresFromPipeline(DEFAULT_PIPELINE);
  const want = new Map<string, Event[]>();
  for (const [nodeId, f] of byNodeId) {
    const runner = new BatchRunner([f], { format: 'ndjson' });
    const text = events.map((e) => runner.pushEvent(e)).join('') + runner.finish();
    const list: Event[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      const { feature: _label, ...e } = JSON.parse(line) as Event & { feature: string };
      list.push(e);
    }
    want.set(nodeId, list);
  }
  return want;
}

/** A listener collecting each node's outputs as they are delivered, in batches. */
function collector() {
  const got = new Map<string, Event[]>();
  let seen = 0;
  const listener: SessionListener = {
    onOutputs: (batch) => {
      for (const b of batch) {
        const list = got.get(b.nodeId) ?? [];
        // Through JSON, as the batch runner's NDJSON is.
        list.push(...b.events.map((e) => JSON.parse(JSON.stringify(e)) as Event));
        got.set(b.nodeId, list);
        seen += b.events.length;
      }
    },
  };
  /** Once the last batch is out (batches are timer-flushed), every node's outputs. */
  const all = async (total: number) => {
    await vi.waitFor(() => expect(seen).toBe(total), { timeout: 5000 });
    return got;
  };
  return { listener, all };
}

describe('Session', { timeout: 60_000 }, () => {
  const events = marketEvents(4000);
  const want = batchOutputs(events);
  const total = [...want.values()].reduce((n, l) => n + l.length, 0);

  it('the batch reference is not empty: every node of the default pipeline outputs', () => {
    for (const [nodeId, list] of want) expect(list.length, nodeId).toBeGreaterThan(0);
  });

  it.each(['lines', 'events'] as const)(
    'plays %s to the end with exactly the batch runner’s outputs, node by node',
    async (kind) => {
      const source =
        kind === 'lines'
          ? { kind: 'lines' as const, lines: simLines(events) }
          : { kind: 'events' as const, events };
      const c = collector();
      const session = new Session({ doc: DEFAULT_PIPELINE, source }, c.listener);
      expect([...session.capabilities]).toEqual(['playback']);
      session.start();
      expect(session.playback).toBeDefined();
      await session.playback!.playToEnd();
      const got = await c.all(total);
      session.stop();
      expect(new Set(got.keys())).toEqual(new Set(want.keys()));
      for (const [nodeId, list] of want) expect(got.get(nodeId), nodeId).toEqual(list);
    },
  );

  it('seeking back to the start and playing again gives the same outputs', async () => {
    const first = collector();
    const again = collector();
    let sink = first.listener;
    const session = new Session(
      { doc: DEFAULT_PIPELINE, source: { kind: 'events', events } },
      { onOutputs: (b) => sink.onOutputs!(b) },
    );
    session.start();
    await session.playback!.playToEnd();
    await first.all(total);
    session.playback!.seekLine(0);
    await session.playback!.finishSeek();
    sink = again.listener;
    await session.playback!.playToEnd();
    const got = await again.all(total);
    session.stop();
    for (const [nodeId, list] of want) expect(got.get(nodeId), nodeId).toEqual(list);
  });

  it('offers only what its source can do, and says so', async () => {
    const session = new Session({ doc: DEFAULT_PIPELINE, source: { kind: 'events', events } });
    expect(() => session.record('r', true)).toThrow(/events source cannot record/);
    await expect(session.compare()).rejects.toThrow(/events source cannot compare/);
    await expect(session.outputs('csv')).rejects.toThrow(/events source cannot export/);
    const live = new Session({ doc: DEFAULT_PIPELINE, source: { kind: 'live' } });
    expect(live.playback).toBeUndefined();
    expect([...live.capabilities].sort()).toEqual(['feedStatus', 'record', 'telemetry']);
    expect(() =>
      new Session({
        doc: DEFAULT_PIPELINE,
        source: { kind: 'live' },
        scaling: { kind: 'per-source' },
      }).start(),
    ).toThrow(/needs a worker platform/);
  });

  it('names the line of a recording line without a receipt time', () => {
    const lines = [...simLines(events.slice(0, 2)), '{"exchange":"SIM"}'];
    const session = new Session({ doc: DEFAULT_PIPELINE, source: { kind: 'lines', lines } });
    expect(() => session.start()).toThrow(/line 3: "receipt_timestamp"/);
  });
});
