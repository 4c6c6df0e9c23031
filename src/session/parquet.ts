import { parquetWriteBuffer } from 'hyparquet-writer';
import { csvUnneutralise } from '../core/batch/format.ts';

type ColumnSource = Parameters<typeof parquetWriteBuffer>[0]['columnData'][number];

/**
 * A Parquet file of the as-of-joined outputs: the batch runner's CSV (header + rows) turned
 * into columns — numeric columns as DOUBLE, the rest as STRING, empty cells as nulls (so rows
 * inside a source's gap have nulls there, as the CSV has empty cells). Parquet runs no formulas:
 * text cells and column names get back the text the CSV neutralised (the leading `'` removed).
 * hyparquet-writer: pure JavaScript (no WASM to fetch), so it works offline in any browser.
 */
export function csvToParquet(csv: string): ArrayBuffer {
  return parquetWriteBuffer({ columnData: csvColumns(csv) });
}

/** The CSV's columns as Parquet column data (see {@link csvToParquet}). */
export function csvColumns(csv: string): ColumnSource[] {
  const rows = parseCsv(csv);
  const header = rows.shift() ?? [];
  const columnData: ColumnSource[] = header.map((csvName, c) => {
    const name = csvUnneutralise(csvName);
    const cells = rows.map((r) => r[c] ?? '');
    const numeric = cells.every((v) => v === '' || Number.isFinite(Number(v)));
    return numeric
      ? {
          name,
          type: 'DOUBLE' as const,
          data: cells.map((v) => (v === '' ? null : Number(v))),
        }
      : {
          name,
          type: 'STRING' as const,
          data: cells.map((v) => (v === '' ? null : csvUnneutralise(v))),
        };
  });
  return columnData;
}

/** RFC 4180 CSV (quoted cells may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
