import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../storage/db.ts';
import { recordingForDoc } from './recordingForDoc.ts';
import { readAllLines, readOutputLines } from '../testing/storage/recordingLines.ts';
import { lineHead } from './lineHead.ts';

describe('recordingForDoc and pre-serialized lines', () => {
  it('lists the venues and symbols the doc names, and counts lines by their head', async () => {
    const db = await openStudioDb(`rec-doc-${Math.random()}`);
    const w = await recordingForDoc(db, {
      recordingId: 'r',
      name: 'n',
      outputs: true,
      doc: {
        version: 1,
        name: 'd',
        nodes: [
          {
            id: 'k',
            definition: 'l2_book',
            params: { exchange: 'KRAKEN', symbol: 'BTC-USD' },
            position: { x: 0, y: 0 },
          },
        ],
        edges: [],
      },
    });
    const frame = { receipt_timestamp: 5, exchange: 'KRAKEN', data: '{}' };
    const marker = { receipt_timestamp: 4, exchange: 'KRAKEN', marker: 'gap', symbol: 'ETH-USD' };
    const sent = { receipt_timestamp: 6, exchange: 'KRAKEN', sent: '{}' };
    const sim = { receipt_timestamp: 7, exchange: 'SIM', event: { symbol: 'SOL-USDT' } };
    for (const l of [frame, marker, sent, sim]) w.lineText(`#${l.receipt_timestamp}`, lineHead(l));
    w.outputText('{"node":"k","event":{}}');
    const meta = await w.close();
    expect(meta).toMatchObject({ lines: 4, frames: 1, markers: 1, simEvents: 1, outputs: 1 });
    expect(meta.venues).toEqual(['KRAKEN', 'SIM']);
    expect(meta.symbols).toEqual(['BTC-USD', 'ETH-USD', 'SOL-USDT']);
    // The stored time never goes back (the marker came in earlier than the frame before it).
    expect(await readAllLines(db, 'r')).toEqual({
      lines: ['#5', '#4', '#6', '#7'],
      ts: [5, 5, 6, 7],
    });
    expect(await readOutputLines(db, 'r')).toEqual(['{"node":"k","event":{}}']);
    db.close();
  });
});
