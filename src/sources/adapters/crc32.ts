/**
 * Standard CRC-32 (IEEE 802.3 / zlib / PNG: reflected polynomial 0xEDB88320, init and final xor
 * 0xFFFFFFFF), the checksum Kraken, OKX and Bitfinex use for order books.
 */

const TABLE = makeTable();

function makeTable(): Int32Array {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
}

/**
 * CRC-32 of the string's bytes as an unsigned 32-bit integer. Only the low byte of each UTF-16 code
 * unit is used: checksum strings are ASCII (digits, `.`, `:`, `-`, `e`).
 *
 * `previous` chains like zlib's `crc32(data, value)`: `crc32(b, crc32(a)) === crc32(a + b)`, so a
 * checksum over many level strings needs no concatenation.
 */
export function crc32(text: string, previous = 0): number {
  let c = ~previous;
  for (let i = 0; i < text.length; i++) {
    c = TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  }
  return ~c >>> 0;
}

/** The same CRC as a signed 32-bit integer (how OKX and Bitfinex transmit it). */
export function crc32Signed(text: string, previous = 0): number {
  return crc32(text, previous) | 0;
}
