import { describe, expect, it } from 'vitest';
import {
  crc32,
  crc32AppendPart,
  crc32Combine,
  crc32JoinParts,
  crc32PartLength,
  crc32PartOf,
  crc32PartOfInteger,
  crc32Signed,
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

  it('gives the signed form OKX and Bitfinex transmit', () => {
    // OKX docs legacy example strings (research §4.3).
    expect(crc32Signed('3366.1:7:3366.8:9:3366:6:3368:8')).toBe(-1881014294);
    expect(crc32Signed('3366.1:7:3366.8:9:3368:8:3372:8')).toBe(831078360);
  });
});

describe('crc32Combine', () => {
  it('gives the CRC of a concatenation from the parts', () => {
    expect(crc32Combine(crc32('1234'), crc32('56789'), 5)).toBe(0xcbf43926);
    expect(crc32Combine(crc32('123456789'), crc32(''), 0)).toBe(0xcbf43926);
    expect(crc32Combine(crc32(''), crc32('123456789'), 9)).toBe(0xcbf43926);
    const a = 'x'.repeat(1500);
    const b = 'y'.repeat(2100);
    expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(a + b));
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
