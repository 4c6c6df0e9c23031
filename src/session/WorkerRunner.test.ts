import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { nodePlatform } from '../runtime/node/workerThreads.ts';
import { openStudioDb } from '../storage/db.ts';
import { getRecording } from '../recording/recordingLibrary.ts';
import { readAllLines, readOutputLines } from '../testing/storage/recordingLines.ts';
import { recorderIn } from '../testing/session/recorderIn.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import type { RunStatus } from './PipelineRunner.ts';
import { WorkerRunner } from './WorkerRunner.ts';

const platform = nodePlatform(new URL('./worker/nodeStreamWorker.ts', import.meta.url));

describe('WorkerRunner recording', () => {
  it('its workers send their lines and outputs to the recorder; an edit ends the outputs', async () => {
    const { open, closed } = recorderIn('wr-rec-1');
    const statuses: RunStatus[] = [];
    const r = new WorkerRunner(
      { onBatch: () => {}, onStatus: (s) => statuses.push(s) },
      { platform, hardwareConcurrency: 4, openRecording: open },
    );
    r.start(DEFAULT_PIPELINE, { record: { recordingId: 'w1', outputs: true } });
    await vi.waitFor(() => expect(statuses.at(-1)?.message).toMatch(/^on \d workers$/), {
      timeout: 10_000,
    });
    await new Promise((res) => setTimeout(res, 1200));
    const db = await openStudioDb('wr-rec-1');
    const during = (await getRecording(db, 'w1'))!;
    expect(during.status).toBe('recording');
    expect(during.outputsEnded).toBeUndefined();
    r.update({
      ...DEFAULT_PIPELINE,
      nodes: DEFAULT_PIPELINE.nodes.map((n) =>
        n.id === 'snapshot' ? { ...n, params: { ...n.params, depth: 5 } } : n,
      ),
    });
    await new Promise((res) => setTimeout(res, 1200));
    r.stop();
    await closed;
    const meta = (await getRecording(db, 'w1'))!;
    expect(meta.status).toBe('complete');
    expect(meta.outputsEnded).toBe('the pipeline was edited while recording');
    // Frames went on after the edit; outputs stopped at it.
    expect(meta.lines).toBeGreaterThan(during.lines);
    const { lines } = await readAllLines(db, 'w1');
    expect(lines.length).toBe(meta.lines);
    const outputs = await readOutputLines(db, 'w1');
    expect(outputs.length).toBe(meta.outputs);
    const nodes = new Set(outputs.map((o) => (JSON.parse(o) as { node: string }).node));
    // Every node with an output in that time, on 2 workers; ohlcv only once its first 5 s bar
    // closes, which a slow (loaded) start can reach before the edit.
    const required = ['book', 'mid', 'snapshot', 'spread', 'trades', 'tvi', 'volatility'];
    expect([...nodes].filter((n) => n !== 'ohlcv').sort()).toEqual(required.sort());
    db.close();
  }, 30_000);
});
