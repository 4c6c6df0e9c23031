// The worker replay's playback (worker_threads, one worker per source) against the in-thread
// ReplayController over the same lines: time → line, stepping, values after a seek, edits, errors.
import { describe, expect, it, vi } from 'vitest';
import { upperBound } from '../recording/ChunkWindow.ts';
import { memoryChunkStore } from '../recording/chunkStores.ts';
import { nodePlatform } from '../runtime/node/workerThreads.ts';
import { SimulatedMarket } from '../sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../sources/sim/SimulatedEventEmitter.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { ReplayController } from './ReplayController.ts';
import { replayStatePort } from './replayState.ts';
import { WorkerReplayController } from './WorkerReplayController.ts';

const platform = nodePlatform(new URL('./worker/nodeStreamWorker.ts', import.meta.url));

function recording(n: number) {
  const m = new SimulatedMarket({ seed: 5, startTime: 1e9, symbols: [SIM_SYMBOLS[0]!] });
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
const common = (
  state = replayStatePort(),
  deliver: (id: string, e: unknown) => void = () => {},
) => ({
  doc: DEFAULT_PIPELINE,
  recordingId: 'r',
  name: 'r',
  store: memoryChunkStore(lines, ts, 300),
  total: lines.length,
  start: ts[0]!,
  end: ts[ts.length - 1]!,
  deliver,
  state,
});

async function workers(
  state = replayStatePort(),
  deliver?: (id: string, e: unknown) => void,
  input: readonly string[] = lines,
) {
  let status: { workers: number } | { error: string } | undefined;
  const c = new WorkerReplayController({
    ...common(state, deliver),
    input: { kind: 'lines', lines: input, ts, chunkLines: 300 },
    platform,
    strategy: { kind: 'per-source' },
    onStatus: (s) => (status = s),
  });
  await vi.waitFor(() => expect(status).toBeDefined(), { timeout: 30_000 });
  return { c, state, status: () => status };
}

describe('WorkerReplayController', { timeout: 60_000 }, () => {
  it('runs on one worker per source and maps time to lines as the in-thread replay', async () => {
    const { c, state, status } = await workers();
    expect(status()).toEqual({ workers: 2 });
    // The Workers tab's rows: the book chain on one worker, the trades chain on the other.
    const rows = state.getState().workers!.map((w) => [...w.nodeIds].sort());
    expect(rows.flat().sort()).toEqual(DEFAULT_PIPELINE.nodes.map((n) => n.id).sort());
    expect(rows.map((ids) => ids.includes('book') !== ids.includes('trades'))).toEqual([
      true,
      true,
    ]);
    for (const i of [1234, 4321, 17]) {
      const t = ts[i]!;
      c.seekTime(t);
      // The line comes from the chunk store's time index first, then the seek runs.
      await vi.waitFor(() => expect(state.getState().position).toBe(upperBound(ts, t)), {
        timeout: 20_000,
      });
      await c.finishSeek();
      expect(state.getState().busy).toBeUndefined();
      expect(state.getState().t).toBe(t);
    }
    c.dispose();
  });

  it('steps one event forward and back exactly as the in-thread replay does', async () => {
    const positions = async (
      c: {
        seekLine(l: number): void;
        finishSeek(): Promise<void>;
        step(d: 1 | -1): Promise<void>;
        playToEnd(): Promise<void>;
      },
      state: ReturnType<typeof replayStatePort>,
    ) => {
      c.seekLine(2990);
      await c.finishSeek();
      const at: number[] = [];
      for (const d of [1, 1, 1, -1, -1] as const) {
        await c.step(d);
        at.push(state.getState().position);
      }
      // Right on a checkpoint line after a whole play (the remembered fed lines are a later
      // tail): back — found by replaying from the checkpoint before — then forward.
      await c.playToEnd();
      c.seekLine(2000);
      await c.finishSeek();
      for (const d of [-1, -1, 1] as const) {
        await c.step(d);
        at.push(state.getState().position);
      }
      return at;
    };
    const inState = replayStatePort();
    const inThread = new ReplayController(common(inState));
    const want = await positions(inThread, inState);
    inThread.dispose();
    expect(want[0]).toBeLessThan(want[1]!);
    const { c, state } = await workers();
    expect(await positions(c, state)).toEqual(want);
    c.dispose();
  });

  it("after a seek, shows each node's value as of the target, as the in-thread replay", async () => {
    const direct = new Map<string, unknown>();
    const a = new ReplayController(common(replayStatePort(), (id, e) => direct.set(id, e)));
    a.seekLine(4100);
    await a.finishSeek();
    a.dispose();
    const shown = new Map<string, unknown>();
    const { c } = await workers(replayStatePort(), (id, e) => shown.set(id, e));
    await c.playToEnd();
    c.seekLine(4100);
    await c.finishSeek();
    expect(shown).toEqual(direct);
    expect(shown.size).toBe(DEFAULT_PIPELINE.nodes.length);
    c.dispose();
  });

  it('pauses: the source workers stop at one line, and nothing moves until play', async () => {
    const { c, state } = await workers();
    c.setSpeed(25);
    c.play();
    await vi.waitFor(() => expect(state.getState().position).toBeGreaterThan(100), {
      timeout: 20_000,
    });
    c.pause();
    await new Promise((r) => setTimeout(r, 300));
    const at = state.getState().position;
    await new Promise((r) => setTimeout(r, 300));
    expect(state.getState().position).toBe(at);
    expect(state.getState().playing).toBe(false);
    c.dispose();
  });

  it('an edit mid-replay rebuilds the workers and comes back to the playhead', async () => {
    const { c, state } = await workers();
    c.seekLine(3000);
    await c.finishSeek();
    const edited = {
      ...DEFAULT_PIPELINE,
      nodes: DEFAULT_PIPELINE.nodes.map((n) =>
        n.id === 'volatility' ? { ...n, params: { window: '20s' } } : n,
      ),
    };
    c.rebuild(edited);
    await c.finishSeek();
    expect(state.getState().position).toBe(3000);
    c.dispose();
  });

  it('publishes the sources it runs on their feed worker against their placement, as live', async () => {
    const { c, state } = await workers();
    expect(state.getState().moved).toEqual([]);
    // A perpetual book of the same Simulated route, placed on w1: it joins the spot book's worker.
    const book = DEFAULT_PIPELINE.nodes.find((n) => n.id === 'book')!;
    const perp = { ...book.params, instrument_type: 'perpetual' };
    c.rebuild({
      ...DEFAULT_PIPELINE,
      nodes: [...DEFAULT_PIPELINE.nodes, { ...book, id: 'book2', worker: 'w1', params: perp }],
    });
    await c.finishSeek();
    await vi.waitFor(() =>
      expect(state.getState().moved?.map((m) => [m.nodeId, m.requested, m.withNodeId])).toEqual([
        ['book2', 'w1', 'book'],
      ]),
    );
    const rows = state.getState().workers!;
    const at = (id: string) => rows.find((w) => w.nodeIds.includes(id))!.index;
    expect(state.getState().moved![0]!.worker).toBe(at('book'));
    expect(at('book2')).toBe(at('book'));
    c.dispose();
    expect(state.getState().moved).toBeUndefined();
  });

  it('a malformed line stops the replay with an error naming the line', async () => {
    const bad = [...lines];
    bad[1500] = '{"receipt_timestamp": 5, "exchange": "SIM"';
    const { c, status } = await workers(replayStatePort(), undefined, bad);
    await c.playToEnd();
    expect(status()).toEqual({ error: expect.stringMatching(/line 1501/) as unknown });
    c.dispose();
  });
});
