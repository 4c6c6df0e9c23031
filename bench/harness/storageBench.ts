// In-page half of bench/storage.bench.ts (loaded lazily by the harness page): recording and
// replay throughput against IndexedDB, each beside a raw IndexedDB write/read of the same bytes
// in the same run, so the ratio says what the recorder and the replay path cost on top.
import { openStudioDb, type StudioDatabase } from '../../src/storage/db.ts';
import { deleteRecording, getRecording } from '../../src/recording/recordingLibrary.ts';
import type { RecordLine } from '../../src/recording/lineHead.ts';
import { RecordingWriter } from '../../src/recording/RecordingWriter.ts';
import type { PipelineDoc } from '../../src/core/config/PipelineDoc.ts';
import { ChunkWindow } from '../../src/recording/ChunkWindow.ts';
import { recordingChunkStore } from '../../src/recording/chunkStores.ts';
import { SimulatedMarket } from '../../src/sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../src/sources/sim/SimulatedEventEmitter.ts';
import { ReplayEngine } from '../../src/session/ReplayEngine.ts';
import { DEFAULT_PIPELINE } from '../../src/session/defaultPipeline.ts';

export interface StorageBenchResult {
  lines: number;
  mb: number;
  recordPerSec: number;
  rawWritePerSec: number;
  replayPerSec: number;
  decodeOnlyPerSec: number;
  rawReadPerSec: number;
}

/** SIM recording lines of the BTC-USDT Simulated market (what the studio's default run records). */
function simLines(n: number): { lines: string[]; objs: RecordLine[] } {
  const m = new SimulatedMarket({
    seed: 3,
    startTime: 1_700_000_000,
    symbols: [SIM_SYMBOLS[0]!],
    exchange: 'SIM',
  });
  const objs: RecordLine[] = [];
  for (const e of m) {
    objs.push({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e });
    if (objs.length >= n) break;
  }
  return { lines: objs.map((o) => JSON.stringify(o)), objs };
}

const CHUNK = 1000;

/** The baseline: the same lines put straight into the chunk store, 1000 per transaction. */
export async function rawWrite(db: StudioDatabase, id: string, lines: string[]): Promise<void> {
  for (let seq = 0; seq * CHUNK < lines.length; seq++) {
    const part = lines.slice(seq * CHUNK, (seq + 1) * CHUNK);
    const tx = db.transaction('recordingChunks', 'readwrite', { durability: 'relaxed' });
    void tx.store.put({
      recordingId: id,
      seq,
      line0: seq * CHUNK,
      lines: part,
      ts: part.map(() => 0),
    });
    await tx.done;
  }
}

/**
 * Replay a stored recording as fast as possible the way the studio does: chunks streamed through
 * a ChunkWindow (bounded read-ahead, reads overlapping the replay), one chunk's lines at a time.
 */
export async function streamReplay(
  db: StudioDatabase,
  id: string,
  doc: PipelineDoc,
  onOutput: () => void,
): Promise<void> {
  const meta = (await getRecording(db, id))!;
  const window = new ChunkWindow(recordingChunkStore(db, id, meta.chunks), meta.lines);
  const engine = new ReplayEngine(doc, window, onOutput);
  while (engine.position < meta.lines) {
    if (!window.request(engine.position)) await window.load(engine.position);
    engine.runTo(engine.position + CHUNK);
  }
}

async function time(f: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

/** Run the storage bench over `n` lines in a fresh database. */
export async function storageBench(n: number): Promise<StorageBenchResult> {
  const db = await openStudioDb(`bench-${Date.now()}`);
  const { lines, objs } = simLines(n);
  const bytes = lines.reduce((s, l) => s + l.length, 0);

  // The raw baseline runs before and after the recorder and keeps its best: the first write to a
  // fresh database is slower, and the ratio must not flatter the recorder.
  const rawW1 = await time(() => rawWrite(db, 'raw', lines));
  const rec = await time(async () => {
    const w = await RecordingWriter.create(db, { id: 'rec', name: 'bench' });
    for (let i = 0; i < objs.length; i++) {
      w.line(objs[i]!, lines[i]!);
      // Live, frames arrive over many tasks: let the writer cut its chunks as it would.
      if (i % CHUNK === CHUNK - 1) await Promise.resolve();
    }
    await w.close();
  });
  const rawW = Math.min(rawW1, await time(() => rawWrite(db, 'raw2', lines)));

  const rawR = await time(async () => {
    const all = await db.getAll(
      'recordingChunks',
      IDBKeyRange.bound(['raw', 0], ['raw', Infinity]),
    );
    return all.reduce((s, c) => s + c.lines.length, 0);
  });
  let outputs = 0;
  const replay = await time(() => streamReplay(db, 'rec', DEFAULT_PIPELINE, () => outputs++));
  const empty = { ...DEFAULT_PIPELINE, nodes: DEFAULT_PIPELINE.nodes.slice(0, 1), edges: [] };
  const decode = await time(() => streamReplay(db, 'rec', empty, () => {}));
  await deleteRecording(db, 'rec');
  db.close();
  return {
    lines: n,
    mb: bytes / 1e6,
    recordPerSec: n / rec,
    rawWritePerSec: n / rawW,
    replayPerSec: n / replay,
    decodeOnlyPerSec: n / decode,
    rawReadPerSec: n / rawR,
  };
}
