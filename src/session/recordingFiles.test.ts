import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CONFIG, RECORDING, T } from '../testing/core/gapRecording.ts';
import { parseFeaturizerConfig } from '../core/config/parseFeaturizerConfig.ts';
import { pipelineFromConfig } from '../core/config/pipelineConvert.ts';
import { openStudioDb } from '../storage/db.ts';
import { importRecording } from './importRecording.ts';
import { csvColumns } from './parquet.ts';
import { outputsText } from './recordingFiles.ts';
import { Session } from './Session.ts';

describe("the studio's CSV/Parquet export over a recording with a gap", () => {
  it('leaves the gapped source empty (Parquet: null) and neutralises names, as the CLI does', async () => {
    const db = await openStudioDb(`files-${Math.random()}`);
    const meta = await importRecording(db, new Blob([RECORDING]), 'gap');
    const doc = pipelineFromConfig(parseFeaturizerConfig(CONFIG));
    const csv = await outputsText(db, meta.id, doc, 'csv');
    // The studio reaches it through the Session's `export` capability: the same bytes.
    const session = new Session({
      doc,
      source: { kind: 'recording', recordingId: meta.id },
      db: () => Promise.resolve(db),
    });
    expect(await session.outputs('csv')).toBe(csv);
    expect(csv.split('\n')).toEqual([
      "timestamp,receipt_timestamp,'=tick_mid-mid_price,book_mid-mid_price",
      `${T + 2},${T + 2.1},100.5,101`,
      `${T + 4},${T + 4.1},100.5,`,
      `${T + 5},${T + 5.1},100.5,`,
      `${T + 6},${T + 6.1},100.5,`,
      `${T + 8},${T + 8.1},100.5,101`,
      '',
    ]);
    const cols = csvColumns(csv);
    expect(cols.map((c) => c.name)).toEqual([
      'timestamp',
      'receipt_timestamp',
      '=tick_mid-mid_price',
      'book_mid-mid_price',
    ]);
    expect(cols[3]!.data).toEqual([101, null, null, null, 101]);
    const ndjson = await outputsText(db, meta.id, doc, 'ndjson');
    expect(ndjson).toMatch(
      /\n\{"gap":\{[^\n]*"start":1704067203,"end":1704067207,"features":\["book_mid"\]\}\}\n/,
    );
  });
});
