import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeature } from '../feature/createFeature.ts';
import { csvCell, csvHeader, csvUnneutralise, outputColumns, outputColumnsOf } from './format.ts';
import { runLines } from './runLines.ts';

/** RFC 4180, written independently of the code under test: rows of cells, CRLF or LF endings. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c === '"' || c === '\r') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];
/** Strings rich in formula starts, separators, quotes and line breaks. */
const hostile = fc.string({
  unit: fc.constantFrom(
    '=',
    '+',
    '-',
    '@',
    '\t',
    '\r',
    '\n',
    ',',
    '"',
    "'",
    'a',
    '1',
    ' ',
    'é',
    '|',
  ),
  maxLength: 12,
});

describe('CSV cells (RFC 4180, OWASP formula neutralisation)', () => {
  it('round-trips any string to its neutralised text, which never starts a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(hostile, fc.string()), { minLength: 1, maxLength: 5 }),
        (texts) => {
          const line = `${texts.map(csvCell).join(',')}\n`;
          const [row, ...more] = parseCsv(line);
          expect(more).toEqual([]);
          expect(row).toHaveLength(texts.length);
          row!.forEach((cell, k) => {
            const t = texts[k]!;
            const prefixed = t !== '' && [...DANGEROUS, "'"].includes(t[0]!);
            expect(cell).toBe(prefixed ? `'${t}` : t);
            expect(DANGEROUS).not.toContain(cell[0]);
            expect(csvUnneutralise(cell)).toBe(t);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never prefixes numbers: -0.5 stays a number', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const cell = csvCell(x);
        expect(cell).toBe(JSON.stringify(x));
        expect(Number(parseCsv(`${cell}\n`)[0]![0])).toBe(x === 0 ? 0 : x);
      }),
    );
  });

  it('gives unnamed outputs readable, distinct header names; named ones keep theirs', () => {
    const btc = createFeature('ticker', { exchange: 'BINANCE', symbol: 'BTC-USDT' });
    const eth = createFeature('ticker', { exchange: 'BINANCE', symbol: 'ETH-USDT' });
    const sol = createFeature('ticker', { exchange: 'BINANCE', symbol: 'SOL-USDT' });
    const midBtc = createFeature('price.mid_price_fd', {}, [btc]);
    const midEth = createFeature('price.mid_price_fd', {}, [eth]);
    const named = createFeature('price.mid_price_fd', {}, [sol], 'mid_price_2');
    expect(csvHeader(outputColumnsOf([midBtc, midEth, named]))).toBe(
      'timestamp,receipt_timestamp,mid_price-mid_price,mid_price_3-mid_price,mid_price_2-mid_price\n',
    );
    // NDJSON's feature label is unchanged: the seed's repr.
    expect(outputColumnsOf([midBtc])[0]!.label).toMatch(
      /^feature_price\.mid_price_fd_[0-9a-f]{8}$/,
    );
  });

  it('neutralises node names in the header and ids in cells', () => {
    const src = createFeature('ticker', { exchange: 'BINANCE', symbol: 'BTC-USDT' });
    const mid = createFeature('price.mid_price_fd', {}, [src], '=HYPERLINK("http://x",1)');
    expect(csvHeader([outputColumns(mid)])).toBe(
      `timestamp,receipt_timestamp,"'=HYPERLINK(""http://x"",1)-mid_price"\n`,
    );
    expect(csvCell(['-1+cmd|calc'])).toBe('"[""-1+cmd|calc""]"'); // JSON text starts with [
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('keeps numeric columns numeric end to end', () => {
    const src = createFeature('ticker', { exchange: 'BINANCE', symbol: 'BTC-USDT' });
    const mid = createFeature('price.mid_price_fd', {}, [src], '+mid');
    const line = (t: number, bid: number): string =>
      JSON.stringify({
        exchange: 'BINANCE',
        instrument_type: 'spot',
        symbol: 'BTC-USDT',
        channel: 'ticker',
        event: { timestamp: t, receipt_timestamp: t, bid, ask: bid + 1 },
      });
    const { output } = runLines([mid], [line(1, 0.25), line(2, 4)].join('\n'), { format: 'csv' });
    expect(parseCsv(output)).toEqual([
      ['timestamp', 'receipt_timestamp', "'+mid-mid_price"],
      ['1', '1', '0.75'],
      ['2', '2', '4.5'],
    ]);
  });
});
