import type { L2Order } from '../../core/events.ts';
import { describe, expect, it } from 'vitest';
import { FieldCheck, num, pushLevels } from './checkedNumber.ts';

describe('num', () => {
  it('equals +text for decimal lexemes', () => {
    const odd = ['.5', '5.', '0', '00012', '1e5', '-1', '+1', '2E-8', '1e999', '-1e999'];
    const edges = ['9007199254740991', '9007199254740993', '90071992547409.93', '1.005'];
    const tiny = ['0.0000000000000000000001', '0.00000000000000000000001', '1'.repeat(30)];
    for (const t of [...odd, ...edges, ...tiny]) expect(num(t)).toBe(+t);
    let seed = 1;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 20000; i++) {
      const t = (rnd() * 10 ** Math.floor(rnd() * 14)).toFixed(Math.floor(rnd() * 12));
      expect(num(t)).toBe(+t);
    }
  });

  it('is NaN for text that is not a decimal, even when +text is a number', () => {
    for (const t of ['', '.', ' 5', '5 ', '0x10', '0b1', '1..2', 'NaN', 'Infinity', '-Infinity'])
      expect(num(t)).toBeNaN();
    for (const v of [null, true, [], {}, undefined]) expect(num(v)).toBeNaN();
  });
});

describe('FieldCheck', () => {
  it('accepts valid fields and names the first bad one', () => {
    const f = new FieldCheck();
    expect(f.price('63999.7', 'p')).toBe(63999.7);
    expect(f.size('0', 'q')).toBe(0);
    expect(f.timeMs(1700000000123, 'T')).toBe(1700000000.123);
    expect(f.problem).toBeUndefined();
    expect(f.price('-5', 'p')).toBeNaN();
    expect(f.size('Infinity', 'q')).toBeNaN();
    expect(f.problem).toBe('p: expected a positive price, got -5');
  });

  it.each([
    ['price', '1e999', 'expected a finite number, got Infinity'],
    ['price', '0', 'expected a positive price, got 0'],
    [
      'price',
      '1e16',
      'outside the magnitude bound [1e-15, 1e15] of a non-zero price, got 10000000000000000',
    ],
    ['price', '1e-16', 'outside the magnitude bound [1e-15, 1e15] of a non-zero price, got 1e-16'],
    ['size', '-0.5', 'expected a size ≥ 0, got -0.5'],
    ['size', 'abc', 'expected a decimal number, got "abc"'],
    ['size', null, 'expected a decimal number, got null'],
    ['time', 0, 'epoch 0 is not a venue time'],
    ['time', -1, 'must be ≥ 0, got -0.001'],
    ['time', 9e15, 'expected epoch seconds ≤ 4102444800 (before 2100), got 9000000000000'],
    ['seq', 1.5, 'expected an integer sequence number, got 1.5'],
    ['seq', '2e400', 'expected an integer sequence number, got "2e400"'],
  ] as const)('%s %j: %s', (kind, value, reason) => {
    const f = new FieldCheck();
    const x =
      kind === 'price'
        ? f.price(value, 'x')
        : kind === 'size'
          ? f.size(value, 'x')
          : kind === 'time'
            ? f.timeMs(value, 'x')
            : f.seq(value, 'x');
    expect(x).toBeNaN();
    expect(f.problem).toBe(`x: ${reason}`);
  });
});

describe('pushLevels', () => {
  it('keeps valid levels and names the first bad one by index', () => {
    const orders: L2Order[] = [];
    expect(
      pushLevels(
        orders,
        'bid',
        [
          ['10.5', '1'],
          [9, 0],
        ],
        'b',
      ),
    ).toBeUndefined();
    expect(orders).toEqual([
      ['bid', 10.5, 1],
      ['bid', 9, 0],
    ]);
    expect(
      pushLevels(
        [],
        'ask',
        [
          ['1', '1'],
          ['2', '-3'],
        ],
        'a',
      ),
    ).toBe('a[1][1]: expected a size ≥ 0, got -3');
    expect(pushLevels([], 'ask', [['1e308', '1']], 'a')).toBe(
      'a[0][0]: outside the magnitude bound [1e-15, 1e15] of a non-zero price, got 1e+308',
    );
    expect(pushLevels([], 'ask', {}, 'a')).toBe('a: expected an array, got {}');
    expect(pushLevels([], 'ask', ['x'], 'a')).toBe('a[0]: expected [price, size], got "x"');
  });
});

describe('num underflow', () => {
  it('is NaN for a non-zero decimal that underflows, 0 for spellings of zero', () => {
    for (const t of ['1e-400', '0.' + '0'.repeat(400) + '1', '-1e-999']) expect(num(t)).toBeNaN();
    for (const t of ['0', '0.000', '-0', '0e5', '0.0e-999']) expect(num(t)).toBe(+t);
  });
});
