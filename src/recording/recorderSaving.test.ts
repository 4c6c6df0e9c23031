import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../storage/db.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { RecorderEvent } from './recordingProtocol.ts';
import { RecordingWriter } from './RecordingWriter.ts';
import { WorkerRecorder } from './WorkerRecorder.ts';

const line = (i: number) => ({ receipt_timestamp: 1 + i, exchange: 'binance', data: `{"i":${i}}` });

describe('what a closing recorder says it has left', () => {
  it('RecordingWriter.unsaved counts chunks cut or buffered and not stored yet', async () => {
    const db = await openStudioDb(`unsaved-${Math.random()}`);
    const w = await RecordingWriter.create(db, { id: 'u', name: 'u', maxLines: 1000 });
    expect(w.unsaved).toBe(0);
    for (let i = 0; i < 2500; i++) w.line(line(i));
    // Two full chunks cut, 500 lines buffered.
    expect(w.unsaved).toBe(3);
    await w.flush();
    expect(w.unsaved).toBe(0);
    expect(w.committed.chunks).toBe(3);
    db.close();
  });

  it('the recorder reports saving (alive) before it reports closed', async () => {
    const name = `saving-${Math.random()}`;
    const events: RecorderEvent[] = [];
    const rec = new WorkerRecorder(
      () => openStudioDb(name),
      () => () => {},
      (e) => events.push(e),
    );
    await rec.command({
      t: 'open',
      channel: 'c',
      recordingId: 's',
      name: 's',
      doc: { version: 1, name: 'd', nodes: [], edges: [] } as unknown as PipelineDoc,
      outputs: false,
    });
    await rec.command({ t: 'close' });
    expect(events.map((e) => e.t)).toEqual(['ready', 'saving', 'closed']);
    expect(events[1]).toEqual({ t: 'saving', chunks: 0 });
  });
});
