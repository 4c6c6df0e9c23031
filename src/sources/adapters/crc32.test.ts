import { describe, expect, it } from 'vitest';
import {
  crc32,
  crc32AppendPart,
  crc32JoinParts,
  crc32PartLength,
  crc32PartOf,
  crc32PartOfInteger,
} from './crc32.ts';

describe('crc32', () => {
  it('matches the standard CRC-32 check values', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
  });

  it('chains like zlib: crc32(b, crc32(a)) equals crc32(a + b)', () => {
    expect(crc32('56789', crc32('1234'))).toBe(0xcbf43926);
    expect(crc32('', crc32('123456789'))).toBe(0xcbf43926);
  });
});

describe('crc32 parts', () => {
  const texts = ['', '1', '123456789', '6399970004000', 'x'.repeat(1500), '0.5:12', 'y'.repeat(37)];

  it('append a string to a running CRC like crc32 does', () => {
    for (const a of texts) {
      for (const b of texts) {
        expect(crc32AppendPart(crc32(a), crc32PartOf(b))).toBe(crc32(a + b));
        expect(crc32AppendPart(0, crc32JoinParts(crc32PartOf(a), crc32PartOf(b)))).toBe(
          crc32(a + b),
        );
      }
    }
  });

  it('read integers as their decimal digits', () => {
    for (const n of [0, 7, 10, 639997, 40000, 2 ** 31, 2 ** 51 - 1, 2 ** 53 - 1]) {
      expect(crc32PartOfInteger(n)).toBe(crc32PartOf(String(n)));
      expect(crc32PartLength(crc32PartOfInteger(n))).toBe(String(n).length);
    }
  });
});
