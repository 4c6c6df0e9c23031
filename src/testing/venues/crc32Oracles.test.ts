import { describe, expect, it } from 'vitest';
import { crc32 } from '../../sources/adapters/crc32.ts';
import { crc32Combine, crc32Signed } from './crc32Oracles.ts';

describe('crc32Signed', () => {
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
