/** User definition sources for tests (imported by *.test.ts and bench only). */
import { readFileSync } from 'node:fs';

/** The text of `examples/features/<name>.ts`. */
export function exampleSource(name: string): string {
  return readFileSync(new URL(`../../../examples/features/${name}.ts`, import.meta.url), 'utf8');
}

/**
 * A minimal scalar definition (`test.<name>`, one scalar input) whose `onEvent` body is `body`
 * (line 9 of the module is the body's first line); `top` goes on line 2 (module level).
 */
export function scalarDefinition(name: string, body: string, top = ''): string {
  return [
    `import { defineFeature } from 'featurizer';`,
    top,
    `export default defineFeature({`,
    `  name: 'test.${name}', title: '${name}', description: 'test definition', params: {},`,
    `  inputs: [{ name: 'value', accepts: ['scalar'], default: 'price.mid_price_fd' }],`,
    `  output: { kind: 'scalar', schema: { out: 'number' } },`,
    `  init: () => ({ n: 0 }),`,
    `  onEvent(state, input) {`,
    body,
    `  },`,
    `});`,
  ].join('\n');
}

/** Agreement with an exact reference: exactly 0 when it is 0, else within `rel` relative. */
export function expectClose(got: number, want: number, rel = 1e-9): void {
  if (want === 0) {
    if (got !== 0) throw new Error(`expected exactly 0, got ${got}`);
    return;
  }
  const err = Math.abs(got - want) / Math.abs(want);
  if (!(err <= rel)) throw new Error(`got ${got}, exact ${want}: relative error ${err}`);
}

/** The scalar value of a built-in mid (`mid_price`) or of an order-sensitive node (`v`). */
const VALUE = `const value = (e) => (typeof e.v === 'number' ? e.v : e.mid_price);`;
const orderModule = (name: string, inputs: string[], logic: string): string =>
  [
    `import { defineFeature, combineLatest } from 'featurizer';`,
    VALUE,
    `export default defineFeature({`,
    `  name: 'test.${name}', title: '${name}', description: 'order-sensitive test node', params: {},`,
    `  inputs: [${inputs.map((s) => `{ name: '${s}', accepts: ['scalar'], default: 'price.mid_price_fd' }`).join(', ')}],`,
    `  output: { kind: 'scalar', schema: { v: 'number' } },`,
    logic,
    `});`,
  ].join('\n');

/**
 * Sources of three scalar definitions whose outputs depend on the order of their inputs (for the
 * tests of delivery order across workers): `test.step` (one input, a running hash of the values),
 * `test.join` (inputs `a` and `b`, a running hash of slot and value: any reordering changes it)
 * and `test.twice` (two outputs per input: a combineLatest of two branches of its input).
 */
export function orderSensitiveSources(): { step: string; join: string; twice: string } {
  return {
    step: orderModule(
      'step',
      ['value'],
      `  init: () => ({ h: 1 }),
  onEvent(state, input) {
    state.h = (state.h * 31 + Math.floor(value(input) * 100)) % 1000003;
    return { v: state.h };
  },`,
    ),
    join: orderModule(
      'join',
      ['a', 'b'],
      `  init: () => ({ h: 7 }),
  onEvent(state, input, slot) {
    state.h = (state.h * 131 + (slot === 'a' ? 1 : 2) * 1009 + Math.floor(value(input) * 100)) % 1000003;
    return { v: state.h };
  },`,
    ),
    twice: orderModule(
      'twice',
      ['value'],
      `  stream(inputs) {
    const s = inputs.value.stream;
    const lo = s.map((e) => ({ timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, v: Math.floor(value(e) * 10) % 1009 }));
    const hi = s.map((e) => ({ timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, v: Math.floor(value(e)) % 101 }));
    return combineLatest(lo, hi).map(([a, b]) => ({ timestamp: a.timestamp, receipt_timestamp: a.receipt_timestamp, v: a.v * 1000 + b.v }));
  },`,
    ),
  };
}
