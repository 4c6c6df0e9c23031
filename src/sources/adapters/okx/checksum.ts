import { crc32 } from '../crc32.ts';
import type { LevelBook } from '../LevelBook.ts';

/** Legacy OKX checksum over the book: top 25 interleaved `bidPx:bidSz:askPx:askSz…`, signed. */
export function okxBookChecksum(book: LevelBook): number {
  const { bids, asks } = book;
  const n = Math.min(25, Math.max(bids.length, asks.length));
  let crc = 0;
  let first = true;
  for (let i = 0; i < n; i++) {
    if (i < bids.length) {
      crc = crc32((first ? '' : ':') + bids.priceText(i) + ':' + bids.sizeText(i), crc);
      first = false;
    }
    if (i < asks.length) {
      crc = crc32((first ? '' : ':') + asks.priceText(i) + ':' + asks.sizeText(i), crc);
      first = false;
    }
  }
  return crc | 0;
}
